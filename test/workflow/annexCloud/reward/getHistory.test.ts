import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/**
 * Reward › getHistory against the sandbox over real HTTP.
 * Assign also reads an assigned reward back.
 */
describe('Annex Cloud: reward getHistory', () => {
	const sandbox = operationSandbox();

	it('lists the rewards a member redeemed', async () => {
		sandbox().state.annex.member('zhang-min')!.availablePoints = 1200;
		await runOperation(sandbox(), 'reward/redeem', {
			memberId: 'zhang-min',
			rewardId: '1002',
			options: { orderId: 'web-5002' },
		});
		const history = await runOperation(sandbox(), 'reward/getHistory', {
			memberId: 'zhang-min',
			returnAll: true,
		});
		expect(history.output(ANNEX_NODE)).toEqual([
			expect.objectContaining({
				memberId: 'zhang-min',
				rewardName: '$10 Reward',
				rewardStatus: 'REDEEMED',
				pointsUsed: 1000,
			}),
		]);
	});
});
