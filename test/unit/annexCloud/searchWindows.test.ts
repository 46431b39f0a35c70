import { MS_PER_DAY } from '../../../nodes/shared/dates';
import {
	halveWindow,
	inclusiveEnd,
	needsNarrowing,
	searchByWindows,
	splitDateRange,
	type DateWindow,
} from '../../../nodes/AnnexCloud/logic/searchWindows';

describe('date windows for searches beyond 50 members', () => {
	it('splits a range into consecutive windows', () => {
		expect(splitDateRange(0, 10 * MS_PER_DAY, 4 * MS_PER_DAY)).toEqual([
			{ start: 0, end: 4 * MS_PER_DAY },
			{ start: 4 * MS_PER_DAY, end: 8 * MS_PER_DAY },
			{ start: 8 * MS_PER_DAY, end: 10 * MS_PER_DAY },
		]);
		expect(splitDateRange(5, 5, MS_PER_DAY)).toEqual([]);
		expect(splitDateRange(0, MS_PER_DAY, 0)).toEqual([{ start: 0, end: MS_PER_DAY }]);
	});

	it('halves on whole seconds and stops at one second', () => {
		expect(halveWindow({ start: 0, end: 5000 })).toEqual([
			{ start: 0, end: 2000 },
			{ start: 2000, end: 5000 },
		]);
		expect(needsNarrowing({ start: 0, end: 5000 }, 50)).toBe(true);
		expect(needsNarrowing({ start: 0, end: 5000 }, 49)).toBe(false);
		expect(needsNarrowing({ start: 0, end: 1000 }, 50)).toBe(false);
		expect(inclusiveEnd({ start: 0, end: 5000 })).toBe(4000);
	});

	/** 230 members, one every 10 minutes, searched through a fake capped API. */
	const members = Array.from({ length: 230 }, (_, index) => ({
		id: `m-${index}`,
		at: index * 600_000,
	}));
	const capped = (window: DateWindow) =>
		Promise.resolve(
			members.filter((m) => m.at >= window.start && m.at <= inclusiveEnd(window)).slice(0, 50),
		);

	it('narrows full windows until every member is found, once', async () => {
		const calls: DateWindow[] = [];
		const { results, truncatedWindows } = await searchByWindows(
			splitDateRange(0, 3 * MS_PER_DAY, MS_PER_DAY),
			async (window) => {
				calls.push(window);
				return await capped(window);
			},
			{ keyOf: (m) => m.id },
		);
		expect(results.map((m) => m.id)).toEqual(members.map((m) => m.id));
		expect(truncatedWindows).toEqual([]);
		expect(calls.length).toBeGreaterThan(5);
		// Windows are walked oldest first.
		expect(results.map((m) => m.at)).toEqual([...results.map((m) => m.at)].sort((a, b) => a - b));
	});

	it('stops at the limit', async () => {
		const { results } = await searchByWindows(
			splitDateRange(0, 3 * MS_PER_DAY, MS_PER_DAY),
			capped,
			{
				keyOf: (m) => m.id,
				limit: 70,
			},
		);
		expect(results).toHaveLength(70);
	});

	it('reports windows that cannot be narrowed further', async () => {
		const crowd = Array.from({ length: 60 }, (_, index) => ({ id: `c-${index}` }));
		const { results, truncatedWindows } = await searchByWindows(
			[{ start: 0, end: 1000 }],
			async () => crowd.slice(0, 50),
			{ keyOf: (m) => m.id },
		);
		expect(results).toHaveLength(50);
		expect(truncatedWindows).toEqual([{ start: 0, end: 1000 }]);
	});
});
