import type {
	TierConfig,
	TierEvaluation,
	TierEvaluator,
} from '../../../nodes/TierEvaluate/logic/tierEvaluation';
import { compileTierEvaluator } from '../../../nodes/TierEvaluate/logic/tierEvaluation';
import type { RuleFailure } from '../../../nodes/shared/memberValues';
import { isRuleFailure } from '../../../nodes/shared/memberValues';

const BASE: TierConfig = {
	tiers: [
		{ name: 'Bronze', threshold: 0 },
		{ name: 'Silver', threshold: 1000 },
		{ name: 'Gold', threshold: 5000 },
		{ name: 'Platinum', threshold: 10000 },
	],
	fields: {
		memberId: 'id',
		qualifyingValue: 'points.lifetime',
		currentTier: 'tier',
		tierAchievedDate: 'tierAchievedDate',
		enrollmentDate: 'enrolledOn',
		timeZone: 'tz',
	},
	closeToUpgrade: { unit: 'points', margin: 200 },
	entitlements: [
		{
			tier: 'Silver',
			benefitId: 'birthday-gift',
			name: 'Birthday gift',
			quantity: 1,
			validityDays: 30,
		},
		{
			tier: 'Gold',
			benefitId: 'free-shipping',
			name: 'Free shipping',
			quantity: 1,
			validityDays: 365,
		},
		{
			tier: 'Gold',
			benefitId: 'birthday-gift',
			name: 'Birthday gift',
			quantity: 1,
			validityDays: 30,
		},
		{ tier: 'Platinum', benefitId: 'lounge', name: 'Lounge pass', quantity: 2, validityDays: 0 },
	],
	asOf: '2026-05-25',
};

function evaluator(overrides: Partial<TierConfig> = {}): TierEvaluator {
	const compiled = compileTierEvaluator({ ...BASE, ...overrides });
	if (isRuleFailure(compiled)) throw new Error(compiled.message);
	return compiled;
}

function ok(result: TierEvaluation | RuleFailure): TierEvaluation {
	if (isRuleFailure(result)) throw new Error(`${result.field}: ${result.message}`);
	return result;
}

const member = (lifetime: unknown, tier: unknown, extra: Record<string, unknown> = {}) => ({
	id: 'M1',
	points: { lifetime },
	tier,
	tierAchievedDate: '2025-11-02',
	...extra,
});

describe('tier change', () => {
	const evaluate = evaluator();

	it('upgrades, granting the new tier’s benefits with expiry dates', () => {
		const result = ok(evaluate(member(5200, 'Silver')));
		expect(result).toMatchObject({
			memberId: 'M1',
			previousTier: 'Silver',
			currentTier: 'Gold',
			nextTier: 'Platinum',
			pointsToNextTier: 4800,
			change: 'upgrade',
			events: ['tier_upgrade'],
			downgradeProtectedUntil: null,
		});
		expect(result.progress).toBe(4);
		expect(result.entitlements.grant).toEqual([
			{
				benefitId: 'free-shipping',
				name: 'Free shipping',
				quantity: 1,
				validityDays: 365,
				expiresOn: '2027-05-24',
			},
		]);
		expect(result.entitlements.unchanged.map((e) => e.benefitId)).toEqual(['birthday-gift']);
		expect(result.entitlements.revoke).toEqual([]);
	});

	it('treats a value exactly at a threshold as reaching the tier', () => {
		expect(ok(evaluate(member(5000, 'Silver'))).currentTier).toBe('Gold');
		expect(ok(evaluate(member(4999, 'Silver'))).change).toBe('none');
	});

	it('upgrades several tiers at once', () => {
		const result = ok(evaluate(member(12000, 'Bronze')));
		expect(result).toMatchObject({
			currentTier: 'Platinum',
			nextTier: null,
			pointsToNextTier: null,
			progress: 100,
		});
		expect(result.entitlements.grant.find((e) => e.benefitId === 'lounge')?.expiresOn).toBeNull();
	});

	it('downgrades without protection and revokes benefits', () => {
		const result = ok(evaluate(member(1200, 'Gold')));
		expect(result).toMatchObject({
			currentTier: 'Silver',
			change: 'downgrade',
			events: ['tier_downgrade'],
		});
		expect(result.entitlements.revoke.map((e) => e.benefitId)).toEqual(['free-shipping']);
	});

	it('assigns a first tier to a member without one', () => {
		const result = ok(evaluate(member(1500, '')));
		expect(result).toMatchObject({
			previousTier: null,
			currentTier: 'Silver',
			change: 'initial',
			events: [],
		});
		expect(result.entitlements.grant.map((e) => e.benefitId)).toEqual(['birthday-gift']);
	});

	it('leaves members below the lowest threshold without a tier', () => {
		const evaluateHigh = evaluator({
			tiers: [
				{ name: 'Silver', threshold: 500 },
				{ name: 'Gold', threshold: 2000 },
			],
			entitlements: [],
		});
		expect(ok(evaluateHigh(member(100, undefined)))).toMatchObject({
			currentTier: null,
			nextTier: 'Silver',
			pointsToNextTier: 400,
			progress: 20,
			change: 'none',
		});
		expect(ok(evaluateHigh(member(100, 'Silver')))).toMatchObject({
			currentTier: null,
			change: 'downgrade',
		});
	});

	it('accepts numeric text and numeric IDs (mixed types)', () => {
		const result = ok(evaluate({ id: 42, points: { lifetime: ' 5000 ' }, tier: 'gold' }));
		expect(result).toMatchObject({
			memberId: '42',
			qualifyingValue: 5000,
			currentTier: 'Gold',
			change: 'none',
		});
	});
});

describe('downgrade protection', () => {
	it('minimum time in tier holds the tier until the day it ends', () => {
		const evaluate = evaluator({ downgradeProtection: { kind: 'minimumTimeInTier', days: 90 } });
		const held = ok(evaluate(member(1200, 'Gold', { tierAchievedDate: '2026-03-01' })));
		expect(held).toMatchObject({
			currentTier: 'Gold',
			earnedTier: 'Silver',
			change: 'none',
			events: [],
			downgradeProtectedUntil: '2026-05-30',
		});
		expect(held.entitlements.revoke).toEqual([]);
		const due = ok(evaluate(member(1200, 'Gold', { tierAchievedDate: '2026-02-24' })));
		expect(due).toMatchObject({
			currentTier: 'Silver',
			change: 'downgrade',
			downgradeProtectedUntil: null,
		});
	});

	it('grace period holds the tier for the tier year plus the grace days', () => {
		const evaluate = evaluator({ downgradeProtection: { kind: 'gracePeriod', days: 30 } });
		// Achieved 2025-05-01: tier year ends 2026-05-01, grace until 2026-05-31.
		expect(ok(evaluate(member(1200, 'Gold', { tierAchievedDate: '2025-05-01' })))).toMatchObject({
			currentTier: 'Gold',
			downgradeProtectedUntil: '2026-05-31',
		});
		expect(ok(evaluate(member(1200, 'Gold', { tierAchievedDate: '2025-04-24' })))).toMatchObject({
			currentTier: 'Silver',
			change: 'downgrade',
		});
	});

	it('falls back to the enrollment date and applies no protection without any date', () => {
		const evaluate = evaluator({ downgradeProtection: { kind: 'minimumTimeInTier', days: 30 } });
		expect(
			ok(evaluate(member(1200, 'Gold', { tierAchievedDate: '', enrolledOn: '2026-05-20' })))
				.currentTier,
		).toBe('Gold');
		expect(ok(evaluate(member(1200, 'Gold', { tierAchievedDate: undefined }))).currentTier).toBe(
			'Silver',
		);
	});

	it('never holds back an upgrade', () => {
		const evaluate = evaluator({ downgradeProtection: { kind: 'minimumTimeInTier', days: 365 } });
		expect(ok(evaluate(member(6000, 'Silver', { tierAchievedDate: '2026-05-24' }))).change).toBe(
			'upgrade',
		);
	});
});

describe('events', () => {
	it('flags close to upgrade within a points margin, not at zero margin', () => {
		expect(ok(evaluator()(member(4800, 'Silver'))).events).toEqual(['close_to_tier_upgrade']);
		expect(ok(evaluator()(member(4799, 'Silver'))).events).toEqual([]);
		const off = evaluator({ closeToUpgrade: { unit: 'points', margin: 0 } });
		expect(ok(off(member(4999, 'Silver'))).events).toEqual([]);
	});

	it('flags close to upgrade within a percent of the next threshold', () => {
		const evaluate = evaluator({ closeToUpgrade: { unit: 'percent', margin: 10 } });
		expect(ok(evaluate(member(4500, 'Silver'))).events).toEqual(['close_to_tier_upgrade']);
		expect(ok(evaluate(member(4499, 'Silver'))).events).toEqual([]);
	});

	it('flags the tier anniversary on the day, from the second year on', () => {
		const evaluate = evaluator();
		expect(ok(evaluate(member(2000, 'Silver', { tierAchievedDate: '2024-05-25' }))).events).toEqual(
			['tier_anniversary'],
		);
		expect(ok(evaluate(member(2000, 'Silver', { tierAchievedDate: '2024-05-26' }))).events).toEqual(
			[],
		);
		expect(ok(evaluate(member(2000, 'Silver', { tierAchievedDate: '2026-05-25' }))).events).toEqual(
			[],
		);
	});

	it('celebrates a February 29 anniversary on February 28 or March 1', () => {
		const leapMember = member(2000, 'Silver', { tierAchievedDate: '2024-02-29' });
		expect(ok(evaluator({ asOf: '2026-02-28' })(leapMember)).events).toEqual(['tier_anniversary']);
		expect(ok(evaluator({ asOf: '2026-02-28', feb29: 'mar1' })(leapMember)).events).toEqual([]);
		expect(ok(evaluator({ asOf: '2026-03-01', feb29: 'mar1' })(leapMember)).events).toEqual([
			'tier_anniversary',
		]);
		expect(ok(evaluator({ asOf: '2028-02-29' })(leapMember)).events).toEqual(['tier_anniversary']);
	});

	it('uses the member’s time zone at a day boundary', () => {
		// 20:00 UTC on May 24 is May 25 in Shanghai.
		const evaluate = evaluator({ asOf: '2026-05-24T20:00:00Z' });
		const achieved = { tierAchievedDate: '2025-05-25' };
		expect(
			ok(evaluate(member(2000, 'Silver', { ...achieved, tz: 'Asia/Shanghai' }))).events,
		).toEqual(['tier_anniversary']);
		expect(
			ok(evaluate(member(2000, 'Silver', { ...achieved, tz: 'Europe/London' }))).events,
		).toEqual([]);
	});
});

describe('rolling spend', () => {
	const evaluate = evaluator({
		qualifyingBasis: 'rollingSpend',
		fields: { ...BASE.fields, qualifyingValue: 'orders' },
		rollingWindow: { days: 30, dateField: 'at', amountField: 'total' },
	});

	it('sums orders inside the window, today included', () => {
		const orders = [
			{ at: '2026-04-25', total: 9000 },
			{ at: '2026-04-26', total: 3000 },
			{ at: '2026-05-25T09:00:00Z', total: '2500' },
			{ at: '2026-05-26', total: 7000 },
		];
		expect(ok(evaluate({ id: 'M1', orders, tier: 'Silver' }))).toMatchObject({
			qualifyingBasis: 'rollingSpend',
			qualifyingValue: 5500,
			currentTier: 'Gold',
		});
	});

	it('names the order field that is wrong', () => {
		expect(evaluate({ id: 'M1', orders: [{ at: '2026-05-01', total: 'ten' }] })).toMatchObject({
			ok: false,
			field: 'orders[0].total',
		});
		expect(evaluate({ id: 'M1', orders: [{ at: 'yesterday', total: 1 }] })).toMatchObject({
			field: 'orders[0].at',
		});
	});
});

describe('bad input is a failure naming the field', () => {
	const evaluate = evaluator();

	it.each([
		[{ id: 'M1', points: {} }, 'points.lifetime', /missing/],
		[{ id: 'M1', points: { lifetime: 'lots' } }, 'points.lifetime', /not a number/],
		[{ id: 'M1', points: { lifetime: true } }, 'points.lifetime', /not a number/],
		[{ id: 'M1', points: { lifetime: '' } }, 'points.lifetime', /missing/],
		[{ points: { lifetime: 1 } }, 'id', /Member ID/],
		[{ id: 'M1', points: { lifetime: 1 }, tier: 'Diamond' }, 'tier', /not in the tier ladder/],
		[
			{ id: 'M1', points: { lifetime: 1 }, tierAchievedDate: '31/12/2025' },
			'tierAchievedDate',
			/not a date/,
		],
		[{ id: 'M1', points: { lifetime: 1 }, enrolledOn: '2025-02-29' }, 'enrolledOn', /not a date/],
		[{ id: 'M1', points: { lifetime: 1 }, tz: 'Mars/Base' }, 'tz', /time zone/],
	])('%j → %s', (input, field, message) => {
		const result = evaluate(input);
		expect(result).toMatchObject({ ok: false, field });
		expect((result as RuleFailure).message).toMatch(message);
	});

	it('handles non-object members and empty input', () => {
		expect(evaluate(null)).toMatchObject({ ok: false, field: 'id' });
		expect(evaluate('M1')).toMatchObject({ ok: false, field: 'id' });
		expect([].map((entry) => evaluate(entry))).toEqual([]);
	});

	it('reports configuration errors from compile, naming the parameter', () => {
		expect(
			compileTierEvaluator({
				...BASE,
				tiers: [
					{ name: 'A', threshold: 5 },
					{ name: 'B', threshold: 1 },
				],
			}),
		).toMatchObject({ ok: false, field: 'tiers' });
		expect(compileTierEvaluator({ ...BASE, timeZone: 'Nowhere' })).toMatchObject({
			field: 'timeZone',
		});
		expect(compileTierEvaluator({ ...BASE, asOf: 'someday' })).toMatchObject({ field: 'asOf' });
		expect(
			compileTierEvaluator({ ...BASE, fields: { ...BASE.fields, qualifyingValue: ' ' } }),
		).toMatchObject({
			field: 'qualifyingValueField',
		});
	});
});
