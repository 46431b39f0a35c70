import type { RuleFailure } from '../../shared/memberValues';
import { toFiniteNumber } from '../../shared/memberValues';

/** One rung of the ladder: the tier a member holds from `threshold` (inclusive) upward. */
export interface TierDefinition {
	name: string;
	threshold: number | string;
}

/** A benefit that comes with a tier. `validityDays` 0 means it does not expire. */
export interface EntitlementDefinition {
	tier: string;
	benefitId: string;
	name?: string;
	quantity?: number | string;
	validityDays?: number | string;
}

export interface Entitlement {
	benefitId: string;
	name: string;
	quantity: number;
	validityDays: number;
}

export interface EntitlementDiff {
	grant: Entitlement[];
	revoke: Entitlement[];
	unchanged: Entitlement[];
}

export interface CompiledLadder {
	names: string[];
	thresholds: Float64Array;
	/** Tier index by exact name, and by trimmed lower-case name. */
	indexByName: Map<string, number>;
	/** diffs[(from + 1) * (size + 1) + (to + 1)]; index -1 is "no tier". */
	diffs: EntitlementDiff[];
}

const failure = (field: string, message: string): RuleFailure => ({ ok: false, field, message });

/**
 * Validates and freezes a tier ladder: names unique, thresholds numeric and strictly increasing
 * in the order given (a ladder that is not ordered is refused rather than sorted, because the
 * order is what the user meant and a typo in a threshold should not silently reorder tiers).
 */
export function compileLadder(
	tiers: TierDefinition[],
	entitlements: EntitlementDefinition[] = [],
	cumulativeEntitlements = false,
): CompiledLadder | RuleFailure {
	if (tiers.length === 0) return failure('tiers', 'The tier ladder has no tiers');
	const names: string[] = [];
	const thresholds = new Float64Array(tiers.length);
	const indexByName = new Map<string, number>();
	for (let index = 0; index < tiers.length; index++) {
		const name = String(tiers[index].name ?? '').trim();
		const threshold = toFiniteNumber(tiers[index].threshold);
		if (name === '') return failure('tiers', `Tier ${index + 1} has no name`);
		if (indexByName.has(name.toLowerCase())) {
			return failure('tiers', `Tier name "${name}" appears twice in the ladder`);
		}
		if (threshold !== threshold) {
			return failure('tiers', `Tier "${name}" has a threshold that is not a number`);
		}
		if (index > 0 && threshold <= thresholds[index - 1]) {
			return failure(
				'tiers',
				`The tier ladder is not ordered: "${name}" (${threshold}) must have a higher threshold than "${names[index - 1]}" (${thresholds[index - 1]})`,
			);
		}
		names.push(name);
		thresholds[index] = threshold;
		indexByName.set(name, index);
		indexByName.set(name.toLowerCase(), index);
	}

	const perTier: Entitlement[][] = names.map(() => []);
	for (const [position, definition] of entitlements.entries()) {
		const tierIndex = indexByName.get(
			String(definition.tier ?? '')
				.trim()
				.toLowerCase(),
		);
		const label = `Entitlement ${position + 1}`;
		if (tierIndex === undefined) {
			return failure(
				'entitlements',
				`${label} names tier "${definition.tier}", which is not in the ladder`,
			);
		}
		const benefitId = String(definition.benefitId ?? '').trim();
		if (benefitId === '') return failure('entitlements', `${label} has no benefit ID`);
		const quantity = definition.quantity === undefined ? 1 : toFiniteNumber(definition.quantity);
		const validityDays =
			definition.validityDays === undefined ? 0 : toFiniteNumber(definition.validityDays);
		if (!(quantity >= 0)) return failure('entitlements', `${label} has an invalid quantity`);
		if (!(validityDays >= 0)) {
			return failure('entitlements', `${label} has an invalid validity (days)`);
		}
		perTier[tierIndex].push({
			benefitId,
			name: String(definition.name ?? '').trim() || benefitId,
			quantity,
			validityDays: Math.floor(validityDays),
		});
	}
	const setFor = (tierIndex: number): Entitlement[] => {
		if (tierIndex < 0) return [];
		if (!cumulativeEntitlements) return perTier[tierIndex];
		// A higher tier's entry replaces a lower tier's entry with the same benefit ID.
		const byId = new Map<string, Entitlement>();
		for (let index = 0; index <= tierIndex; index++) {
			for (const entitlement of perTier[index]) byId.set(entitlement.benefitId, entitlement);
		}
		return [...byId.values()];
	};

	const size = names.length;
	const diffs: EntitlementDiff[] = [];
	for (let from = -1; from < size; from++) {
		const before = setFor(from);
		for (let to = -1; to < size; to++) {
			diffs.push(diffEntitlements(before, setFor(to)));
		}
	}
	return { names, thresholds, indexByName, diffs };
}

const sameEntitlement = (a: Entitlement, b: Entitlement): boolean =>
	a.benefitId === b.benefitId && a.quantity === b.quantity && a.validityDays === b.validityDays;

/** A benefit kept with a different quantity or validity is revoked and granted anew. */
export function diffEntitlements(before: Entitlement[], after: Entitlement[]): EntitlementDiff {
	const grant = after.filter((next) => !before.some((held) => sameEntitlement(held, next)));
	const revoke = before.filter((held) => !after.some((next) => sameEntitlement(held, next)));
	const unchanged = after.filter((next) => before.some((held) => sameEntitlement(held, next)));
	return { grant, revoke, unchanged };
}

export function entitlementDiff(ladder: CompiledLadder, from: number, to: number): EntitlementDiff {
	return ladder.diffs[(from + 1) * (ladder.names.length + 1) + (to + 1)];
}

/** Index of the highest tier whose threshold the value reaches (ties qualify); -1 if none. */
export function earnedTierIndex(ladder: CompiledLadder, value: number): number {
	const thresholds = ladder.thresholds;
	for (let index = thresholds.length - 1; index >= 0; index--) {
		if (value >= thresholds[index]) return index;
	}
	return -1;
}

/** Tier index for a current-tier value: -1 when blank, undefined when not in the ladder. */
export function tierIndexOf(ladder: CompiledLadder, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return -1;
	const name = typeof value === 'string' ? value : String(value);
	return ladder.indexByName.get(name) ?? ladder.indexByName.get(name.trim().toLowerCase());
}
