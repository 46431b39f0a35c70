import { ANNEX_NODE, members, operationSandbox, runOperation } from '../support';

/**
 * Points › getBalance against the sandbox over real HTTP.
 * Award also reads the balance after its writes.
 */
describe('Annex Cloud: points getBalance', () => {
	const sandbox = operationSandbox();

	it('reads the balance of each member', async () => {
		const run = await runOperation(
			sandbox(),
			'points/getBalance',
			{ memberId: '={{ $json.memberId }}' },
			members('li-lei', 'zhang-min'),
		);
		expect(run.output(ANNEX_NODE).map((item) => [item.id, item.availablePoints])).toEqual(
			['li-lei', 'zhang-min'].map((id) => [id, sandbox().state.annex.member(id)!.availablePoints]),
		);
	});
});
