import { ANNEX_NODE, AS_OF, byMember, members, operationSandbox, runOperation } from '../support';

/** Activity › getWeeklySummary against the sandbox over real HTTP. */
describe('Annex Cloud: activity getWeeklySummary', () => {
	const sandbox = operationSandbox();

	it('summarises activity per ISO week', async () => {
		const run = await runOperation(
			sandbox(),
			'activity/getWeeklySummary',
			{
				...byMember,
				weeks: 8,
				options: { asOf: `${AS_OF}T12:00:00Z` },
			},
			members('li-lei', 'zhang-min'),
		);
		const [li, zhang] = run.output(ANNEX_NODE);
		expect(li).toMatchObject({ memberId: 'li-lei', decliningWeeks: 3 });
		expect(
			(zhang.weeks as Array<{ activityCount: number }>).map((week) => week.activityCount),
		).toEqual([2, 3, 2, 3, 2, 3, 2, 3]);
	});
});
