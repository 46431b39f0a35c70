import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/** Tier › getMany against the sandbox over real HTTP. */
describe('Annex Cloud: tier getMany', () => {
	const sandbox = operationSandbox();

	it("gets the site's tier list, or some of its tiers", async () => {
		const list = await runOperation(sandbox(), 'tier/getMany', {});
		expect(list.output(ANNEX_NODE).map((tier) => tier.tierName)).toEqual([
			'Bronze',
			'Silver',
			'Gold',
			'Platinum',
		]);
		const gold = await runOperation(sandbox(), 'tier/getMany', {
			tierFilter: ['Gold'],
		});
		expect(gold.output(ANNEX_NODE)).toEqual([
			expect.objectContaining({ tierName: 'Gold', pointsRequired: 5000 }),
		]);
	});
});
