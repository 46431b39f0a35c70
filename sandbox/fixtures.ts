import { dayOfIsoDate, todayIsoDate } from './dates';
import {
	generationContext,
	materializeMember,
	randomProfile,
	type LoyaltyMember,
	type MemberProfile,
} from './generator';

/**
 * Named members the scenario tests rely on. They are always loaded, whatever `members`/`seed`
 * say, and are built from their own fixed seed so the facts below hold for any sandbox seed and
 * any `asOf` (dates move with `asOf`, counts and ids do not).
 */

export const FIXTURE_SEED = 20240601;

/** "No purchase in the last N days" as used by the lapsed Platinum campaign. */
export const LAPSED_PURCHASE_DAYS = 30;
/** Lapsed fixtures last purchased this many days before asOf or earlier (clear of the boundary). */
export const LAPSED_MIN_DAYS_AGO = 35;
export const LAPSED_MAX_DAYS_AGO = 150;
/** Active fixtures last purchased at most this many days before asOf. */
export const ACTIVE_MAX_DAYS_AGO = 25;

const pad3 = (value: number) => String(value).padStart(3, '0');

export const PLATINUM_FIXTURE_COUNT = 100;
export const PLATINUM_FIXTURE_IDS: readonly string[] = Array.from(
	{ length: PLATINUM_FIXTURE_COUNT },
	(_, index) => `plat-${pad3(index + 1)}`,
);

/** plat-NNN with NNN % 5 in {0, 2}: plat-002, plat-005, plat-007, plat-010, … plat-100. */
export const PLATINUM_LAPSED_IDS: readonly string[] = PLATINUM_FIXTURE_IDS.filter((_, index) =>
	[0, 2].includes((index + 1) % 5),
);
export const PLATINUM_LAPSED_COUNT = 40;
export const PLATINUM_ACTIVE_IDS: readonly string[] = PLATINUM_FIXTURE_IDS.filter(
	(id) => !PLATINUM_LAPSED_IDS.includes(id),
);
export const PLATINUM_ACTIVE_COUNT = 60;

/** Lapsed Platinum members who unsubscribed from SMS: lapsed[i], i % 10 in {0,3,6}. */
export const PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS: readonly string[] = PLATINUM_LAPSED_IDS.filter(
	(_, index) => [0, 3, 6].includes(index % 10),
);
export const PLATINUM_LAPSED_SMS_UNSUBSCRIBED_COUNT = 12;
/** Lapsed Platinum members an SMS campaign may reach: 40 − 12. */
export const PLATINUM_LAPSED_SMS_REACHABLE_COUNT = 28;
/** Lapsed Platinum members without email consent: lapsed[i], i % 10 = 9. */
export const PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS: readonly string[] = PLATINUM_LAPSED_IDS.filter(
	(_, index) => index % 10 === 9,
);
export const PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_COUNT = 4;
export const PLATINUM_LAPSED_EMAIL_REACHABLE_COUNT = 36;
/** Lapsed Platinum members without push consent: lapsed[i], i % 4 = 1. */
export const PLATINUM_LAPSED_PUSH_DISABLED_IDS: readonly string[] = PLATINUM_LAPSED_IDS.filter(
	(_, index) => index % 4 === 1,
);
export const PLATINUM_LAPSED_PUSH_DISABLED_COUNT = 10;
/** Active Platinum members who unsubscribed from SMS (they must not leak into the lapsed count). */
export const PLATINUM_ACTIVE_SMS_UNSUBSCRIBED_IDS: readonly string[] = PLATINUM_ACTIVE_IDS.filter(
	(_, index) => index % 12 === 0,
);
export const PLATINUM_ACTIVE_SMS_UNSUBSCRIBED_COUNT = 5;
export const PLATINUM_SMS_UNSUBSCRIBED_COUNT = 17;

export const ZHANG_MIN_ID = 'zhang-min';
export const ZHANG_MIN_EMAIL = 'zhang.min@example.com';
export const ZHANG_MIN_BIRTH_DATE = '1990-06-01';
/** Month-day of Zhang Min's birthday (June 1, so the warm-up 7 days early falls on May 25). */
export const ZHANG_MIN_BIRTHDAY = '06-01';
export const ZHANG_MIN_TIER = 'Gold';
export const ZHANG_MIN_LIFETIME_POINTS = 7000;

export const LI_LEI_ID = 'li-lei';
export const LI_LEI_EMAIL = 'li.lei@example.com';
export const LI_LEI_TIER = 'Silver';
/** Oldest week first; the last three weeks each drop (6 → 4 → 3 → 1). */
export const LI_LEI_WEEKLY_ACTIVITY: readonly number[] = [4, 5, 4, 5, 6, 4, 3, 1];
export const LI_LEI_DECLINING_WEEKS = 3;

export const FIXTURE_MEMBER_IDS: readonly string[] = [
	...PLATINUM_FIXTURE_IDS,
	ZHANG_MIN_ID,
	LI_LEI_ID,
];
export const FIXTURE_MEMBER_COUNT = 102;

export interface RewardDefinition {
	rewardId: number;
	displayText: string;
	creditRequired: number;
	/** Coupon inventory at start; assignment and redemption take one each. */
	stock: number;
}

export const REWARD_CATALOGUE: readonly RewardDefinition[] = [
	{ rewardId: 1001, displayText: '$5 Reward', creditRequired: 500, stock: 1000 },
	{ rewardId: 1002, displayText: '$10 Reward', creditRequired: 1000, stock: 500 },
	{ rewardId: 1003, displayText: '$25 Reward', creditRequired: 2500, stock: 100 },
	{ rewardId: 1004, displayText: 'Birthday coupon: 20% off', creditRequired: 0, stock: 200 },
	{ rewardId: 1005, displayText: 'Gift package: travel kit', creditRequired: 3000, stock: 25 },
	{ rewardId: 1006, displayText: 'Spa day voucher', creditRequired: 8000, stock: 0 },
	{ rewardId: 1007, displayText: 'Limited edition tote', creditRequired: 1500, stock: 3 },
];
export const BIRTHDAY_COUPON_REWARD_ID = 1004;
export const GIFT_PACKAGE_REWARD_ID = 1005;
export const OUT_OF_STOCK_REWARD_ID = 1006;

export interface SeedList {
	id: string;
	title: string;
}

/** Static segments present in the Ometria stand-in at start (empty). */
export const OMETRIA_SEED_LISTS: readonly SeedList[] = [
	{ id: '8401', title: 'Loyalty Platinum' },
	{ id: '8402', title: 'Loyalty Gold' },
	{ id: '8403', title: 'Loyalty Silver' },
	{ id: '8404', title: 'Loyalty Bronze' },
	{ id: '8405', title: 'Birthday this month' },
	{ id: '8406', title: 'Lapsed Platinum' },
];

function platinumProfile(
	id: string,
	index: number,
	ctx: ReturnType<typeof generationContext>,
): MemberProfile {
	const profile = randomProfile(id, FIXTURE_SEED, ctx);
	const lapsed = PLATINUM_LAPSED_IDS.includes(id);
	const { random } = profile;
	const daysAgo = lapsed
		? LAPSED_MIN_DAYS_AGO + Math.floor(random() * (LAPSED_MAX_DAYS_AGO - LAPSED_MIN_DAYS_AGO + 1))
		: ctx.minRecentDaysAgo +
			Math.floor(random() * (ACTIVE_MAX_DAYS_AGO - ctx.minRecentDaysAgo + 1));
	return {
		...profile,
		email: `plat.${pad3(index + 1)}@example.com`,
		optInStatus: 'YES',
		lifetimeTarget: 12000 + Math.floor(random() * 18000),
		lastPurchaseDay: ctx.asOfDay - daysAgo,
		enrollmentDay: Math.min(profile.enrollmentDay, ctx.asOfDay - 400),
		consent: {
			email: !PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS.includes(id),
			sms:
				!PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(id) &&
				!PLATINUM_ACTIVE_SMS_UNSUBSCRIBED_IDS.includes(id),
			push: !PLATINUM_LAPSED_PUSH_DISABLED_IDS.includes(id),
		},
	};
}

/** The 102 named members, dated relative to `asOf`. */
export function buildFixtureMembers(asOf: string = todayIsoDate()): LoyaltyMember[] {
	const ctx = generationContext(asOf);
	const members = PLATINUM_FIXTURE_IDS.map((id, index) =>
		materializeMember(platinumProfile(id, index, ctx), ctx),
	);
	const allConsent = { email: true, sms: true, push: true };
	const zhang = randomProfile(ZHANG_MIN_ID, FIXTURE_SEED, ctx);
	members.push(
		materializeMember(
			{
				...zhang,
				firstName: 'Min',
				lastName: 'Zhang',
				email: ZHANG_MIN_EMAIL,
				phone: '+8613800138000',
				zipCode: '200000',
				country: {
					code: 'CN',
					timeZone: 'Asia/Shanghai',
					phonePrefix: '+86',
					phoneDigits: 11,
					zipDigits: 6,
				},
				birthDay: dayOfIsoDate(ZHANG_MIN_BIRTH_DATE),
				optInStatus: 'YES',
				lifetimeTarget: ZHANG_MIN_LIFETIME_POINTS,
				lastPurchaseDay: ctx.asOfDay - 12,
				weeklyActivity: [2, 3, 2, 3, 2, 3, 2, 3],
				consent: allConsent,
			},
			ctx,
		),
	);
	const li = randomProfile(LI_LEI_ID, FIXTURE_SEED, ctx);
	members.push(
		materializeMember(
			{
				...li,
				firstName: 'Lei',
				lastName: 'Li',
				email: LI_LEI_EMAIL,
				phone: '+8613900139000',
				zipCode: '100000',
				country: {
					code: 'CN',
					timeZone: 'Asia/Shanghai',
					phonePrefix: '+86',
					phoneDigits: 11,
					zipDigits: 6,
				},
				optInStatus: 'YES',
				lifetimeTarget: 3500,
				// A purchase in the last complete week, whose single activity it is.
				lastPurchaseDay: ctx.asOfDay - ctx.minRecentDaysAgo - 2,
				weeklyActivity: LI_LEI_WEEKLY_ACTIVITY.slice(),
				consent: allConsent,
			},
			ctx,
		),
	);
	return members;
}
