import { annexError, ok, parseAnnexBody } from './annexReplies';
import { issueCode } from './annexRewards';
import type { AnnexContext, TierChange } from './annexState';
import { annexDateTime, todayIsoDate } from './dates';
import { ACTIONS, tierForPoints, type ActivityEntry, type LoyaltyMember } from './generator';
import { reply, type Reply, type SandboxRequest } from './http';

/** Annex Cloud `POST /points`: the ledger, credits and debits, duplicate writes, redemptions. */

function appendLedger(
	ctx: AnnexContext,
	member: LoyaltyMember,
	entry: Omit<ActivityEntry, 'activityId' | 'pointType' | 'createDate' | 'expireDate'>,
): ActivityEntry {
	const full: ActivityEntry = {
		...entry,
		activityId: `api-${ctx.state.nextSequence()}`,
		pointType: 'Standard',
		createDate: annexDateTime(Date.now()),
		expireDate: entry.credit > 0 ? annexDateTime(Date.now() + 365 * 86_400_000) : null,
	};
	const ledger = ctx.state.ledgers.get(member.id) ?? [];
	ledger.push(full);
	ctx.state.ledgers.set(member.id, ledger);
	ctx.state.changed.add(member.id);
	member.lastActivityDate = todayIsoDate();
	member.updateDate = full.createDate;
	return full;
}

export function postPoints(ctx: AnnexContext, request: SandboxRequest): Reply {
	const parsed = parseAnnexBody(request);
	if ('failure' in parsed) return parsed.failure;
	const { body } = parsed;
	if (typeof body.id !== 'string' || body.id === '')
		return annexError(400, 'VALIDATION_ERROR', 'id is required');
	const member = ctx.state.member(body.id);
	if (!member) return annexError(404, 'USER_NOT_FOUND', `User ${body.id} does not exist`);
	const actionId = body.actionId === undefined ? ACTIONS.manual.actionId : Number(body.actionId);
	if (!Number.isInteger(actionId))
		return annexError(400, 'VALIDATION_ERROR', 'actionId must be an integer');
	const duplicate = duplicateWrite(ctx, body, member, actionId);
	if (duplicate) return duplicate;
	const written =
		actionId === ACTIONS.redemption.actionId || body.rewardId !== undefined
			? redeem(ctx, body, member)
			: creditOrDebit(ctx, body, member, actionId);
	const answer = written.body as { activityId?: unknown; Data?: { activityId?: unknown } };
	const activityId = (answer?.Data ?? answer)?.activityId;
	if (typeof body.customId === 'string' && typeof activityId === 'string') {
		ctx.state.transactions.set(`${actionId}:${body.customId}`, {
			memberId: member.id,
			activityId,
		});
	}
	return written;
}

/**
 * Annex Cloud documents `customId` ("a unique ID ... to support unique transactions") and
 * `retry` ("ensure there aren't any duplicate order IDs") without the refusal's shape. Modelled
 * (sandbox/README.md): a `customId` already used with the action, or with `retry: "NO"` an
 * `orderId` already in the member's ledger for the action, is answered 409 and writes nothing.
 */
function duplicateWrite(
	ctx: AnnexContext,
	body: Record<string, unknown>,
	member: LoyaltyMember,
	actionId: number,
): Reply | undefined {
	if (body.customId !== undefined && (typeof body.customId !== 'string' || !body.customId))
		return annexError(400, 'VALIDATION_ERROR', 'customId must be a non-empty string');
	if (body.retry !== undefined && body.retry !== 'YES' && body.retry !== 'NO')
		return annexError(400, 'VALIDATION_ERROR', 'retry must be YES or NO');
	const earlier =
		typeof body.customId === 'string'
			? ctx.state.transactions.get(`${actionId}:${body.customId}`)
			: undefined;
	if (earlier) {
		return reply409(
			'DUPLICATE_CUSTOM_ID',
			`customId ${body.customId} was already used`,
			earlier.activityId,
		);
	}
	if (body.retry === 'NO' && typeof body.orderId === 'string' && body.orderId !== '') {
		const booked = (ctx.state.ledgers.get(member.id) ?? []).find(
			(entry) => entry.orderId === body.orderId && entry.actionId === actionId,
		);
		if (booked) {
			return reply409(
				'DUPLICATE_ORDER_ID',
				`orderId ${body.orderId} was already booked`,
				booked.activityId,
			);
		}
	}
	return undefined;
}

function reply409(errorCode: string, errorMessage: string, activityId: string): Reply {
	return reply(409, { errorCode, errorMessage, activityId });
}

function creditOrDebit(
	ctx: AnnexContext,
	body: Record<string, unknown>,
	member: LoyaltyMember,
	actionId: number,
): Reply {
	const activity = String(
		body.activity ?? (body.debit !== undefined ? 'DEBIT' : 'CREDIT'),
	).toUpperCase();
	if (activity !== 'CREDIT' && activity !== 'DEBIT')
		return annexError(400, 'VALIDATION_ERROR', 'activity must be CREDIT or DEBIT');
	const points = Number(body.points ?? (activity === 'DEBIT' ? body.debit : body.credit));
	if (!Number.isInteger(points) || points <= 0)
		return annexError(400, 'VALIDATION_ERROR', 'points must be a positive integer');
	const reason =
		typeof body.reason === 'string'
			? body.reason
			: activity === 'DEBIT'
				? 'Points deducted'
				: 'Points awarded';
	const orderId = typeof body.orderId === 'string' ? body.orderId : null;
	const base = {
		actionId,
		activity,
		reason,
		orderId,
		rewardCode: null,
		pointStatus: 'Released',
		displayText: reason,
	} as const;
	let tierChanged: TierChange | undefined;
	let entry: ActivityEntry;
	if (activity === 'DEBIT') {
		if (points > member.availablePoints) {
			return annexError(
				400,
				'INSUFFICIENT_POINTS',
				`Member has ${member.availablePoints} points, ${points} requested`,
			);
		}
		member.availablePoints -= points;
		member.usedPoints += points;
		entry = appendLedger(ctx, member, { ...base, activity: 'DEBIT', credit: 0, debit: points });
	} else {
		member.availablePoints += points;
		member.lifetimePoints += points;
		member.earnedPoints += points;
		if (actionId === ACTIONS.purchase.actionId) {
			member.lastPurchaseDate = todayIsoDate();
			member.firstPurchaseDate ??= member.lastPurchaseDate;
		}
		entry = appendLedger(ctx, member, { ...base, activity: 'CREDIT', credit: points, debit: 0 });
		tierChanged = reevaluateTier(ctx, member);
	}
	return ok(ctx, {
		siteId: ctx.settings.siteId,
		id: member.id,
		activityId: entry.activityId,
		actionId,
		activity,
		points,
		availablePoints: member.availablePoints,
		usedPoints: member.usedPoints,
		lifetimePoints: member.lifetimePoints,
		currentTier: member.tier,
		tierChanged: tierChanged ? { from: tierChanged.from, to: tierChanged.to } : null,
	});
}

/** Tiers follow lifetime points and only go up through the API (credits never lower them). */
function reevaluateTier(ctx: AnnexContext, member: LoyaltyMember): TierChange | undefined {
	const tier = tierForPoints(member.lifetimePoints).tierName;
	if (tier === member.tier) return undefined;
	const change: TierChange = {
		memberId: member.id,
		from: member.tier,
		to: tier,
		at: new Date().toISOString(),
	};
	member.previousTier = member.tier;
	member.tier = tier;
	member.tierAchievedDate = todayIsoDate();
	ctx.state.tierChanges.push(change);
	return change;
}

/** actionId 107 + rewardId: debits only when the reward is eligible (stock and points). */
function redeem(ctx: AnnexContext, body: Record<string, unknown>, member: LoyaltyMember): Reply {
	const rewardId = Number(body.rewardId);
	const reward = ctx.state.reward(rewardId);
	if (!reward)
		return annexError(404, 'REWARD_NOT_FOUND', `Reward ${String(body.rewardId)} does not exist`);
	if (reward.stock <= 0)
		return annexError(400, 'REWARD_OUT_OF_STOCK', `Reward ${rewardId} is out of stock`);
	if (member.availablePoints < reward.creditRequired) {
		return annexError(
			400,
			'REWARD_NOT_ELIGIBLE',
			`Member has ${member.availablePoints} points, reward ${rewardId} needs ${reward.creditRequired}`,
		);
	}
	reward.stock--;
	reward.issued++;
	member.availablePoints -= reward.creditRequired;
	member.usedPoints += reward.creditRequired;
	const rewardCode = issueCode(ctx, rewardId);
	const entry = appendLedger(ctx, member, {
		actionId: ACTIONS.redemption.actionId,
		activity: 'DEBIT',
		credit: 0,
		debit: reward.creditRequired,
		pointStatus: 'Released',
		displayText: reward.displayText,
		reason: typeof body.reason === 'string' ? body.reason : 'Reward redemption',
		orderId: typeof body.orderId === 'string' ? body.orderId : null,
		rewardCode,
	});
	ctx.state.redemptions.push({
		memberId: member.id,
		rewardId,
		rewardName: reward.displayText,
		rewardCode,
		pointsUsed: reward.creditRequired,
		activityId: entry.activityId,
		createDate: entry.createDate,
	});
	return ok(ctx, {
		siteId: ctx.settings.siteId,
		id: member.id,
		activityId: entry.activityId,
		actionId: ACTIONS.redemption.actionId,
		activity: 'DEBIT',
		points: reward.creditRequired,
		rewardId,
		rewardCode,
		availablePoints: member.availablePoints,
		usedPoints: member.usedPoints,
		lifetimePoints: member.lifetimePoints,
	});
}
