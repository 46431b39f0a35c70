import type { AnnexSigningKey } from '../nodes/shared/annexJwt';
import { REWARD_CATALOGUE, type RewardDefinition } from './fixtures';
import {
	memberActivityHistory,
	type ActivityEntry,
	type LoyaltyMember,
	type TierName,
} from './generator';

/** What the Annex Cloud stand-in holds and how it answers; its handlers take both. */

export type AnnexResponseShape = 'flat' | 'wrapped';

export interface AnnexSettings extends AnnexSigningKey {
	responseShape: AnnexResponseShape;
}

export const SEARCH_RESULT_CAP = 50;
export const ACTIVITY_PAGE_SIZE = 25;
export const USED_REWARD_PAGE_SIZE = 25;
export const EXPIRY_PAGE_SIZE = 25;
/** Points per currency unit reported on the rewards endpoint. */
export const CREDITS_TO_CURRENCY_RATIO = 100;

export interface RewardStock extends RewardDefinition {
	initialStock: number;
	issued: number;
}

export interface Redemption {
	memberId: string;
	rewardId: number;
	rewardName: string;
	rewardCode: string;
	pointsUsed: number;
	activityId: string;
	createDate: string;
}

export interface Assignment {
	assign_id: string;
	reward_id: number;
	user_id: string;
	rewardCode: string;
	issuance_details: unknown;
	createDate: string;
}

export interface TierChange {
	memberId: string;
	from: TierName;
	to: TierName;
	at: string;
}

/** Everything the Annex Cloud stand-in holds. Live object: tests read it directly. */
export class AnnexState {
	readonly members = new Map<string, LoyaltyMember>();
	/** Member ids in load order (search order, random picks for the webhook sender). */
	readonly memberIds: string[] = [];
	/** Ledger entries appended through the API, per member, oldest first. */
	readonly ledgers = new Map<string, ActivityEntry[]>();
	readonly redemptions: Redemption[] = [];
	readonly assignments: Assignment[] = [];
	readonly rewards = new Map<number, RewardStock>();
	readonly tierChanges: TierChange[] = [];
	/** `POST /points` writes by `${actionId}:${customId}`: a second write with the key is refused. */
	readonly transactions = new Map<string, { memberId: string; activityId: string }>();
	/** Members written through the API since start/reset. */
	readonly changed = new Set<string>();
	private sequence = 0;

	constructor() {
		this.resetRewards();
	}

	member(id: string): LoyaltyMember | undefined {
		return this.members.get(id);
	}

	add(member: LoyaltyMember): void {
		if (!this.members.has(member.id)) this.memberIds.push(member.id);
		this.members.set(member.id, member);
	}

	load(members: Iterable<LoyaltyMember>): void {
		for (const member of members) this.add(member);
	}

	nextSequence(): number {
		return ++this.sequence;
	}

	reward(rewardId: number): RewardStock | undefined {
		return this.rewards.get(rewardId);
	}

	/** Generated history plus API-appended entries, newest first. */
	activity(member: LoyaltyMember): ActivityEntry[] {
		const entries = [
			...memberActivityHistory(member),
			...(this.ledgers.get(member.id) ?? []),
		].reverse();
		// Stable: same-second entries keep newest-first order.
		return entries.sort((a, b) => b.createDate.localeCompare(a.createDate));
	}

	clear(): void {
		this.members.clear();
		this.memberIds.length = 0;
		this.ledgers.clear();
		this.redemptions.length = 0;
		this.assignments.length = 0;
		this.tierChanges.length = 0;
		this.transactions.clear();
		this.changed.clear();
		this.sequence = 0;
		this.resetRewards();
	}

	private resetRewards(): void {
		this.rewards.clear();
		for (const reward of REWARD_CATALOGUE) {
			this.rewards.set(reward.rewardId, { ...reward, initialStock: reward.stock, issued: 0 });
		}
	}

	/** `allMembers`: every member, else only those changed through the API (large runs). */
	snapshot(allMembers: boolean, summary = false) {
		const members = summary
			? undefined
			: allMembers
				? [...this.members.values()]
				: [...this.changed].map((id) => this.members.get(id));
		return {
			memberCount: this.members.size,
			membersIncluded: summary ? 'none' : allMembers ? 'all' : 'changed',
			members,
			changedMemberIds: [...this.changed],
			ledgers: Object.fromEntries(this.ledgers),
			redemptions: this.redemptions,
			assignments: this.assignments,
			rewards: [...this.rewards.values()],
			tierChanges: this.tierChanges,
		};
	}
}

/** What every Annex Cloud handler reads: the answer shape and site, and the live state. */
export interface AnnexContext {
	readonly settings: AnnexSettings;
	readonly state: AnnexState;
}
