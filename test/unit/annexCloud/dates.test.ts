import {
	formatAnnexDate,
	isoWeekOf,
	parseAnnexDate,
	toIso,
} from '../../../nodes/AnnexCloud/logic/dates';

describe('Annex Cloud dates', () => {
	it.each([
		['2024-08-08T07:00:12+0000', '2024-08-08T07:00:12.000Z'],
		['2024-08-08T09:00:12+0200', '2024-08-08T07:00:12.000Z'],
		['2024-08-08 07:00:12', '2024-08-08T07:00:12.000Z'],
		['2024-08-08', '2024-08-08T00:00:00.000Z'],
		['2024-08-08T07:00:12Z', '2024-08-08T07:00:12.000Z'],
		[1723100412, '2024-08-08T07:00:12.000Z'],
		['1723100412000', '2024-08-08T07:00:12.000Z'],
	])('%s → %s', (input, expected) => {
		expect(toIso(input)).toBe(expected);
	});

	it('reads empty and zero dates as absent', () => {
		expect(parseAnnexDate('')).toBeUndefined();
		expect(parseAnnexDate('0000-00-00 00:00:00')).toBeUndefined();
		expect(parseAnnexDate(null)).toBeUndefined();
		expect(parseAnnexDate('not a date')).toBeUndefined();
	});

	it('formats for search and expiry filters', () => {
		expect(formatAnnexDate(Date.UTC(2024, 7, 8, 7, 0, 12))).toBe('2024-08-08T07:00:12+0000');
	});

	it.each([
		['2024-01-01', '2024-W01', '2024-01-01'],
		['2021-01-03', '2020-W53', '2020-12-28'],
		['2024-12-30', '2025-W01', '2024-12-30'],
		['2026-06-07T23:59:59Z', '2026-W23', '2026-06-01'],
		['2027-01-01', '2026-W53', '2026-12-28'],
	])('ISO week of %s is %s starting %s', (day, week, start) => {
		const result = isoWeekOf(parseAnnexDate(day) as number);
		expect(result.isoWeek).toBe(week);
		expect(result.weekStart).toBe(start);
	});
});
