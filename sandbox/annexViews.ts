import { ok, pageOf, paginate } from './annexReplies';
import {
	ACTIVITY_PAGE_SIZE,
	CREDITS_TO_CURRENCY_RATIO,
	EXPIRY_PAGE_SIZE,
	USED_REWARD_PAGE_SIZE,
	type AnnexContext,
} from './annexState';
import { dayOfIsoDate, isoDateOfDay, mondayOf, parseLooseTime } from './dates';
import { nextTierOf, TIERS, type LoyaltyMember } from './generator';
import type { Reply, SandboxRequest } from './http';

/** Annex Cloud reads: user, points, tier, rewards, used rewards, activity and expiry pages. */

const yesNo = (value: boolean) => (value ? 'YES' : 'NO');

export function userView(ctx: AnnexContext, member: LoyaltyMember): Record<string, unknown> {
	return {
		siteId: ctx.settings.siteId,
		id: member.id,
		email: member.email,
		firstName: member.firstName,
		lastName: member.lastName,
		zipCode: member.zipCode,
		phone: member.phone,
		birthDate: member.birthDate,
		anniversaryDate: member.anniversaryDate,
		optInStatus: member.optInStatus,
		optInDate: member.optInDate,
		status: member.status,
		createDate: member.createDate,
		updateDate: member.updateDate,
		userProfileImageUrl: null,
		extendedAttribute: {
			...member.otherAttributes,
			timeZone: member.timeZone,
			countryCode: member.countryCode,
			emailOptIn: yesNo(member.consent.email),
			smsOptIn: yesNo(member.consent.sms),
			pushOptIn: yesNo(member.consent.push),
		},
	};
}

function pointsToNextTier(member: LoyaltyMember): number {
	const next = nextTierOf(member.tier);
	return next ? Math.max(0, next.pointsRequired - member.lifetimePoints) : 0;
}

export function pointsView(ctx: AnnexContext, member: LoyaltyMember): Record<string, unknown> {
	return {
		siteId: ctx.settings.siteId,
		id: member.id,
		availablePoints: member.availablePoints,
		usedPoints: member.usedPoints,
		negativePoints: 0,
		expiredPoints: member.expiredPoints,
		lifetimePoints: member.lifetimePoints,
		earnedPointsPeriod: 'lifetime',
		earnedPoints: member.earnedPoints,
		holdPoints: member.holdPoints,
		usedPointsOnReward: member.usedPoints,
		pointsToExpire: member.pointsToExpire,
		pointsToExpireDate: member.pointsToExpireDate,
		pointsToNextTier: pointsToNextTier(member),
		creditsToCurrencyRatio: CREDITS_TO_CURRENCY_RATIO,
		creditsToCurrencyValue: member.availablePoints / CREDITS_TO_CURRENCY_RATIO,
	};
}

export function tierView(ctx: AnnexContext, member: LoyaltyMember): Record<string, unknown> {
	return {
		siteId: ctx.settings.siteId,
		id: member.id,
		currentTier: member.tier,
		nextTier: nextTierOf(member.tier)?.tierName ?? null,
		previousTier: member.previousTier,
		pointsToNextTier: pointsToNextTier(member),
		tierAchievedDate: member.tierAchievedDate,
		tierExpirationDate: isoDateOfDay(dayOfIsoDate(member.tierAchievedDate) + 365),
	};
}

export function tierList(ctx: AnnexContext): Reply {
	return ok(ctx, {
		siteId: ctx.settings.siteId,
		tierDetail: TIERS.map((tier, index) => ({ ...tier, tierLevel: index + 1 })),
		currentPage: 1,
		pages: 1,
	});
}

export function rewardView(ctx: AnnexContext, member: LoyaltyMember): Record<string, unknown> {
	return {
		siteId: ctx.settings.siteId,
		id: member.id,
		creditsToCurrencyRatio: CREDITS_TO_CURRENCY_RATIO,
		creditsToCurrencyValue: member.availablePoints / CREDITS_TO_CURRENCY_RATIO,
		rewardDetail: [...ctx.state.rewards.values()].map((reward) => ({
			rewardId: reward.rewardId,
			displayText: reward.displayText,
			creditRequired: reward.creditRequired,
			eligible: reward.stock > 0 && member.availablePoints >= reward.creditRequired,
			rewardUrl: null,
			rewardImageUrl: null,
			stockRemaining: reward.stock,
		})),
	};
}

export function usedRewards(
	ctx: AnnexContext,
	request: SandboxRequest,
	member: LoyaltyMember,
): Reply {
	const rows = [
		...ctx.state.redemptions
			.filter((r) => r.memberId === member.id)
			.map((r) => ({
				rewardCode: r.rewardCode,
				pointsUsed: r.pointsUsed,
				rewardName: r.rewardName,
				rewardStatus: 'REDEEMED',
				reason: 'redemption',
				createDate: r.createDate,
			})),
		...ctx.state.assignments
			.filter((a) => a.user_id === member.id)
			.map((a) => ({
				rewardCode: a.rewardCode,
				pointsUsed: 0,
				rewardName: ctx.state.reward(a.reward_id)?.displayText ?? '',
				rewardStatus: 'ASSIGNED',
				reason: 'assignment',
				createDate: a.createDate,
			})),
	].sort((a, b) => b.createDate.localeCompare(a.createDate));
	const page = pageOf(request);
	const { items, pages } = paginate(rows, page, USED_REWARD_PAGE_SIZE);
	return ok(ctx, {
		siteId: ctx.settings.siteId,
		id: member.id,
		rewardDetail: items,
		pages,
		current_page: page,
	});
}

export function activityPage(
	ctx: AnnexContext,
	request: SandboxRequest,
	member: LoyaltyMember,
): Reply {
	const entries = ctx.state.activity(member);
	const page = pageOf(request);
	const { items, pages } = paginate(entries, page, ACTIVITY_PAGE_SIZE);
	return ok(ctx, {
		siteId: ctx.settings.siteId,
		id: member.id,
		activityDetail: items,
		currentPage: page,
		pages,
		totalActivityCount: entries.length,
	});
}

/**
 * Expiry schedule: `pointsToExpire` on `pointsToExpireDate`, the rest of the available points
 * in two later batches (+90 and +180 days). Filtered by start_date/end_date, grouped by
 * aggregate_by (day when absent).
 */
export function pointsExpiry(
	ctx: AnnexContext,
	request: SandboxRequest,
	member: LoyaltyMember,
): Reply {
	const batches: Array<{ day: number; points: number }> = [];
	if (member.pointsToExpire > 0 && member.pointsToExpireDate) {
		const first = dayOfIsoDate(member.pointsToExpireDate);
		const rest = member.availablePoints - member.pointsToExpire;
		batches.push({ day: first, points: member.pointsToExpire });
		if (rest > 0) {
			batches.push({ day: first + 90, points: Math.floor(rest / 2) });
			batches.push({ day: first + 180, points: rest - Math.floor(rest / 2) });
		}
	}
	const start = parseLooseTime(request.query.get('start_date') ?? undefined);
	const end = parseLooseTime(request.query.get('end_date') ?? undefined, true);
	const aggregate = request.query.get('aggregate_by') ?? 'day';
	const groups = new Map<string, Array<{ points: number; expiryDate: string }>>();
	for (const batch of batches) {
		const time = batch.day * 86_400_000;
		if ((start !== undefined && time < start) || (end !== undefined && time > end)) continue;
		const key = periodStart(batch.day, aggregate);
		const group = groups.get(key) ?? [];
		group.push({ points: batch.points, expiryDate: isoDateOfDay(batch.day) });
		groups.set(key, group);
	}
	const rows = [...groups].map(([date, pointsActivity]) => ({ date, pointsActivity }));
	const page = pageOf(request);
	const { items, pages } = paginate(rows, page, EXPIRY_PAGE_SIZE);
	return ok(ctx, {
		siteId: ctx.settings.siteId,
		id: member.id,
		expiryDetail: items,
		currentPage: page,
		pages,
		totalRecords: rows.length,
	});
}

function periodStart(day: number, aggregate: string): string {
	const date = isoDateOfDay(day);
	switch (aggregate) {
		case 'week':
			return isoDateOfDay(mondayOf(day));
		case 'month':
			return `${date.slice(0, 7)}-01`;
		case 'quarter': {
			const month = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
			return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
		}
		case 'year':
			return `${date.slice(0, 4)}-01-01`;
		default:
			return date;
	}
}
