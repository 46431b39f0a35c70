import { isPlainObject, type PlainObject } from '../../shared/memberValues';
import { toNumber } from './unwrap';

export interface RewardOption {
	rewardId: string;
	name: string;
	creditRequired: number | null;
	/** What Annex Cloud says (`eligible`); null when the answer does not carry the flag. */
	eligible: boolean | null;
	/** Units left, when the answer says (`stockRemaining`); null otherwise. */
	stock: number | null;
}

/** Annex Cloud writes the flag as a boolean, "true"/"false", "YES"/"NO" or 1/0. */
export function readFlag(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value !== 0;
	if (typeof value !== 'string') return null;
	if (/^(true|yes|y|1|eligible)$/i.test(value.trim())) return true;
	if (/^(false|no|n|0|ineligible|not eligible)$/i.test(value.trim())) return false;
	return null;
}

export function readReward(line: PlainObject): RewardOption {
	const rewardId = line.rewardId ?? line.reward_id ?? line.id ?? '';
	const name = line.displayText ?? line.rewardName ?? line.reward_name ?? line.name;
	return {
		rewardId: String(rewardId),
		name:
			name === undefined || name === null || name === ''
				? `Reward ${String(rewardId)}`
				: String(name),
		creditRequired:
			toNumber(line.creditRequired ?? line.credit_required ?? line.pointsRequired) ?? null,
		eligible: readFlag(line.eligible ?? line.isEligible),
		stock: toNumber(line.stockRemaining ?? line.stock ?? line.inventory) ?? null,
	};
}

export function readRewards(lines: unknown[]): RewardOption[] {
	return lines.filter(isPlainObject).map(readReward);
}

/**
 * Whether the member may take the reward: Annex Cloud's own flag when present, and in any case
 * enough available points for its cost when both numbers are known.
 */
export function isEligible(reward: RewardOption, availablePoints: number | undefined): boolean {
	if (reward.eligible === false || (reward.stock !== null && reward.stock <= 0)) return false;
	if (reward.creditRequired !== null && availablePoints !== undefined) {
		return availablePoints >= reward.creditRequired;
	}
	return reward.eligible === true;
}

export type RedemptionCheck =
	| { allowed: true; reward: RewardOption }
	| { allowed: false; reason: string; reward?: RewardOption };

/**
 * Entitlement check before a redemption: verify the entitlement before anything is debited, and say why a
 * redemption is refused.
 */
export function checkRedemption(
	rewardId: string,
	rewards: RewardOption[],
	availablePoints: number | undefined,
): RedemptionCheck {
	const reward = rewards.find((candidate) => candidate.rewardId === String(rewardId));
	if (!reward) {
		const offered = rewards.map((candidate) => candidate.rewardId).join(', ') || 'none';
		return {
			allowed: false,
			reason: `reward ${rewardId} is not offered to this member (offered: ${offered})`,
		};
	}
	if (reward.stock !== null && reward.stock <= 0) {
		return { allowed: false, reward, reason: `"${reward.name}" is out of stock` };
	}
	if (
		reward.creditRequired !== null &&
		availablePoints !== undefined &&
		availablePoints < reward.creditRequired
	) {
		return {
			allowed: false,
			reward,
			reason: `"${reward.name}" needs ${reward.creditRequired} points and the member has ${availablePoints} available (${reward.creditRequired - availablePoints} short)`,
		};
	}
	if (reward.eligible === false) {
		return {
			allowed: false,
			reward,
			reason: `Annex Cloud marks "${reward.name}" as not eligible for this member`,
		};
	}
	return { allowed: true, reward };
}

export interface RewardStanding {
	available: RewardOption[];
	/** `$5 Reward | $10 Reward`, cheapest first, as the ESP field lists them. */
	availableRewards: string;
	highestAvailableReward: string | null;
	/** Points still missing for the cheapest reward the member cannot take yet; null if none is left. */
	pointsToNextReward: number | null;
	nextReward: string | null;
}

const byCost = (a: RewardOption, b: RewardOption) =>
	(a.creditRequired ?? Number.POSITIVE_INFINITY) - (b.creditRequired ?? Number.POSITIVE_INFINITY);

export function rewardStanding(
	rewards: RewardOption[],
	availablePoints: number | undefined,
): RewardStanding {
	const available = rewards.filter((reward) => isEligible(reward, availablePoints)).sort(byCost);
	const highest = [...available]
		.filter((reward) => reward.creditRequired !== null)
		.sort(byCost)
		.pop();
	const points = availablePoints ?? 0;
	const next = rewards
		.filter((reward) => !available.includes(reward) && reward.creditRequired !== null)
		// An out-of-stock reward is out of reach whatever the points.
		.filter((reward) => reward.stock === null || reward.stock > 0)
		.filter((reward) => (reward.creditRequired as number) > points)
		.sort(byCost)[0];
	return {
		available,
		availableRewards: available.map((reward) => reward.name).join(' | '),
		highestAvailableReward: (highest ?? available[available.length - 1])?.name ?? null,
		pointsToNextReward: next ? (next.creditRequired as number) - points : null,
		nextReward: next?.name ?? null,
	};
}
