import {
	activityClassification,
	isMemberActivity,
	isPurchase,
	readActivityEntry,
	weeklyActivitySummary,
	type ActivityClassification,
	type ActivityEntry,
	type WeeklyActivity,
} from './activity';
import { toIso } from './dates';
import { readRewards, rewardStanding, type RewardOption } from './rewards';
import { isPlainObject, type PlainObject } from '../../shared/memberValues';
import { listIn, toNumber, unwrapAnnex } from './unwrap';

/**
 * One member's loyalty profile with every field of Annex Cloud's loyalty field list (docs/annex-cloud.md), assembled from
 * the five reads: user, points, tiers, rewards and the activity ledger. The field names are a
 * contract: the Ometria mapping reads them.
 */
export interface LoyaltyProfile {
	loyaltyId: string;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	activeStatus: string | null;
	birthDate: string | null;
	anniversaryDate: string | null;
	phone: string | null;
	zipCode: string | null;
	optInStatus: string | null;
	optInDate: string | null;
	availablePoints: number | null;
	earnedPoints: number | null;
	usedPoints: number | null;
	holdPoints: number | null;
	nextExpiringPoints: number | null;
	pointsExpirationDate: string | null;
	expiredPoints: number | null;
	currentTier: string | null;
	nextTier: string | null;
	pointsToNextTier: number | null;
	tierAchievedDate: string | null;
	availableRewards: string;
	availableRewardList: Array<{ rewardId: string; name: string; creditRequired: number | null }>;
	pointsToNextReward: number | null;
	highestAvailableReward: string | null;
	firstActivityDate: string | null;
	lastActivityDate: string | null;
	firstPurchaseDate: string | null;
	lastPurchaseDate: string | null;
	weeklyActivity: WeeklyActivity;
}

/** Names of the extended attributes that hold consent per channel and the time zone. */
export interface ConsentAttributeNames {
	email: string;
	sms: string;
	push: string;
	timeZone: string;
}

export const DEFAULT_CONSENT_ATTRIBUTES: ConsentAttributeNames = {
	email: 'emailOptIn',
	sms: 'smsOptIn',
	push: 'pushOptIn',
	timeZone: 'timeZone',
};

export interface ConsentAndTimeZone {
	consent: { email: string | null; sms: string | null; push: string | null };
	timeZone: string | null;
}

/**
 * Consent per channel and the time zone, read from the member's extended attributes: Annex Cloud
 * has no documented fields for them (docs/annex-cloud.md, "Extended attributes"). Values are
 * passed on as the tenant stores them (`YES`/`NO`, `true`, …); Segment Build reads all of these.
 */
export function readConsentAndTimeZone(
	userAnswer: unknown,
	names: ConsentAttributeNames = DEFAULT_CONSENT_ATTRIBUTES,
): ConsentAndTimeZone {
	const user = unwrapAnnex(userAnswer);
	const attributes = isPlainObject(user.extendedAttribute)
		? user.extendedAttribute
		: isPlainObject(user.extendedAttributes)
			? user.extendedAttributes
			: {};
	const read = (name: string) => text(attributes[name]);
	return {
		consent: { email: read(names.email), sms: read(names.sms), push: read(names.push) },
		timeZone: read(names.timeZone),
	};
}

export interface ProfileSources {
	/** Raw answers (either shape); `activity` is every page's answer or the lines themselves. */
	user: unknown;
	points: unknown;
	tiers: unknown;
	rewards: unknown;
	activity: unknown[];
}

export interface ProfileOptions extends Partial<ActivityClassification> {
	/** "Now" for the expiry fallback and the end of the weekly summary (epoch ms). */
	asOf?: number;
	/** Weeks in `weeklyActivity`, ending with the last complete week before `asOf`. */
	weeks?: number;
	/** End `weeklyActivity` with the week in progress instead. */
	includeCurrentWeek?: boolean;
}

const ACTIVITY_LIST_KEYS = ['activityDetail', 'activities', 'activity'];
const REWARD_LIST_KEYS = ['rewardDetail', 'rewards', 'rewardList'];

function text(...values: unknown[]): string | null {
	for (const value of values) {
		if (value === undefined || value === null) continue;
		if (typeof value === 'object') continue;
		const result = String(value).trim();
		if (result !== '') return result;
	}
	return null;
}

function number(...values: unknown[]): number | null {
	for (const value of values) {
		const result = toNumber(value);
		if (result !== undefined) return result;
	}
	return null;
}

function date(...values: unknown[]): string | null {
	for (const value of values) {
		const iso = toIso(value);
		if (iso) return iso;
	}
	return null;
}

/** Tier names arrive as a string or as `{ tierName, … }`. */
function tierName(value: unknown): string | null {
	if (value && typeof value === 'object') {
		const tier = value as PlainObject;
		return text(tier.tierName, tier.name, tier.tier_name);
	}
	return text(value);
}

/** Activity lines from page answers (either shape) or from lines already extracted. */
export function activityLines(activity: unknown[]): PlainObject[] {
	const lines: PlainObject[] = [];
	for (const page of activity) {
		const body = unwrapAnnex(page);
		const list = listIn(body, ACTIVITY_LIST_KEYS);
		if (list.length) lines.push(...list);
		else if (body.createDate !== undefined || body.actionId !== undefined) lines.push(body);
	}
	return lines;
}

export function rewardOptions(rewards: unknown): RewardOption[] {
	return readRewards(listIn(unwrapAnnex(rewards), REWARD_LIST_KEYS));
}

/**
 * The next expiry from the ledger when the points answer has none: the earliest future
 * `expireDate` among credits that are not already expired, and the points expiring then.
 */
export function nextExpiryFromLedger(
	entries: ActivityEntry[],
	asOf: number,
): { points: number; at: number } | undefined {
	const pending = entries.filter(
		(entry) =>
			entry.credit > 0 &&
			entry.expireAt !== undefined &&
			entry.expireAt >= asOf &&
			!/expired|reversed|cancel/.test(entry.status),
	);
	if (!pending.length) return undefined;
	const at = Math.min(...pending.map((entry) => entry.expireAt as number));
	const points = pending
		.filter((entry) => entry.expireAt === at)
		.reduce((sum, entry) => sum + entry.credit, 0);
	return { points, at };
}

export function assembleLoyaltyProfile(
	sources: ProfileSources,
	options: ProfileOptions = {},
): LoyaltyProfile {
	const user = unwrapAnnex(sources.user);
	const points = unwrapAnnex(sources.points);
	const tiers = unwrapAnnex(sources.tiers);
	const classification = activityClassification(options);
	const lines = activityLines(sources.activity);
	const entries = lines.map(readActivityEntry);
	const asOf = options.asOf ?? Date.now();

	const availablePoints = number(
		points.availablePoints,
		points.available_points,
		user.availablePoints,
	);
	const standing = rewardStanding(rewardOptions(sources.rewards), availablePoints ?? undefined);

	const memberEntries = entries.filter(
		(entry) => entry.at !== undefined && isMemberActivity(entry, classification),
	);
	const purchaseEntries = memberEntries.filter((entry) => isPurchase(entry, classification));
	const span = (list: ActivityEntry[]) => {
		if (!list.length) return { first: null, last: null };
		const times = list.map((entry) => entry.at as number);
		return {
			first: new Date(Math.min(...times)).toISOString(),
			last: new Date(Math.max(...times)).toISOString(),
		};
	};
	const activitySpan = span(memberEntries);
	const purchaseSpan = span(purchaseEntries);

	let nextExpiringPoints = number(
		points.pointsToExpire,
		points.nextExpiringPoints,
		points.points_to_expire,
	);
	let pointsExpirationDate = date(
		points.pointsToExpireDate,
		points.pointsExpirationDate,
		points.points_to_expire_date,
	);
	if (nextExpiringPoints === null && pointsExpirationDate === null) {
		const fromLedger = nextExpiryFromLedger(entries, asOf);
		if (fromLedger) {
			nextExpiringPoints = fromLedger.points;
			pointsExpirationDate = new Date(fromLedger.at).toISOString();
		}
	}

	return {
		loyaltyId: text(user.id, user.userId, user.user_id, points.id, user.email) ?? '',
		firstName: text(user.firstName, user.first_name),
		lastName: text(user.lastName, user.last_name),
		email: text(user.email, user.emailAddress),
		activeStatus: text(
			user.status,
			user.activeStatus,
			(user.activityBasedStatus as PlainObject | undefined)?.status,
		),
		birthDate: text(user.birthDate, user.birthday, user.birth_date),
		anniversaryDate: text(user.anniversaryDate, user.anniversary_date),
		phone: text(user.phone, user.phoneNumber),
		zipCode: text(user.zipCode, user.zip, user.zip_code),
		optInStatus: text(user.optInStatus, user.opt_in_status),
		optInDate: date(user.optInDate, user.opt_in_date),
		availablePoints,
		earnedPoints: number(points.earnedPoints, points.lifetimePoints, points.earned_points),
		usedPoints: number(points.usedPoints, points.used_points),
		holdPoints: number(points.holdPoints, points.hold_points),
		nextExpiringPoints,
		pointsExpirationDate,
		expiredPoints: number(points.expiredPoints, points.expired_points),
		currentTier: tierName(
			tiers.currentTier ?? tiers.current_tier ?? tiers.tierName ?? user.currentTier,
		),
		nextTier: tierName(tiers.nextTier ?? tiers.next_tier),
		pointsToNextTier: number(
			tiers.pointsToNextTier,
			tiers.points_to_next_tier,
			points.pointsToNextTier,
		),
		tierAchievedDate: date(
			tiers.tierAchievedDate,
			tiers.tierAchieveDate,
			tiers.currentTierAchievedDate,
			tiers.tierAchievedOn,
			tiers.tierStartDate,
			tiers.currentTierStartDate,
		),
		availableRewards: standing.availableRewards,
		availableRewardList: standing.available.map(({ rewardId, name, creditRequired }) => ({
			rewardId,
			name,
			creditRequired,
		})),
		pointsToNextReward: standing.pointsToNextReward,
		highestAvailableReward: standing.highestAvailableReward,
		firstActivityDate: activitySpan.first,
		lastActivityDate: activitySpan.last,
		firstPurchaseDate: purchaseSpan.first,
		lastPurchaseDate: purchaseSpan.last,
		weeklyActivity: weeklyActivitySummary(lines, {
			...classification,
			asOf,
			weeks: options.weeks ?? 12,
			includeCurrentWeek: options.includeCurrentWeek,
		}),
	};
}
