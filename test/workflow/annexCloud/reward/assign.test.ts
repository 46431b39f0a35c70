import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/**
 * Reward › assign against the sandbox over real HTTP; writes are checked in its state.
 * The case also reads the assigned reward back with Get History.
 */
describe('Annex Cloud: reward assign', () => {
	const sandbox = operationSandbox();

	it('assigns a reward and lists it in the history', async () => {
		const assign = await runOperation(sandbox(), 'reward/assign', {
			memberId: 'zhang-min',
			rewardId: '1004',
			options: { notes: 'Birthday care' },
		});
		expect(assign.output(ANNEX_NODE)[0]).toMatchObject({
			memberId: 'zhang-min',
			rewardId: '1004',
			status: 'assigned',
		});
		expect(sandbox().state.annex.assignments[0].issuance_details).toEqual({
			source_type: 'manual',
			source_details: { source_name: 'n8n', notes: 'Birthday care' },
		});
		const history = await runOperation(sandbox(), 'reward/getHistory', {
			memberId: 'zhang-min',
			returnAll: true,
		});
		expect(history.output(ANNEX_NODE)).toEqual([
			expect.objectContaining({
				memberId: 'zhang-min',
				rewardName: 'Birthday coupon: 20% off',
				rewardStatus: 'ASSIGNED',
			}),
		]);
	});
});
