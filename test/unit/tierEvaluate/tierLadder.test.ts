import type { CompiledLadder } from '../../../nodes/TierEvaluate/logic/tierLadder';
import {
	compileLadder,
	earnedTierIndex,
	entitlementDiff,
	tierIndexOf,
} from '../../../nodes/TierEvaluate/logic/tierLadder';
import { isRuleFailure } from '../../../nodes/shared/memberValues';

const LADDER = [
	{ name: 'Bronze', threshold: 0 },
	{ name: 'Silver', threshold: 1000 },
	{ name: 'Gold', threshold: 5000 },
	{ name: 'Platinum', threshold: 10000 },
];

function ladder(...args: Parameters<typeof compileLadder>): CompiledLadder {
	const compiled = compileLadder(...args);
	if (isRuleFailure(compiled)) throw new Error(compiled.message);
	return compiled;
}

describe('compileLadder', () => {
	it('refuses a ladder that is not ordered, naming the tiers parameter', () => {
		const result = compileLadder([
			{ name: 'Bronze', threshold: 0 },
			{ name: 'Gold', threshold: 5000 },
			{ name: 'Silver', threshold: 1000 },
		]);
		expect(result).toMatchObject({ ok: false, field: 'tiers' });
		expect((result as { message: string }).message).toMatch(/not ordered.*Silver.*Gold/);
	});

	it('refuses equal thresholds, duplicate names, blank names, non-numeric thresholds and no tiers', () => {
		expect(
			compileLadder([
				{ name: 'A', threshold: 10 },
				{ name: 'B', threshold: 10 },
			]),
		).toMatchObject({ field: 'tiers' });
		expect(
			compileLadder([
				{ name: 'Gold', threshold: 0 },
				{ name: 'gold', threshold: 1 },
			]),
		).toMatchObject({ field: 'tiers' });
		expect(compileLadder([{ name: ' ', threshold: 0 }])).toMatchObject({ field: 'tiers' });
		expect(compileLadder([{ name: 'A', threshold: 'lots' }])).toMatchObject({ field: 'tiers' });
		expect(compileLadder([])).toMatchObject({ ok: false, field: 'tiers' });
	});

	it('accepts numeric text thresholds', () => {
		expect(
			ladder([
				{ name: 'A', threshold: '0' },
				{ name: 'B', threshold: ' 250.5 ' },
			]).thresholds[1],
		).toBe(250.5);
	});

	it('refuses entitlements for unknown tiers or without a benefit ID', () => {
		expect(compileLadder(LADDER, [{ tier: 'Diamond', benefitId: 'x' }])).toMatchObject({
			field: 'entitlements',
		});
		expect(compileLadder(LADDER, [{ tier: 'Gold', benefitId: '' }])).toMatchObject({
			field: 'entitlements',
		});
		expect(compileLadder(LADDER, [{ tier: 'Gold', benefitId: 'x', quantity: -1 }])).toMatchObject({
			field: 'entitlements',
		});
	});
});

describe('earnedTierIndex', () => {
	const compiled = ladder(LADDER);

	it('qualifies a value equal to the threshold (ties go up)', () => {
		expect(earnedTierIndex(compiled, 5000)).toBe(2);
		expect(earnedTierIndex(compiled, 4999.99)).toBe(1);
		expect(earnedTierIndex(compiled, 10000)).toBe(3);
		expect(earnedTierIndex(compiled, 0)).toBe(0);
	});

	it('gives no tier below the lowest threshold', () => {
		expect(earnedTierIndex(ladder([{ name: 'Silver', threshold: 500 }]), 499)).toBe(-1);
		expect(earnedTierIndex(compiled, -5)).toBe(-1);
	});
});

describe('tierIndexOf', () => {
	const compiled = ladder(LADDER);

	it('matches names exactly or case-insensitively, blank meaning no tier', () => {
		expect(tierIndexOf(compiled, 'Gold')).toBe(2);
		expect(tierIndexOf(compiled, ' gold ')).toBe(2);
		expect(tierIndexOf(compiled, '')).toBe(-1);
		expect(tierIndexOf(compiled, null)).toBe(-1);
		expect(tierIndexOf(compiled, 'Diamond')).toBeUndefined();
	});
});

describe('entitlement diffs', () => {
	const catalog = [
		{ tier: 'Silver', benefitId: 'shipping', quantity: 1, validityDays: 365 },
		{ tier: 'Gold', benefitId: 'shipping', quantity: 1, validityDays: 365 },
		{ tier: 'Gold', benefitId: 'lounge', quantity: 2, validityDays: 90 },
		{ tier: 'Platinum', benefitId: 'shipping', quantity: 5, validityDays: 365 },
	];

	it('grants what is new, revokes what is gone, keeps what is the same', () => {
		const diff = entitlementDiff(ladder(LADDER, catalog), 1, 2);
		expect(diff.grant.map((e) => e.benefitId)).toEqual(['lounge']);
		expect(diff.revoke).toEqual([]);
		expect(diff.unchanged.map((e) => e.benefitId)).toEqual(['shipping']);
	});

	it('revokes and re-grants a benefit whose quantity changes', () => {
		const diff = entitlementDiff(ladder(LADDER, catalog), 2, 3);
		expect(diff.grant).toEqual([
			{ benefitId: 'shipping', name: 'shipping', quantity: 5, validityDays: 365 },
		]);
		expect(diff.revoke.map((e) => `${e.benefitId}x${e.quantity}`)).toEqual([
			'shippingx1',
			'loungex2',
		]);
	});

	it('with cumulative entitlements keeps lower tiers’ benefits', () => {
		const diff = entitlementDiff(ladder(LADDER, catalog, true), 2, 3);
		expect(diff.revoke.map((e) => e.benefitId)).toEqual(['shipping']);
		expect(diff.unchanged.map((e) => e.benefitId)).toEqual(['lounge']);
	});

	it('from no tier grants everything', () => {
		expect(entitlementDiff(ladder(LADDER, catalog), -1, 2).grant).toHaveLength(2);
		expect(entitlementDiff(ladder(LADDER, catalog), 2, -1).revoke).toHaveLength(2);
	});
});
