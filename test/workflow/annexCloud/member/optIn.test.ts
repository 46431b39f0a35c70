import { operationSandbox, runOperation } from '../support';

/**
 * Member › optIn against the sandbox over real HTTP; writes are checked in its state.
 * The Create case also opts the member it enrolls out and back in.
 */
describe('Annex Cloud: member optIn', () => {
	const sandbox = operationSandbox();

	it('opts a member back in, stamping the opt-in date it is given', async () => {
		sandbox().state.annex.member('li-lei')!.optInStatus = 'NO';
		const run = await runOperation(sandbox(), 'member/optIn', {
			memberId: 'li-lei',
			options: { optInDate: '2025-06-01T09:30:00Z' },
		});
		expect(run.error).toBeUndefined();
		expect(sandbox().state.annex.member('li-lei')).toMatchObject({
			optInStatus: 'YES',
			optInDate: '2025-06-01T09:30:00+0000',
		});
	});
});
