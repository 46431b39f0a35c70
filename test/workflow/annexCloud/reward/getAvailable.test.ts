import { REWARD_CATALOGUE } from '../../../../sandbox/fixtures';
import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/** Reward › getAvailable against the sandbox over real HTTP. */
describe('Annex Cloud: reward getAvailable', () => {
	const sandbox = operationSandbox();

	it('lists the rewards a member can take', async () => {
		const points = sandbox().state.annex.member('zhang-min')!.availablePoints;
		const run = await runOperation(sandbox(), 'reward/getAvailable', {
			memberId: 'zhang-min',
		});
		const expected = REWARD_CATALOGUE.filter((r) => r.stock > 0 && r.creditRequired <= points).map(
			(r) => String(r.rewardId),
		);
		expect(
			run
				.output(ANNEX_NODE)
				.map((reward) => reward.rewardId)
				.sort(),
		).toEqual(expected.sort());
		const all = await runOperation(sandbox(), 'reward/getAvailable', {
			memberId: 'zhang-min',
			onlyEligible: false,
		});
		expect(all.output(ANNEX_NODE)).toHaveLength(REWARD_CATALOGUE.length);
	});
});
