import {
	createTouchLedger,
	holdoutBucket,
	isInHoldout,
} from '../../../nodes/SegmentBuild/logic/guardrails';

const DAY = 86_400_000;
const AS_OF = Date.UTC(2026, 4, 25, 12);

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
		expect(ledger.count('M1', history)).toBe(2);
		expect(ledger.count('M2', undefined)).toBe(0);
		expect(ledger.count('M2', 'not a list')).toBe(0);
	});

	it('records touches and prunes old ones', () => {
		const state = { touches: { 'm:M1': [AS_OF - 30 * DAY], 'm:M2': [AS_OF - DAY] } };
		const ledger = createTouchLedger(state, 7, AS_OF);
		ledger.record('M1');
		ledger.record('M3');
		ledger.record('M3');
		expect(ledger.count('M3', [])).toBe(2);
		expect(ledger.prune()).toEqual({
			touches: { 'm:M1': [AS_OF], 'm:M2': [AS_OF - DAY], 'm:M3': [AS_OF, AS_OF] },
		});
	});

	it('keeps member IDs such as __proto__ out of object keys', () => {
		const ledger = createTouchLedger(undefined, 7, AS_OF);
		ledger.record('__proto__');
		ledger.record('constructor');
		expect(ledger.count('__proto__', [])).toBe(1);
		expect(ledger.count('toString', [])).toBe(0);
		expect(Object.keys(ledger.prune().touches)).toEqual(['m:__proto__', 'm:constructor']);
	});
});
