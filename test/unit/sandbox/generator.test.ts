import { dayOfIsoDate } from '../../../sandbox/dates';
import {
	buildFixtureMembers,
	FIXTURE_MEMBER_COUNT,
	FIXTURE_MEMBER_IDS,
	LAPSED_PURCHASE_DAYS,
	LI_LEI_DECLINING_WEEKS,
	LI_LEI_ID,
	LI_LEI_TIER,
	LI_LEI_WEEKLY_ACTIVITY,
	OUT_OF_STOCK_REWARD_ID,
	PLATINUM_ACTIVE_COUNT,
	PLATINUM_ACTIVE_SMS_UNSUBSCRIBED_COUNT,
	PLATINUM_FIXTURE_COUNT,
	PLATINUM_LAPSED_COUNT,
	PLATINUM_LAPSED_EMAIL_REACHABLE_COUNT,
	PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_COUNT,
	PLATINUM_LAPSED_IDS,
	PLATINUM_LAPSED_PUSH_DISABLED_COUNT,
	PLATINUM_LAPSED_SMS_REACHABLE_COUNT,
	PLATINUM_LAPSED_SMS_UNSUBSCRIBED_COUNT,
	PLATINUM_SMS_UNSUBSCRIBED_COUNT,
	REWARD_CATALOGUE,
	ZHANG_MIN_BIRTHDAY,
	ZHANG_MIN_ID,
	ZHANG_MIN_TIER,
} from '../../../sandbox/fixtures';
import {
	activityWeeks,
	generateMembers,
	iterateMembers,
	memberActivityHistory,
	tierForPoints,
	type LoyaltyMember,
} from '../../../sandbox/generator';

const E164 = /^\+[1-9]\d{6,14}$/;

/** Declining weeks in a row ending with the latest week. */
function decliningStreak(series: readonly number[]): number {
	let streak = 0;
	for (let index = series.length - 1; index > 0 && series[index] < series[index - 1]; index--)
		streak++;
	return streak;
}

function lapsed(member: LoyaltyMember, asOf: string): boolean {
	if (member.lastPurchaseDate === null) return true;
	return dayOfIsoDate(member.lastPurchaseDate) < dayOfIsoDate(asOf) - LAPSED_PURCHASE_DAYS;
}

describe('sandbox: generator', () => {
	it('is deterministic and prefix-stable', () => {
		const a = generateMembers(500, { seed: 7, asOf: '2025-03-10' });
		const b = generateMembers(500, { seed: 7, asOf: '2025-03-10' });
		expect(JSON.stringify(a)).toBe(JSON.stringify(b));
		const longer = generateMembers(800, { seed: 7, asOf: '2025-03-10' });
		expect(JSON.stringify(longer.slice(0, 500))).toBe(JSON.stringify(a));
		const other = generateMembers(5, { seed: 8, asOf: '2025-03-10' });
		expect(other[0].email).not.toBe(a[0].email);
		expect(a[123].id).toBe('m000123');
	});

	it('produces complete, well-formed members', () => {
		let count = 0;
		const tiers: Record<string, number> = {};
		for (const member of iterateMembers(50_000, { seed: 42, asOf: '2025-06-15' })) {
			count++;
			tiers[member.tier] = (tiers[member.tier] ?? 0) + 1;
		}
		expect(count).toBe(50_000);
		expect(Object.keys(tiers).sort()).toEqual(['Bronze', 'Gold', 'Platinum', 'Silver']);
		for (const member of generateMembers(300, { seed: 42, asOf: '2025-06-15' })) {
			expect(member.id).not.toContain('@');
			expect(member.phone).toMatch(E164);
			expect(member.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			expect(member.weeklyActivity).toHaveLength(8);
			expect(member.activityWeeks).toEqual(activityWeeks('2025-06-15'));
			expect(member.tier).toBe(tierForPoints(member.lifetimePoints).tierName);
			expect(member.availablePoints).toBe(
				member.lifetimePoints - member.usedPoints - member.expiredPoints,
			);
			expect(member.pointsToExpire).toBeLessThanOrEqual(member.availablePoints);
			const ledger = memberActivityHistory(member);
			expect(ledger.reduce((sum, entry) => sum + entry.credit - entry.debit, 0)).toBe(
				member.availablePoints,
			);
			const purchases = ledger
				.filter((entry) => entry.actionId === 109)
				.map((entry) => entry.createDate.slice(0, 10));
			expect(purchases.length > 0 ? purchases.sort()[purchases.length - 1] : null).toBe(
				member.lastPurchaseDate,
			);
			const perWeek = member.activityWeeks.map(() => 0);
			const windowStart = member.history!.windowStartDay;
			for (const entry of ledger) {
				if (![109, 110, 111].includes(entry.actionId)) continue;
				const week = Math.floor((dayOfIsoDate(entry.createDate) - windowStart) / 7);
				if (week >= 0 && week < 8) perWeek[week]++;
			}
			expect(perWeek).toEqual(member.weeklyActivity);
		}
	});

	it('covers the 8 complete ISO weeks before asOf', () => {
		expect(activityWeeks('2025-06-15')).toEqual([
			'2025-W16',
			'2025-W17',
			'2025-W18',
			'2025-W19',
			'2025-W20',
			'2025-W21',
			'2025-W22',
			'2025-W23',
		]);
		expect(activityWeeks('2025-01-06')[7]).toBe('2025-W01');
		expect(activityWeeks('2025-01-05')[7]).toBe('2024-W52');
	});
});

describe.each(['2025-06-15', '2025-05-25', '2026-01-01'])('sandbox: fixtures as of %s', (asOf) => {
	const fixtures = buildFixtureMembers(asOf);
	const byId = new Map(fixtures.map((member) => [member.id, member]));
	const platinum = fixtures.filter((member) => member.tier === 'Platinum');
	const lapsedPlatinum = platinum.filter((member) => lapsed(member, asOf));

	it('has the named members', () => {
		expect(fixtures).toHaveLength(FIXTURE_MEMBER_COUNT);
		expect(fixtures.map((member) => member.id)).toEqual(FIXTURE_MEMBER_IDS);
	});

	it('has 100 Platinum members of whom exactly the documented 40 lapsed', () => {
		expect(platinum).toHaveLength(PLATINUM_FIXTURE_COUNT);
		expect(lapsedPlatinum.map((member) => member.id)).toEqual(PLATINUM_LAPSED_IDS);
		expect(lapsedPlatinum).toHaveLength(PLATINUM_LAPSED_COUNT);
		expect(platinum.length - lapsedPlatinum.length).toBe(PLATINUM_ACTIVE_COUNT);
		// Boundary-proof: the answer is the same for 29..34 days.
		for (const days of [29, 31, 34]) {
			const cutoff = dayOfIsoDate(asOf) - days;
			expect(
				platinum.filter((member) => dayOfIsoDate(member.lastPurchaseDate!) < cutoff),
			).toHaveLength(PLATINUM_LAPSED_COUNT);
		}
		// Some lapsed members were still active without buying: activity is not purchase.
		expect(
			lapsedPlatinum.some(
				(member) =>
					dayOfIsoDate(member.lastActivityDate) > dayOfIsoDate(asOf) - LAPSED_PURCHASE_DAYS,
			),
		).toBe(true);
	});

	it('has the documented consent gaps', () => {
		const count = (members: LoyaltyMember[], test: (member: LoyaltyMember) => boolean) =>
			members.filter(test).length;
		expect(count(lapsedPlatinum, (member) => !member.consent.sms)).toBe(
			PLATINUM_LAPSED_SMS_UNSUBSCRIBED_COUNT,
		);
		expect(count(lapsedPlatinum, (member) => member.consent.sms)).toBe(
			PLATINUM_LAPSED_SMS_REACHABLE_COUNT,
		);
		expect(count(lapsedPlatinum, (member) => !member.consent.email)).toBe(
			PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_COUNT,
		);
		expect(count(lapsedPlatinum, (member) => member.consent.email)).toBe(
			PLATINUM_LAPSED_EMAIL_REACHABLE_COUNT,
		);
		expect(count(lapsedPlatinum, (member) => !member.consent.push)).toBe(
			PLATINUM_LAPSED_PUSH_DISABLED_COUNT,
		);
		expect(count(platinum, (member) => !member.consent.sms)).toBe(PLATINUM_SMS_UNSUBSCRIBED_COUNT);
		expect(
			count(
				platinum.filter((member) => !lapsed(member, asOf)),
				(member) => !member.consent.sms,
			),
		).toBe(PLATINUM_ACTIVE_SMS_UNSUBSCRIBED_COUNT);
	});

	it('has Zhang Min (birthday June 1) and Li Lei (declining 3 weeks)', () => {
		const zhang = byId.get(ZHANG_MIN_ID)!;
		expect(zhang.birthDate.slice(5)).toBe(ZHANG_MIN_BIRTHDAY);
		expect(zhang.tier).toBe(ZHANG_MIN_TIER);
		const li = byId.get(LI_LEI_ID)!;
		expect(li.tier).toBe(LI_LEI_TIER);
		expect(li.weeklyActivity).toEqual(LI_LEI_WEEKLY_ACTIVITY);
		expect(decliningStreak(li.weeklyActivity)).toBe(LI_LEI_DECLINING_WEEKS);
		expect(decliningStreak(zhang.weeklyActivity)).toBeLessThan(LI_LEI_DECLINING_WEEKS);
	});

	it('keeps the ledgers consistent with the balances', () => {
		for (const member of fixtures) {
			const ledger = memberActivityHistory(member);
			expect(ledger.reduce((sum, entry) => sum + entry.credit - entry.debit, 0)).toBe(
				member.availablePoints,
			);
		}
	});
});

describe('sandbox: coupon inventory', () => {
	it('has exactly one reward out of stock', () => {
		expect(
			REWARD_CATALOGUE.filter((reward) => reward.stock === 0).map((reward) => reward.rewardId),
		).toEqual([OUT_OF_STOCK_REWARD_ID]);
	});
});
