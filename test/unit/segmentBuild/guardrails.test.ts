import {
	countTouches,
	holdoutBucket,
	isInHoldout,
} from '../../../nodes/SegmentBuild/logic/guardrails';
import { createClock, type ZoneDay } from '../../../nodes/shared/dates';

const AS_OF = Date.UTC(2026, 4, 25, 12);

function zoneDay(zone: string, asOfMs = AS_OF): ZoneDay {
	const day = createClock(asOfMs, 'UTC');
	if ('ok' in day) throw new Error(day.message);
	return day.zone(zone)!;
}
const UTC = zoneDay('UTC');

describe('holdout', () => {
	it('is deterministic per member and salt', () => {
		expect(holdoutBucket('M1', 'spring')).toBe(holdoutBucket('M1', 'spring'));
		expect(holdoutBucket('M1', 'spring')).not.toBe(holdoutBucket('M1', 'autumn'));
		expect(holdoutBucket('M1', '')).toBeGreaterThanOrEqual(0);
		expect(holdoutBucket('M1', '')).toBeLessThan(10000);
	});

	it('holds out about the asked share, and nobody at 0%', () => {
		let held = 0;
		for (let index = 0; index < 20000; index++) if (isInHoldout(`m${index}`, 'camp', 10)) held++;
		expect(held / 20000).toBeGreaterThan(0.09);
		expect(held / 20000).toBeLessThan(0.11);
		expect(isInHoldout('m1', 'camp', 0)).toBe(false);
		expect(isInHoldout('m1', 'camp', 100)).toBe(true);
	});
});

describe('touch count for the frequency cap', () => {
	it('counts touches inside the window from local dates and instants', () => {
		const history = [
			'2026-05-24T09:00:00Z',
			'2026-05-10T09:00:00Z',
			'2026-05-23',
			'2026-05-18',
			'not a date',
			12,
		];
		expect(countTouches(history, UTC, 7)).toBe(2);
		expect(countTouches(undefined, UTC, 7)).toBe(0);
		expect(countTouches('not a list', UTC, 7)).toBe(0);
		// Later today than the as-of moment: not sent yet, so it does not count.
		expect(countTouches(['2026-05-25T18:00:00Z'], UTC, 1)).toBe(0);
		expect(countTouches(['2026-05-25'], UTC, 1)).toBe(1);
	});

	it('counts calendar days in the member zone: a touch one second later yesterday does not block today', () => {
		// One touch a day, runs at 08:00 Shanghai time: yesterday's ran at 08:00:01.
		const today = Date.UTC(2026, 4, 25, 0, 0, 0); // 08:00:00 in Asia/Shanghai
		const shanghai = zoneDay('Asia/Shanghai', today);
		expect(countTouches(['2026-05-24T08:00:01+08:00'], shanghai, 1)).toBe(0);
		expect(countTouches(['2026-05-25T07:59:00+08:00'], shanghai, 1)).toBe(1);
		// The member's local date as the campaign record keeps it.
		expect(countTouches(['2026-05-24'], shanghai, 1)).toBe(0);
		expect(countTouches(['2026-05-25'], shanghai, 1)).toBe(1);
		// Over a DST change: London's clocks went forward on 2026-03-29.
		const afterDst = Date.UTC(2026, 2, 29, 7, 0, 0); // 08:00 BST
		const london = zoneDay('Europe/London', afterDst);
		expect(countTouches(['2026-03-28T08:00:00Z'], london, 1)).toBe(0);
		// A two-day window counts yesterday and today.
		expect(
			countTouches(['2026-05-24T00:30:00+08:00', '2026-05-23T23:30:00+08:00'], shanghai, 2),
		).toBe(1);
		// A local date is a date in the member's zone, never shifted by the offset.
		const losAngeles = zoneDay('America/Los_Angeles', Date.UTC(2026, 4, 25, 16));
		expect(countTouches(['2026-05-25'], losAngeles, 1)).toBe(1);
		expect(countTouches(['2026-05-24'], losAngeles, 1)).toBe(0);
	});
});
