import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/** Activity › getMany against the sandbox over real HTTP. */
describe('Annex Cloud: activity getMany', () => {
	const sandbox = operationSandbox();

	it('reads every page, or up to a limit', async () => {
		const total = sandbox().state.annex.activity(sandbox().state.annex.member('li-lei')!).length;
		expect(total).toBeGreaterThan(25);
		const all = await runOperation(sandbox(), 'activity/getMany', {
			memberId: 'li-lei',
			returnAll: true,
		});
		expect(all.output(ANNEX_NODE)).toHaveLength(total);
		const some = await runOperation(sandbox(), 'activity/getMany', {
			memberId: 'li-lei',
			limit: 30,
		});
		expect(some.output(ANNEX_NODE)).toHaveLength(30);
		expect(some.output(ANNEX_NODE)[0]).toMatchObject({
			memberId: 'li-lei',
			activityId: expect.any(String),
		});
	});
});
