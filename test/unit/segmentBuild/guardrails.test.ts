import {
	createTouchLedger,
	holdoutBucket,
	isInHoldout,
} from '../../../nodes/SegmentBuild/logic/guardrails';
import { createClock, type ZoneDay } from '../../../nodes/shared/dates';

const DAY = 86_400_000;
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

describe('touch ledger', () => {
	it('counts touches inside the window from history and stored state', () => {
		const ledger = createTouchLedger(
			{ touches: { 'm:M1': [AS_OF - 2 * DAY, AS_OF - 8 * DAY] } },
			7,
			AS_OF,
		);
		const history = ['2026-05-24T09:00:00Z', '2026-05-10T09:00:00Z', 'not a date', 12];
		expect(ledger.count('M1', history, UTC)).toBe(2);
		expect(ledger.count('M2', undefined, UTC)).toBe(0);
		expect(ledger.count('M2', 'not a list', UTC)).toBe(0);
	});

	it('records touches and prunes old ones', () => {
		const state = { touches: { 'm:M1': [AS_OF - 30 * DAY], 'm:M2': [AS_OF - DAY] } };
		const ledger = createTouchLedger(state, 7, AS_OF);
		ledger.record('M1');
		ledger.record('M3');
		ledger.record('M3');
		expect(ledger.count('M3', [], UTC)).toBe(2);
		expect(ledger.prune()).toEqual({
			touches: { 'm:M1': [AS_OF], 'm:M2': [AS_OF - DAY], 'm:M3': [AS_OF, AS_OF] },
		});
	});

	it('counts calendar days in the member zone: a touch one second later yesterday does not block today', () => {
		// One touch a day, runs at 08:00 Shanghai time: yesterday's ran at 08:00:01.
		const today = Date.UTC(2026, 4, 25, 0, 0, 0); // 08:00:00 in Asia/Shanghai
		const ledger = createTouchLedger(undefined, 1, today);
		const shanghai = zoneDay('Asia/Shanghai', today);
		expect(ledger.count('M1', ['2026-05-24T08:00:01+08:00'], shanghai)).toBe(0);
		expect(ledger.count('M1', ['2026-05-25T07:59:00+08:00'], shanghai)).toBe(1);
		// Over a DST change: London's clocks went forward on 2026-03-29.
		const afterDst = Date.UTC(2026, 2, 29, 7, 0, 0); // 08:00 BST
		const london = zoneDay('Europe/London', afterDst);
		const londonLedger = createTouchLedger(undefined, 1, afterDst);
		expect(londonLedger.count('M1', ['2026-03-28T08:00:00Z'], london)).toBe(0);
		// A two-day window counts yesterday and today.
		const twoDays = createTouchLedger(undefined, 2, today);
		expect(
			twoDays.count('M1', ['2026-05-24T00:30:00+08:00', '2026-05-23T23:30:00+08:00'], shanghai),
		).toBe(1);
	});

	it('keeps member IDs such as __proto__ out of object keys', () => {
		const ledger = createTouchLedger(undefined, 7, AS_OF);
		ledger.record('__proto__');
		ledger.record('constructor');
		expect(ledger.count('__proto__', [], UTC)).toBe(1);
		expect(ledger.count('toString', [], UTC)).toBe(0);
		expect(Object.keys(ledger.prune().touches)).toEqual(['m:__proto__', 'm:constructor']);
	});
});
