import { ANNEX_NODE, continueOnFail, operationSandbox, runOperation } from '../support';

/**
 * Member › update against the sandbox over real HTTP; writes are checked in its state.
 * The Create case also updates the member it enrolls.
 */
describe('Annex Cloud: member update', () => {
	const sandbox = operationSandbox();

	it('refuses an update without fields as an item error', async () => {
		const run = await runOperation(
			sandbox(),
			'member/update',
			{ memberId: 'li-lei', updateFields: {} },
			[{}],
			continueOnFail,
		);
		expect(run.output(ANNEX_NODE)[0].error).toBe('No fields to update');
	});
});
