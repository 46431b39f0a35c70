import type { AnnexState } from './annex';
import { annexDateTime } from './dates';
import { ACTIONS } from './generator';
import { isRecord } from './http';

/**
 * Purchases booked into members' Annex Cloud ledgers at a chosen time (`POST
 * /_sandbox/annex/purchases`): what the shop's order integration would have credited while a
 * campaign ran, so a review can measure target and holdout purchases inside its window. Each
 * purchase is an action 109 credit of `points`, as `POST /points` books one, but dated `at`.
 */

export interface PurchaseRequest {
	memberId: string;
	points: number;
	at: string;
	orderId?: string;
}

type Parsed = { ok: true; value: PurchaseRequest[] } | { ok: false; error: string };

export function parsePurchases(body: Record<string, unknown> | undefined): Parsed {
	const list = body?.purchases;
	if (!Array.isArray(list) || list.length === 0) {
		return { ok: false, error: 'purchases must be a non-empty list' };
	}
	const purchases: PurchaseRequest[] = [];
	for (const [index, entry] of list.entries()) {
		if (!isRecord(entry)) return { ok: false, error: `purchases[${index}] must be an object` };
		const { memberId, points, at, orderId } = entry;
		if (typeof memberId !== 'string' || memberId === '') {
			return { ok: false, error: `purchases[${index}].memberId is required` };
		}
		if (typeof points !== 'number' || !Number.isInteger(points) || points <= 0) {
			return { ok: false, error: `purchases[${index}].points must be a positive integer` };
		}
		if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
			return { ok: false, error: `purchases[${index}].at must be an ISO date-time` };
		}
		if (orderId !== undefined && typeof orderId !== 'string') {
			return { ok: false, error: `purchases[${index}].orderId must be text` };
		}
		purchases.push({ memberId, points, at, orderId });
	}
	return { ok: true, value: purchases };
}

/** Books the purchases; refuses all of them when one names an unknown member. */
export function bookPurchases(
	state: AnnexState,
	purchases: readonly PurchaseRequest[],
): { booked: number } | { error: string } {
	const unknown = purchases.find((purchase) => !state.member(purchase.memberId));
	if (unknown) return { error: `member ${unknown.memberId} does not exist` };
	for (const purchase of purchases) {
		const member = state.member(purchase.memberId)!;
		const at = Date.parse(purchase.at);
		const ledger = state.ledgers.get(member.id) ?? [];
		ledger.push({
			activityId: `api-${state.nextSequence()}`,
			actionId: ACTIONS.purchase.actionId,
			activity: 'CREDIT',
			credit: purchase.points,
			debit: 0,
			pointType: 'Standard',
			pointStatus: 'Released',
			displayText: ACTIONS.purchase.displayText,
			reason: ACTIONS.purchase.displayText,
			orderId: purchase.orderId ?? `ord-${member.id}-${at}`,
			rewardCode: null,
			createDate: annexDateTime(at),
			expireDate: annexDateTime(at + 365 * 86_400_000),
		});
		state.ledgers.set(member.id, ledger);
		state.changed.add(member.id);
		member.availablePoints += purchase.points;
		member.earnedPoints += purchase.points;
		member.lifetimePoints += purchase.points;
		const day = new Date(at).toISOString().slice(0, 10);
		if (!member.lastPurchaseDate || member.lastPurchaseDate < day) member.lastPurchaseDate = day;
	}
	return { booked: purchases.length };
}
