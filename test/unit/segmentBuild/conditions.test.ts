import type {
	Condition,
	FieldOperator,
	SegmentRules,
} from '../../../nodes/SegmentBuild/logic/conditions';
import {
	compileCondition,
	compileRules,
	isDeclining,
} from '../../../nodes/SegmentBuild/logic/conditions';
import { compileCadence, DEFAULT_CADENCE } from '../../../nodes/SegmentBuild/logic/keyDates';
import type { ZoneDay } from '../../../nodes/shared/dates';
import { createClock, isClockFailure } from '../../../nodes/shared/dates';
import { isRuleFailure } from '../../../nodes/shared/memberValues';

const cadence = compileCadence(DEFAULT_CADENCE);
if (isRuleFailure(cadence)) throw new Error(cadence.message);
const context = { feb29: 'feb28' as const, cadence };

function zone(asOf: string, name = 'UTC'): ZoneDay {
	const clock = createClock(asOf, name);
	if (isClockFailure(clock)) throw new Error(clock.message);
	return clock.defaultZone;
}

const TODAY = zone('2026-05-25');

function test(condition: Condition, member: unknown, zoneDay = TODAY): boolean {
	const predicate = compileCondition(condition, context);
	if (isRuleFailure(predicate)) throw new Error(predicate.message);
	return predicate(member, zoneDay);
}

describe('tier', () => {
	const platinum: Condition = {
		type: 'tier',
		field: 'tier',
		operator: 'isIn',
		tiers: 'Gold, Platinum',
	};
	it('matches listed tiers case-insensitively', () => {
		expect(test(platinum, { tier: 'platinum' })).toBe(true);
		expect(test(platinum, { tier: 'Silver' })).toBe(false);
		expect(test(platinum, {})).toBe(false);
		expect(test({ ...platinum, operator: 'isNotIn' }, { tier: 'Silver' })).toBe(true);
		expect(test({ ...platinum, tiers: ['Gold'] }, { tier: 'Gold' })).toBe(true);
	});
});

describe('points', () => {
	it('compares numbers and numeric text, never matching non-numbers', () => {
		const rule: Condition = { type: 'points', field: 'points', operator: 'gte', value: 1000 };
		expect(test(rule, { points: 1000 })).toBe(true);
		expect(test(rule, { points: '1500' })).toBe(true);
		expect(test(rule, { points: 999 })).toBe(false);
		expect(test(rule, { points: 'n/a' })).toBe(false);
		expect(test(rule, { points: null })).toBe(false);
		expect(test({ ...rule, operator: 'lt' }, { points: 999 })).toBe(true);
		expect(test({ ...rule, operator: 'notEquals' }, { points: 999 })).toBe(true);
	});
});

describe('daysSince', () => {
	const rule: Condition = {
		type: 'daysSince',
		field: 'lastPurchaseDate',
		operator: 'gt',
		value: 30,
	};
	it('counts whole days to today; no date counts as never', () => {
		expect(test(rule, { lastPurchaseDate: '2026-04-24' })).toBe(true);
		expect(test(rule, { lastPurchaseDate: '2026-04-25' })).toBe(false);
		expect(test(rule, {})).toBe(true);
		expect(test(rule, { lastPurchaseDate: 'garbage' })).toBe(false);
		expect(
			test({ ...rule, operator: 'lte', value: 0 }, { lastPurchaseDate: '2026-05-25T23:59:00Z' }),
		).toBe(true);
	});

	it('reads timestamps in the member’s zone', () => {
		const shanghai = zone('2026-05-25', 'Asia/Shanghai');
		const rule0: Condition = { ...rule, operator: 'equals', value: 0 };
		// 17:00 UTC May 24 is 01:00 May 25 in Shanghai: a purchase today.
		expect(test(rule0, { lastPurchaseDate: '2026-05-24T17:00:00Z' }, shanghai)).toBe(true);
		expect(test(rule0, { lastPurchaseDate: '2026-05-24T17:00:00Z' })).toBe(false);
	});
});

describe('keyDateWithin', () => {
	const rule: Condition = { type: 'keyDateWithin', field: 'birthDate', days: 7 };
	it('includes today and the last day of the window', () => {
		expect(test(rule, { birthDate: '1990-05-25' })).toBe(true);
		expect(test(rule, { birthDate: '1990-06-01' })).toBe(true);
		expect(test(rule, { birthDate: '1990-06-02' })).toBe(false);
		expect(test(rule, { birthDate: '1990-05-24' })).toBe(false);
		expect(test(rule, {})).toBe(false);
	});

	it('crosses the year end (Dec 30 with a window over Jan 1)', () => {
		const dec30 = zone('2026-12-30');
		expect(test(rule, { birthDate: '1985-01-03' }, dec30)).toBe(true);
		expect(test(rule, { birthDate: '01-06' }, dec30)).toBe(true);
		expect(test(rule, { birthDate: '1985-01-07' }, dec30)).toBe(false);
	});

	it('handles February 29 birthdays in common and leap years', () => {
		const leapling = { birthDate: '2000-02-29' };
		expect(test({ ...rule, days: 0 }, leapling, zone('2026-02-28'))).toBe(true);
		expect(test({ ...rule, days: 0 }, leapling, zone('2028-02-28'))).toBe(false);
		expect(test({ ...rule, days: 0 }, leapling, zone('2028-02-29'))).toBe(true);
	});
});

describe('keyDateStep', () => {
	const rule: Condition = { type: 'keyDateStep', field: 'birthDate' };
	it('matches only on the cadence days', () => {
		expect(test(rule, { birthDate: '1990-06-01' })).toBe(true); // 7 days
		expect(test(rule, { birthDate: '1990-06-02' })).toBe(false); // 8 days
		expect(test(rule, { birthDate: '1990-05-28' })).toBe(true); // 3 days
		expect(test(rule, { birthDate: '1990-05-27' })).toBe(false); // 2 days
	});
});

describe('pointsExpiringWithin', () => {
	const rule: Condition = {
		type: 'pointsExpiringWithin',
		field: 'expiresOn',
		days: 14,
		pointsField: 'expiring',
	};
	it('needs an expiry inside the window and points to lose', () => {
		expect(test(rule, { expiresOn: '2026-06-08', expiring: 120 })).toBe(true);
		expect(test(rule, { expiresOn: '2026-06-09', expiring: 120 })).toBe(false);
		expect(test(rule, { expiresOn: '2026-05-24', expiring: 120 })).toBe(false);
		expect(test(rule, { expiresOn: '2026-05-30', expiring: 0 })).toBe(false);
		expect(test(rule, { expiresOn: '2026-05-30' })).toBe(true);
		expect(test(rule, { expiring: 10 })).toBe(false);
	});
});

describe('activityDeclining', () => {
	it('needs N strict week-on-week declines at the end of the series', () => {
		expect(isDeclining([9, 8, 6, 4, 2], 3, 'count')).toBe(true);
		expect(isDeclining([1, 9, 8, 6, 4], 3, 'count')).toBe(true);
		expect(isDeclining([1, 8, 6, 4], 3, 'count')).toBe(false);
		expect(isDeclining([8, 6, 4], 3, 'count')).toBe(false); // too short
		expect(isDeclining([8, 6, 6, 4], 3, 'count')).toBe(false); // a flat week breaks it
		expect(isDeclining([8, 6, 4, 5], 3, 'count')).toBe(false);
		expect(isDeclining([], 1, 'count')).toBe(false);
		expect(isDeclining('8,6,4,2', 3, 'count')).toBe(false);
	});

	it('reads week objects, the Annex Cloud weekly summary and mixed types', () => {
		const weeks = [
			{ week: '2026-W18', count: 7, points: 10 },
			{ week: '2026-W19', count: 5, points: 50 },
			{ week: '2026-W20', count: '3', points: 40 },
			{ week: '2026-W21', count: 1, points: 30 },
		];
		expect(isDeclining(weeks, 3, 'count')).toBe(true);
		expect(isDeclining(weeks, 3, 'points')).toBe(false);
		expect(isDeclining(weeks, 2, 'points')).toBe(true);
		expect(isDeclining({ weeks: [{ activityCount: 4 }, { activityCount: 2 }] }, 1, 'count')).toBe(
			true,
		);
		expect(isDeclining([5, { count: 3 }, '2'], 2, 'count')).toBe(true);
		expect(isDeclining([5, 'x', 2], 2, 'count')).toBe(false);
	});

	it('works as a rule: Li Lei declining three weeks', () => {
		const rule: Condition = { type: 'activityDeclining', field: 'weeklyActivity', weeks: 3 };
		expect(test(rule, { name: 'Li Lei', weeklyActivity: [12, 9, 5, 2] })).toBe(true);
		expect(test(rule, { name: 'Han Meimei', weeklyActivity: [12, 9, 9, 2] })).toBe(false);
	});
});

describe('consent', () => {
	const rule: Condition = { type: 'consent', field: 'consent.sms', granted: true };
	it('reads booleans and the usual words', () => {
		expect(test(rule, { consent: { sms: true } })).toBe(true);
		expect(test(rule, { consent: { sms: 'EXPLICITLY_OPTEDIN' } })).toBe(true);
		expect(test(rule, { consent: { sms: 'NOT_SPECIFIED' } })).toBe(false);
		expect(test(rule, { consent: { sms: false } })).toBe(false);
		expect(test({ ...rule, granted: false }, { consent: { sms: 'no' } })).toBe(true);
		expect(test({ ...rule, granted: false }, {})).toBe(true);
	});
});

describe('field comparisons', () => {
	const field = (operator: FieldOperator, value: unknown, member: unknown): boolean =>
		test({ type: 'field', field: 'profile.city', operator, value }, { profile: member });

	it('compares numbers when both sides are numbers, text otherwise', () => {
		expect(field('equals', 'london', { city: 'London' })).toBe(true);
		expect(field('equals', '10', { city: 10 })).toBe(true);
		expect(field('equals', '10', { city: '10.0' })).toBe(true);
		expect(field('gt', '9', { city: '10' })).toBe(true);
		expect(field('gt', 'b', { city: 'c' })).toBe(true);
		expect(field('lt', '2026-05-01', { city: '2026-04-30' })).toBe(true);
		expect(field('notEquals', 'Paris', { city: 'London' })).toBe(true);
	});

	it('supports contains, exists and lists', () => {
		expect(field('contains', 'ond', { city: 'London' })).toBe(true);
		expect(field('contains', 'travel', { city: ['Travel', 'dining'] })).toBe(true);
		expect(field('notContains', 'x', { city: 'London' })).toBe(true);
		expect(field('exists', '', { city: '' })).toBe(false);
		expect(field('notExists', '', {})).toBe(true);
		expect(field('isIn', 'Paris, London', { city: 'london' })).toBe(true);
		expect(field('isNotIn', 'Paris, London', { city: 'Rome' })).toBe(true);
		expect(field('gt', '5', { city: { nested: 1 } })).toBe(false);
	});
});

describe('compileRules', () => {
	const rules = (combinator: 'and' | 'or', ...groups: SegmentRules['groups']): SegmentRules => ({
		combinator,
		groups,
	});
	const platinum: Condition = { type: 'tier', field: 'tier', operator: 'isIn', tiers: 'Platinum' };
	const lapsed: Condition = {
		type: 'daysSince',
		field: 'lastPurchaseDate',
		operator: 'gt',
		value: 30,
	};
	const rich: Condition = { type: 'points', field: 'points', operator: 'gte', value: 5000 };

	function matches(segment: SegmentRules, member: unknown): boolean {
		const predicate = compileRules(segment, context);
		if (isRuleFailure(predicate)) throw new Error(predicate.message);
		return predicate(member, TODAY);
	}

	it('combines conditions in AND and OR groups, and groups by the top-level combinator', () => {
		const segment = rules(
			'and',
			{ combinator: 'and', conditions: [platinum] },
			{ combinator: 'or', conditions: [lapsed, rich] },
		);
		expect(matches(segment, { tier: 'Platinum', points: 10 })).toBe(true);
		expect(
			matches(segment, { tier: 'Platinum', points: 9000, lastPurchaseDate: '2026-05-20' }),
		).toBe(true);
		expect(matches(segment, { tier: 'Platinum', points: 10, lastPurchaseDate: '2026-05-20' })).toBe(
			false,
		);
		expect(matches(segment, { tier: 'Gold' })).toBe(false);
		const either = rules(
			'or',
			{ combinator: 'and', conditions: [platinum] },
			{ combinator: 'and', conditions: [rich] },
		);
		expect(matches(either, { tier: 'Gold', points: 6000 })).toBe(true);
	});

	it('matches everybody with no groups or only empty groups', () => {
		expect(matches(rules('and'), {})).toBe(true);
		expect(matches(rules('or', { combinator: 'and', conditions: [] }), {})).toBe(true);
	});

	it('reports bad conditions with their position', () => {
		const bad = compileRules(
			rules('and', {
				combinator: 'and',
				conditions: [platinum, { type: 'points', field: 'points', operator: 'gt', value: 'many' }],
			}),
			context,
		);
		expect(bad).toMatchObject({ ok: false, field: 'groups' });
		expect((bad as { message: string }).message).toMatch(/Group 1, condition 2/);
		expect(
			compileCondition({ type: 'tier', field: '', operator: 'isIn', tiers: 'Gold' }, context),
		).toMatchObject({ ok: false });
		expect(
			compileCondition({ type: 'tier', field: 'tier', operator: 'isIn', tiers: ' ' }, context),
		).toMatchObject({ ok: false });
		expect(
			compileCondition({ type: 'activityDeclining', field: 'w', weeks: 0 }, context),
		).toMatchObject({ ok: false });
		expect(
			compileCondition({ type: 'keyDateWithin', field: 'b', days: -1 }, context),
		).toMatchObject({ ok: false });
		expect(
			compileCondition({ type: 'field', field: 'x', operator: 'like' as never }, context),
		).toMatchObject({ ok: false });
		expect(compileCondition({ type: 'mystery' } as never, context)).toMatchObject({ ok: false });
	});
});
