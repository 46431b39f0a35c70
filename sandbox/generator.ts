import {
	annexDateTimeOfDay,
	dayOfIsoDate,
	isoDateOfDay,
	isoWeekLabel,
	mondayOf,
	todayIsoDate,
} from './dates';
import { hashString, mixSeed, mulberry32, pick, randomInt, type Random } from './random';

/**
 * Deterministic loyalty members. Member `i` depends only on (seed, i, asOf), so any prefix of a
 * large run equals a smaller run, and members can be produced one at a time by `iterateMembers`
 * without holding the population in memory. Dates are relative to `asOf` (default: today UTC).
 */

export type TierName = 'Bronze' | 'Silver' | 'Gold' | 'Platinum';

export interface TierDefinition {
	tierId: number;
	tierName: TierName;
	/** Lifetime points needed to hold the tier. */
	pointsRequired: number;
}

export const TIERS: readonly TierDefinition[] = [
	{ tierId: 1, tierName: 'Bronze', pointsRequired: 0 },
	{ tierId: 2, tierName: 'Silver', pointsRequired: 1000 },
	{ tierId: 3, tierName: 'Gold', pointsRequired: 5000 },
	{ tierId: 4, tierName: 'Platinum', pointsRequired: 10000 },
];

export function tierForPoints(lifetimePoints: number): TierDefinition {
	let tier = TIERS[0];
	for (const candidate of TIERS) if (lifetimePoints >= candidate.pointsRequired) tier = candidate;
	return tier;
}

export function nextTierOf(tierName: TierName): TierDefinition | undefined {
	const index = TIERS.findIndex((tier) => tier.tierName === tierName);
	return TIERS[index + 1];
}

/** Action ids the sandbox site uses (ids are per site in Annex Cloud; 106/107/109 follow RD). */
export const ACTIONS = {
	manual: { actionId: 100, displayText: 'Manual adjustment' },
	enrollment: { actionId: 101, displayText: 'Enrollment bonus' },
	expired: { actionId: 106, displayText: 'Points expired' },
	redemption: { actionId: 107, displayText: 'Reward redemption' },
	purchase: { actionId: 109, displayText: 'Purchase' },
	review: { actionId: 110, displayText: 'Product review' },
	share: { actionId: 111, displayText: 'Social share' },
} as const;

export interface ChannelConsent {
	email: boolean;
	sms: boolean;
	push: boolean;
}

/** What is needed to replay a member's generated activity ledger on demand (never stored). */
export interface MemberHistory {
	seed: number;
	windowStartDay: number;
	weeklyActivity: readonly number[];
	lastPurchaseDay: number | null;
	enrollmentDay: number;
	openingPoints: number;
	redeemedPoints: number;
	redeemDay: number;
	expiredPoints: number;
	expireDay: number;
}

export interface LoyaltyMember {
	id: string;
	/** Extended attributes a client set that the sandbox does not model (kept and returned as sent). */
	otherAttributes?: Record<string, unknown>;
	email: string;
	firstName: string;
	lastName: string;
	phone: string;
	zipCode: string;
	countryCode: string;
	timeZone: string;
	birthDate: string;
	anniversaryDate: string;
	optInStatus: 'YES' | 'NO';
	optInDate: string;
	status: 'ACTIVE' | 'INACTIVE';
	createDate: string;
	updateDate: string;
	tier: TierName;
	previousTier: TierName | null;
	tierAchievedDate: string;
	availablePoints: number;
	usedPoints: number;
	expiredPoints: number;
	lifetimePoints: number;
	earnedPoints: number;
	holdPoints: number;
	pointsToExpire: number;
	pointsToExpireDate: string | null;
	firstActivityDate: string;
	lastActivityDate: string;
	firstPurchaseDate: string | null;
	lastPurchaseDate: string | null;
	/** ISO week labels of `weeklyActivity`, oldest first; one array shared by all members of a run. */
	activityWeeks: readonly string[];
	/** Earning activities (purchase, review, share) per ISO week, oldest first, 8 complete weeks. */
	weeklyActivity: number[];
	consent: ChannelConsent;
	/** null for members created through the API: their ledger is only what the API appended. */
	history: MemberHistory | null;
}

export interface ActivityEntry {
	activityId: string;
	actionId: number;
	activity: 'CREDIT' | 'DEBIT';
	credit: number;
	debit: number;
	pointType: 'Standard';
	pointStatus: 'Released' | 'Expired';
	displayText: string;
	reason: string;
	orderId: string | null;
	rewardCode: string | null;
	createDate: string;
	expireDate: string | null;
}

export interface GenerateOptions {
	seed?: number;
	/** ISO date (YYYY-MM-DD) the data is relative to; default today UTC. */
	asOf?: string;
	/** First member index (ids continue from it); default 0. */
	startIndex?: number;
}

export const ACTIVITY_WEEK_COUNT = 8;

export interface GenerationContext {
	asOfDay: number;
	/** Monday of the oldest of the 8 complete ISO weeks before asOf's own week. */
	windowStartDay: number;
	activityWeeks: readonly string[];
	/** A purchase this many days ago or more falls in a complete week (not asOf's own week). */
	minRecentDaysAgo: number;
}

export function generationContext(asOf: string = todayIsoDate()): GenerationContext {
	const asOfDay = dayOfIsoDate(asOf);
	const currentMonday = mondayOf(asOfDay);
	const windowStartDay = currentMonday - ACTIVITY_WEEK_COUNT * 7;
	const activityWeeks = Object.freeze(
		Array.from({ length: ACTIVITY_WEEK_COUNT }, (_, week) =>
			isoWeekLabel(windowStartDay + week * 7),
		),
	);
	return { asOfDay, windowStartDay, activityWeeks, minRecentDaysAgo: asOfDay - currentMonday + 1 };
}

/** The ISO week labels a run's `weeklyActivity` refers to. */
export function activityWeeks(asOf: string = todayIsoDate()): readonly string[] {
	return generationContext(asOf).activityWeeks;
}

interface Country {
	code: string;
	timeZone: string;
	phonePrefix: string;
	phoneDigits: number;
	zipDigits: number;
}

const COUNTRIES: readonly Country[] = [
	{ code: 'GB', timeZone: 'Europe/London', phonePrefix: '+447', phoneDigits: 9, zipDigits: 0 },
	{ code: 'US', timeZone: 'America/New_York', phonePrefix: '+1', phoneDigits: 10, zipDigits: 5 },
	{ code: 'US', timeZone: 'America/Los_Angeles', phonePrefix: '+1', phoneDigits: 10, zipDigits: 5 },
	{ code: 'CN', timeZone: 'Asia/Shanghai', phonePrefix: '+861', phoneDigits: 10, zipDigits: 6 },
	{ code: 'DE', timeZone: 'Europe/Berlin', phonePrefix: '+4915', phoneDigits: 9, zipDigits: 5 },
	{ code: 'AU', timeZone: 'Australia/Sydney', phonePrefix: '+614', phoneDigits: 8, zipDigits: 4 },
];

const FIRST_NAMES = [
	'Amelia',
	'Oliver',
	'Isla',
	'George',
	'Ava',
	'Noah',
	'Mia',
	'Leo',
	'Emma',
	'Liam',
	'Sofia',
	'Lucas',
	'Hannah',
	'Felix',
	'Chloe',
	'Wei',
	'Fang',
	'Jun',
	'Mei',
	'Hao',
	'Grace',
	'Ethan',
	'Zoe',
	'Max',
	'Lena',
	'Jack',
	'Ruby',
	'Finn',
	'Nora',
	'Oscar',
];
const LAST_NAMES = [
	'Smith',
	'Jones',
	'Taylor',
	'Brown',
	'Williams',
	'Wilson',
	'Johnson',
	'Davies',
	'Miller',
	'Wang',
	'Chen',
	'Liu',
	'Zhao',
	'Huang',
	'Müller',
	'Schmidt',
	'Fischer',
	'Garcia',
	'Martin',
	'Clarke',
	'Walker',
	'Wright',
	'Thompson',
	'White',
	'Hall',
	'Green',
	'Baker',
	'Adams',
];
const UK_POSTCODES = ['SW1A 1AA', 'EC1A 1BB', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'LS1 4AP', 'G1 1XQ'];

function digits(random: Random, count: number): string {
	let text = String(randomInt(random, 1, 9));
	for (let index = 1; index < count; index++) text += String(randomInt(random, 0, 9));
	return text;
}

/** Choices made before the derived values (points, ledger sums, activity dates) are computed. */
export interface MemberProfile {
	id: string;
	firstName: string;
	lastName: string;
	email: string;
	phone: string;
	zipCode: string;
	country: Country;
	birthDay: number;
	enrollmentDay: number;
	optInStatus: 'YES' | 'NO';
	lifetimeTarget: number;
	lastPurchaseDay: number | null;
	weeklyActivity: number[];
	consent: ChannelConsent;
	usedShare: number;
	expiredShare: number;
	holdPoints: number;
	expiringShare: number;
	expiryInDays: number;
	tierAchievedOffset: number;
	historySeed: number;
	random: Random;
}

const LIFETIME_RANGES: Record<TierName, [number, number]> = {
	Bronze: [0, 900],
	Silver: [1000, 4900],
	Gold: [5000, 9900],
	Platinum: [10000, 40000],
};

/** Random profile for member `id`; fixtures start from one and override fields. */
export function randomProfile(id: string, seed: number, ctx: GenerationContext): MemberProfile {
	const random = mulberry32(mixSeed(seed, hashString(id)));
	const country = pick(random, COUNTRIES);
	const firstName = pick(random, FIRST_NAMES);
	const lastName = pick(random, LAST_NAMES);
	const tierRoll = random();
	const tier: TierName =
		tierRoll < 0.55 ? 'Bronze' : tierRoll < 0.83 ? 'Silver' : tierRoll < 0.96 ? 'Gold' : 'Platinum';
	const [low, high] = LIFETIME_RANGES[tier];
	const activityLevel = TIERS.findIndex((t) => t.tierName === tier) * 0.8 + random() * 2;
	const enrollmentDay = ctx.asOfDay - randomInt(random, 200, 2190);
	const recencyRoll = random();
	const lastPurchaseDaysAgo =
		recencyRoll < 0.08
			? null
			: recencyRoll < 0.55
				? randomInt(random, ctx.minRecentDaysAgo, 30)
				: recencyRoll < 0.85
					? randomInt(random, 31, 120)
					: randomInt(random, 121, 190);
	const weeklyActivity = Array.from({ length: ACTIVITY_WEEK_COUNT }, () =>
		Math.max(0, Math.round(activityLevel + (random() - 0.5) * 2.5)),
	);
	const localPart = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
	return {
		id,
		firstName,
		lastName,
		email: `${localPart}.${id}@example.com`,
		phone: `${country.phonePrefix}${digits(random, country.phoneDigits)}`,
		zipCode:
			country.zipDigits === 0 ? pick(random, UK_POSTCODES) : digits(random, country.zipDigits),
		country,
		birthDay: ctx.asOfDay - randomInt(random, 18 * 365, 75 * 365),
		enrollmentDay,
		optInStatus: random() < 0.95 ? 'YES' : 'NO',
		lifetimeTarget: randomInt(random, low, high),
		lastPurchaseDay: lastPurchaseDaysAgo === null ? null : ctx.asOfDay - lastPurchaseDaysAgo,
		weeklyActivity,
		consent: { email: random() < 0.9, sms: random() < 0.7, push: random() < 0.5 },
		usedShare: random() * 0.5,
		expiredShare: random() * 0.08,
		holdPoints: random() < 0.1 ? randomInt(random, 1, 20) * 10 : 0,
		expiringShare: 0.1 + random() * 0.4,
		expiryInDays: randomInt(random, 7, 120),
		tierAchievedOffset: random(),
		historySeed: (random() * 4294967296) >>> 0,
		random,
	};
}

type EntryVisitor = (day: number, actionId: number, points: number) => void;

/**
 * Walks the earning entries of a generated ledger in a fixed order: an old purchase when the last
 * purchase predates the weekly window, then `weeklyActivity[w]` entries per week. The entry on the
 * last purchase day is a purchase (109); later entries are reviews (110) or shares (111).
 */
function walkEarningEntries(history: MemberHistory, visit: EntryVisitor): void {
	const random = mulberry32(history.seed);
	const { lastPurchaseDay, windowStartDay, weeklyActivity } = history;
	const purchasePoints = () => randomInt(random, 4, 30) * 5;
	if (lastPurchaseDay !== null && lastPurchaseDay < windowStartDay) {
		visit(lastPurchaseDay, ACTIONS.purchase.actionId, purchasePoints());
	}
	const purchaseWeek =
		lastPurchaseDay !== null && lastPurchaseDay >= windowStartDay
			? Math.floor((lastPurchaseDay - windowStartDay) / 7)
			: -1;
	for (let week = 0; week < weeklyActivity.length; week++) {
		for (let entry = 0; entry < weeklyActivity[week]; entry++) {
			let day = windowStartDay + week * 7 + randomInt(random, 0, 6);
			if (week === purchaseWeek && entry === 0) day = lastPurchaseDay as number;
			const roll = random();
			if (
				lastPurchaseDay !== null &&
				(day === lastPurchaseDay || (day < lastPurchaseDay && roll < 0.55))
			) {
				visit(day, ACTIONS.purchase.actionId, purchasePoints());
			} else if (roll < 0.8) {
				visit(day, ACTIONS.review.actionId, 25);
			} else {
				visit(day, ACTIONS.share.actionId, 10);
			}
		}
	}
}

/** Turns a profile into a member whose points, tier and dates agree with its replayable ledger. */
export function materializeMember(profile: MemberProfile, ctx: GenerationContext): LoyaltyMember {
	const { random } = profile;
	const weeklyActivity = profile.weeklyActivity.slice();
	if (profile.lastPurchaseDay !== null && profile.lastPurchaseDay >= ctx.windowStartDay) {
		const purchaseWeek = Math.floor((profile.lastPurchaseDay - ctx.windowStartDay) / 7);
		if (weeklyActivity[purchaseWeek] === 0) weeklyActivity[purchaseWeek] = 1;
	}
	const history: MemberHistory = {
		seed: profile.historySeed,
		windowStartDay: ctx.windowStartDay,
		weeklyActivity,
		lastPurchaseDay: profile.lastPurchaseDay,
		enrollmentDay: profile.enrollmentDay,
		openingPoints: 0,
		redeemedPoints: 0,
		redeemDay: 0,
		expiredPoints: 0,
		expireDay: 0,
	};
	let earned = 0;
	let lastActivityDay = profile.enrollmentDay;
	let firstPurchaseDay: number | null = null;
	walkEarningEntries(history, (day, actionId, points) => {
		earned += points;
		if (day > lastActivityDay) lastActivityDay = day;
		if (
			actionId === ACTIONS.purchase.actionId &&
			(firstPurchaseDay === null || day < firstPurchaseDay)
		) {
			firstPurchaseDay = day;
		}
	});
	history.openingPoints = Math.max(100, profile.lifetimeTarget - earned);
	const lifetimePoints = history.openingPoints + earned;
	const tier = tierForPoints(lifetimePoints);
	history.redeemedPoints = Math.floor(lifetimePoints * profile.usedShare);
	history.expiredPoints = Math.floor(lifetimePoints * profile.expiredShare);
	const beforeWindow = Math.max(1, ctx.windowStartDay - profile.enrollmentDay - 1);
	history.redeemDay = profile.enrollmentDay + 1 + Math.floor(random() * beforeWindow);
	history.expireDay = profile.enrollmentDay + 1 + Math.floor(random() * beforeWindow);
	const availablePoints = lifetimePoints - history.redeemedPoints - history.expiredPoints;
	const pointsToExpire = Math.floor(availablePoints * profile.expiringShare);
	const tierIndex = TIERS.indexOf(tier);
	const tierAchievedDay =
		tierIndex === 0
			? profile.enrollmentDay
			: profile.enrollmentDay +
				30 +
				Math.floor(
					profile.tierAchievedOffset * Math.max(0, ctx.asOfDay - 7 - profile.enrollmentDay - 30),
				);
	const optInDate = annexDateTimeOfDay(
		profile.enrollmentDay,
		9 * 3600 + randomInt(random, 0, 36000),
	);
	return {
		id: profile.id,
		email: profile.email,
		firstName: profile.firstName,
		lastName: profile.lastName,
		phone: profile.phone,
		zipCode: profile.zipCode,
		countryCode: profile.country.code,
		timeZone: profile.country.timeZone,
		birthDate: isoDateOfDay(profile.birthDay),
		anniversaryDate: isoDateOfDay(profile.enrollmentDay),
		optInStatus: profile.optInStatus,
		optInDate,
		status: 'ACTIVE',
		createDate: optInDate,
		updateDate: annexDateTimeOfDay(Math.max(lastActivityDay, profile.enrollmentDay), 20 * 3600),
		tier: tier.tierName,
		previousTier: tierIndex === 0 ? null : TIERS[tierIndex - 1].tierName,
		tierAchievedDate: isoDateOfDay(tierAchievedDay),
		availablePoints,
		usedPoints: history.redeemedPoints,
		expiredPoints: history.expiredPoints,
		lifetimePoints,
		earnedPoints: lifetimePoints,
		holdPoints: profile.holdPoints,
		pointsToExpire,
		pointsToExpireDate:
			pointsToExpire > 0 ? isoDateOfDay(ctx.asOfDay + profile.expiryInDays) : null,
		firstActivityDate: isoDateOfDay(profile.enrollmentDay),
		lastActivityDate: isoDateOfDay(lastActivityDay),
		firstPurchaseDate: firstPurchaseDay === null ? null : isoDateOfDay(firstPurchaseDay),
		lastPurchaseDate:
			profile.lastPurchaseDay === null ? null : isoDateOfDay(profile.lastPurchaseDay),
		activityWeeks: ctx.activityWeeks,
		weeklyActivity,
		consent: profile.consent,
		history,
	};
}

export function memberId(index: number): string {
	return `m${String(index).padStart(6, '0')}`;
}

export function generateMember(index: number, seed: number, ctx: GenerationContext): LoyaltyMember {
	return materializeMember(randomProfile(memberId(index), seed, ctx), ctx);
}

/**
 * Lazily yields `count` members. Memory stays flat whatever `count` is (about 1 KB per member is
 * alive at a time); 1,000,000 members take a few seconds.
 */
export function* iterateMembers(
	count: number,
	options: GenerateOptions = {},
): Generator<LoyaltyMember> {
	const seed = options.seed ?? 42;
	const start = options.startIndex ?? 0;
	const ctx = generationContext(options.asOf);
	for (let index = start; index < start + count; index++) yield generateMember(index, seed, ctx);
}

/** The same members as an array: roughly 1 KB of heap per member (1,000,000 ≈ 1 GB). */
export function generateMembers(count: number, options: GenerateOptions = {}): LoyaltyMember[] {
	const members: LoyaltyMember[] = new Array(count);
	let index = 0;
	for (const member of iterateMembers(count, options)) members[index++] = member;
	return members;
}

/**
 * Replays a generated member's ledger, oldest first: enrollment credit, historic redemption and
 * expiry debits, then the earning entries behind `weeklyActivity` and `lastPurchaseDate`.
 */
export function memberActivityHistory(member: LoyaltyMember): ActivityEntry[] {
	const history = member.history;
	if (!history) return [];
	const rows: Array<{ day: number; actionId: number; credit: number; debit: number }> = [
		{
			day: history.enrollmentDay,
			actionId: ACTIONS.enrollment.actionId,
			credit: history.openingPoints,
			debit: 0,
		},
	];
	if (history.redeemedPoints > 0) {
		rows.push({
			day: history.redeemDay,
			actionId: ACTIONS.redemption.actionId,
			credit: 0,
			debit: history.redeemedPoints,
		});
	}
	if (history.expiredPoints > 0) {
		rows.push({
			day: history.expireDay,
			actionId: ACTIONS.expired.actionId,
			credit: 0,
			debit: history.expiredPoints,
		});
	}
	walkEarningEntries(history, (day, actionId, points) =>
		rows.push({ day, actionId, credit: points, debit: 0 }),
	);
	rows.sort((a, b) => a.day - b.day);
	const displayTexts = new Map<number, string>(
		Object.values(ACTIONS).map((a) => [a.actionId, a.displayText]),
	);
	return rows.map((row, index) => {
		const isPurchase = row.actionId === ACTIONS.purchase.actionId;
		const isExpiry = row.actionId === ACTIONS.expired.actionId;
		const isRedemption = row.actionId === ACTIONS.redemption.actionId;
		return {
			activityId: `${member.id}-h${index}`,
			actionId: row.actionId,
			activity: row.debit > 0 ? 'DEBIT' : 'CREDIT',
			credit: row.credit,
			debit: row.debit,
			pointType: 'Standard',
			pointStatus: isExpiry ? 'Expired' : 'Released',
			displayText: displayTexts.get(row.actionId) ?? 'Activity',
			reason: displayTexts.get(row.actionId) ?? 'Activity',
			orderId: isPurchase ? `ord-${member.id}-${row.day}` : null,
			rewardCode: isRedemption ? `HIST-${member.id}-${row.day}` : null,
			createDate: annexDateTimeOfDay(row.day, 10 * 3600 + ((index * 2237) % 36000)),
			expireDate: row.credit > 0 ? annexDateTimeOfDay(row.day + 365) : null,
		};
	});
}
