import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/**
 * Member › optOut against the sandbox over real HTTP; writes are checked in its state.
 * The Create case also opts the member it enrolls out and back in.
 */
describe('Annex Cloud: member optOut', () => {
	const sandbox = operationSandbox();

	it('opts a member out of the loyalty programme', async () => {
		expect(sandbox().state.annex.member('li-lei')?.optInStatus).toBe('YES');
		const run = await runOperation(sandbox(), 'member/optOut', { memberId: 'li-lei' });
		expect(run.error).toBeUndefined();
		expect(run.output(ANNEX_NODE)[0]).toMatchObject({ id: 'li-lei', optInStatus: 'NO' });
		expect(sandbox().state.annex.member('li-lei')?.optInStatus).toBe('NO');
	});
});
