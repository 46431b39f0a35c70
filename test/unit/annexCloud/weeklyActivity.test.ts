import { MS_PER_DAY } from '../../../nodes/shared/dates';
import { weeklyActivitySummary } from '../../../nodes/AnnexCloud/logic/activity';

/** Monday 2024-05-06 00:00 UTC (ISO week 2024-W19). */
const MONDAY = Date.UTC(2024, 4, 6);
const at = (weekOffset: number, day = 2) =>
	new Date(MONDAY + weekOffset * 7 * MS_PER_DAY + day * MS_PER_DAY).toISOString();

function line(createDate: string, actionId: number, credit = 0, debit = 0) {
	return { actionId, activity: debit ? 'DEBIT' : 'CREDIT', credit, debit, createDate };
}

/** Activities per week, oldest first, as purchase lines of 10 points. */
function ledger(perWeek: number[]) {
	return perWeek.flatMap((count, week) =>
		Array.from({ length: count }, () => line(at(week), 109, 10)),
	);
}

describe('weeklyActivitySummary', () => {
	it('buckets by ISO week and fills empty weeks', () => {
		const summary = weeklyActivitySummary([line(at(0), 109, 50), line(at(2), 110, 5)], {
			asOf: MONDAY + 2 * 7 * MS_PER_DAY,
			includeCurrentWeek: true,
		});
		expect(summary.weeks.map((week) => [week.isoWeek, week.activityCount])).toEqual([
			['2024-W19', 1],
			['2024-W20', 0],
			['2024-W21', 1],
		]);
		expect(summary.weeks[0]).toMatchObject({
			weekStart: '2024-05-06',
			purchaseCount: 1,
			pointsEarned: 50,
			netPoints: 50,
		});
		expect(summary.weeks[2]).toMatchObject({ purchaseCount: 0, pointsEarned: 5 });
		expect(summary.throughWeek).toBe('2024-W21');
	});

	it('returns exactly the last N weeks ending with the asOf week', () => {
		const summary = weeklyActivitySummary(ledger([1, 1, 1, 1]), {
			asOf: MONDAY + 5 * 7 * MS_PER_DAY + MS_PER_DAY,
			weeks: 3,
			includeCurrentWeek: true,
		});
		expect(summary.weeks.map((week) => week.isoWeek)).toEqual(['2024-W22', '2024-W23', '2024-W24']);
		expect(summary.weeks.map((week) => week.activityCount)).toEqual([1, 0, 0]);
		expect(summary.weeksSinceLastActivity).toBe(2);
		expect(summary.activeWeeks).toBe(1);
	});

	it("counts Li Lei's three declining weeks", () => {
		const perWeek = [4, 5, 4, 5, 6, 4, 3, 1];
		const summary = weeklyActivitySummary(ledger(perWeek), {
			asOf: MONDAY + 8 * 7 * MS_PER_DAY + MS_PER_DAY,
			weeks: 8,
		});
		expect(summary.weeks.map((week) => week.activityCount)).toEqual(perWeek);
		expect(summary.decliningWeeks).toBe(3);
		expect(summary.totals.activityCount).toBe(32);
		expect(summary.totals.pointsEarned).toBe(320);
	});

	it('keeps expiry lines out of the activity counts and redemptions in', () => {
		const summary = weeklyActivitySummary(
			[
				line(at(0), 106, 0, 40),
				line(at(0), 192, 0, 10),
				line(at(0), 107, 0, 500),
				line(at(0), 109, 100),
			],
			{ asOf: MONDAY, includeCurrentWeek: true },
		);
		expect(summary.weeks).toHaveLength(1);
		expect(summary.weeks[0]).toMatchObject({
			activityCount: 2,
			redemptionCount: 1,
			purchaseCount: 1,
			pointsEarned: 100,
			pointsUsed: 500,
			pointsExpired: 50,
			netPoints: -450,
		});
	});

	it('ends with the last complete week by default, so a week in progress is not a decline', () => {
		const lines = [...ledger([3, 3]), line(at(2, 0), 109, 10)];
		const asOf = MONDAY + 2 * 7 * MS_PER_DAY + MS_PER_DAY; // Tuesday of the third week
		const summary = weeklyActivitySummary(lines, { asOf, weeks: 2 });
		expect(summary.throughWeek).toBe('2024-W20');
		expect(summary.decliningWeeks).toBe(0);
		const withCurrent = weeklyActivitySummary(lines, { asOf, weeks: 3, includeCurrentWeek: true });
		expect(withCurrent.weeks.map((week) => week.activityCount)).toEqual([3, 3, 1]);
		expect(withCurrent.decliningWeeks).toBe(1);
	});

	it('honours configured purchase action ids', () => {
		const summary = weeklyActivitySummary([line(at(0), 150, 10)], { purchaseActionIds: [150] });
		expect(summary.weeks[0].purchaseCount).toBe(1);
	});

	it('summarises nothing without dated lines', () => {
		expect(weeklyActivitySummary([{ actionId: 109 }])).toEqual({
			throughWeek: null,
			weeks: [],
			activeWeeks: 0,
			weeksSinceLastActivity: null,
			decliningWeeks: 0,
			totals: {
				activityCount: 0,
				purchaseCount: 0,
				redemptionCount: 0,
				pointsEarned: 0,
				pointsUsed: 0,
				pointsExpired: 0,
				netPoints: 0,
			},
		});
	});
});
