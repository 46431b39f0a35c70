import { FIXTURE_MEMBER_COUNT } from '../../../../sandbox/fixtures';
import { ANNEX_NODE, AS_OF, continueOnFail, operationSandbox, runOperation } from '../support';

/** Member › search against the sandbox over real HTTP. */
describe('Annex Cloud: member search', () => {
	const sandbox = operationSandbox();

	it('searches up to 50 and says when the cap hides members', async () => {
		const few = await runOperation(sandbox(), 'member/search', {
			filters: { email: 'plat.00%' },
			returnAll: true,
		});
		expect(few.output(ANNEX_NODE).map((member) => member.id)).toEqual(
			Array.from({ length: 9 }, (_, index) => `plat-00${index + 1}`),
		);
		const capped = await runOperation(
			sandbox(),
			'member/search',
			{ returnAll: true },
			[{}],
			continueOnFail,
		);
		expect(capped.output(ANNEX_NODE)[0].error).toMatch(/cap of 50/);
		const limited = await runOperation(sandbox(), 'member/search', {
			limit: 20,
		});
		expect(limited.output(ANNEX_NODE)).toHaveLength(20);
	});

	it('pulls every member by create-date windows, halving full windows', async () => {
		const run = await runOperation(sandbox(), 'member/search', {
			filters: { optInStatus: 'YES' },
			splitBy: 'createDate',
			windowStart: '2010-01-01T00:00:00Z',
			windowEnd: `${AS_OF}T23:59:59Z`,
			windowDays: 365,
			returnAll: true,
		});
		expect(run.error).toBeUndefined();
		const expected = [...sandbox().state.annex.members.values()].filter(
			(member) => member.optInStatus === 'YES',
		);
		expect(expected.length).toBeGreaterThan(100);
		const ids = run.output(ANNEX_NODE).map((member) => String(member.id));
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(expected.map((member) => member.id).sort());
		expect(sandbox().state.annex.members.size).toBe(FIXTURE_MEMBER_COUNT + 150);
	});
});
