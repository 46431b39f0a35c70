import { ANNEX_NODE, byMember, members, operationSandbox, runOperation } from '../support';

/** Member › get against the sandbox over real HTTP. */
describe('Annex Cloud: member get', () => {
	const sandbox = operationSandbox();

	it('gets members, pairing each output with its input', async () => {
		const run = await runOperation(
			sandbox(),
			'member/get',
			{ ...byMember },
			members('li-lei', 'zhang-min'),
		);
		expect(run.items(ANNEX_NODE).map((item) => [item.json.id, item.pairedItem])).toEqual([
			['li-lei', { item: 0 }],
			['zhang-min', { item: 1 }],
		]);
	});
});
