import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/** Tier › getMemberTier against the sandbox over real HTTP. */
describe('Annex Cloud: tier getMemberTier', () => {
	const sandbox = operationSandbox();

	it("gets a member's tier and the site's tier list", async () => {
		const member = await runOperation(sandbox(), 'tier/getMemberTier', {
			memberId: 'zhang-min',
		});
		expect(member.output(ANNEX_NODE)[0]).toMatchObject({
			memberId: 'zhang-min',
			currentTier: 'Gold',
			nextTier: 'Platinum',
		});
	});
});
