import type { AsOfInput, Feb29Rule, ZoneDay } from '../../shared/dates';
import {
	createClock,
	firstAnniversary,
	formatDay,
	isAnniversaryToday,
	isClockFailure,
	parseDay,
} from '../../shared/dates';
import type { RuleFailure } from '../../shared/memberValues';
import {
	compileFieldPath,
	isBlank,
	isRuleFailure,
	toFiniteNumber,
} from '../../shared/memberValues';
import type { Entitlement, EntitlementDefinition, TierDefinition } from './tierLadder';
import { compileLadder, earnedTierIndex, entitlementDiff, tierIndexOf } from './tierLadder';

export type QualifyingBasis = 'pointsBalance' | 'lifetimePoints' | 'spend' | 'rollingSpend';
export type TierChange = 'upgrade' | 'downgrade' | 'none' | 'initial';
export type TierEvent =
	| 'tier_upgrade'
	| 'tier_downgrade'
	| 'close_to_tier_upgrade'
	| 'tier_anniversary';

/** Where each input lives in a member record, as dot paths. Blank paths are not read. */
export interface TierFieldPaths {
	memberId: string;
	qualifyingValue: string;
	currentTier?: string;
	tierAchievedDate?: string;
	enrollmentDate?: string;
	timeZone?: string;
}

export interface TierConfig {
	tiers: TierDefinition[];
	fields: TierFieldPaths;
	qualifyingBasis?: QualifyingBasis;
	/** For 'rollingSpend' when the qualifying field holds a list of orders. */
	rollingWindow?: { days: number; dateField?: string; amountField?: string };
	/** "Close to upgrade" when the gap to the next tier is at most this many points, or percent of the next threshold. */
	closeToUpgrade?: { unit: 'points' | 'percent'; margin: number };
	/**
	 * minimumTimeInTier: no downgrade until `days` after the tier was achieved.
	 * gracePeriod: the tier is held for its tier year (until the first anniversary of the date it
	 * was achieved) plus `days` of grace.
	 */
	downgradeProtection?: { kind: 'none' | 'gracePeriod' | 'minimumTimeInTier'; days: number };
	entitlements?: EntitlementDefinition[];
	/** Higher tiers also hold the benefits of the tiers below them. */
	cumulativeEntitlements?: boolean;
	asOf?: AsOfInput;
	timeZone?: string;
	feb29?: Feb29Rule;
}

export interface GrantedEntitlement extends Entitlement {
	/** 'YYYY-MM-DD', the last day the benefit can be used; null when it does not expire. */
	expiresOn: string | null;
}

export interface TierEvaluation {
	ok: true;
	memberId: string;
	qualifyingBasis: QualifyingBasis;
	qualifyingValue: number;
	previousTier: string | null;
	/** The tier the value earns, before downgrade protection. */
	earnedTier: string | null;
	currentTier: string | null;
	nextTier: string | null;
	/** In qualifying units (points or spend); null at the top tier. */
	pointsToNextTier: number | null;
	/** Percent of the way from the current tier's threshold to the next one, 0 to 100. */
	progress: number;
	change: TierChange;
	events: TierEvent[];
	/** Set when a downgrade is held back by protection: the first day it can apply. */
	downgradeProtectedUntil: string | null;
	entitlements: { grant: GrantedEntitlement[]; revoke: Entitlement[]; unchanged: Entitlement[] };
}

export type TierEvaluator = (member: unknown) => TierEvaluation | RuleFailure;

const NO_GRANTS: GrantedEntitlement[] = [];
const roundToCents = (value: number): number => Math.round(value * 100) / 100;
const roundToTenths = (value: number): number => Math.round(value * 10) / 10;

const memberFailure = (field: string, message: string): RuleFailure => ({
	ok: false,
	field,
	message,
});

/**
 * Compiles a tier configuration into a per-member function. Configuration errors (a ladder that
 * is not ordered, an unknown zone) come back as a RuleFailure naming the parameter; member
 * errors (a missing or non-numeric qualifying value, an unknown tier) come back from the
 * evaluator naming the member field. Nothing is thrown.
 */
export function compileTierEvaluator(config: TierConfig): TierEvaluator | RuleFailure {
	const ladder = compileLadder(
		config.tiers,
		config.entitlements ?? [],
		config.cumulativeEntitlements === true,
	);
	if (isRuleFailure(ladder)) return ladder;
	const clock = createClock(config.asOf, config.timeZone ?? 'UTC');
	if (isClockFailure(clock)) return clock;
	const feb29 = config.feb29 ?? 'feb28';
	const basis = config.qualifyingBasis ?? 'pointsBalance';
	const fields = config.fields;
	if (!fields.memberId?.trim()) return memberFailure('memberIdField', 'Member ID field is empty');
	if (!fields.qualifyingValue?.trim()) {
		return memberFailure('qualifyingValueField', 'Qualifying value field is empty');
	}
	const readId = compileFieldPath(fields.memberId);
	const readValue = compileFieldPath(fields.qualifyingValue);
	const readTier = compileFieldPath(fields.currentTier ?? '');
	const readAchieved = compileFieldPath(fields.tierAchievedDate ?? '');
	const readEnrolled = compileFieldPath(fields.enrollmentDate ?? '');
	const readZone = compileFieldPath(fields.timeZone ?? '');

	const windowDays = Math.floor(config.rollingWindow?.days ?? 365);
	const orderDateField = config.rollingWindow?.dateField || 'date';
	const orderAmountField = config.rollingWindow?.amountField || 'amount';
	const readOrderDate = compileFieldPath(orderDateField);
	const readOrderAmount = compileFieldPath(orderAmountField);
	if (basis === 'rollingSpend' && !(windowDays > 0)) {
		return memberFailure('rollingWindowDays', 'The rolling window must be at least 1 day');
	}

	const size = ladder.names.length;
	const margin = config.closeToUpgrade?.margin ?? 0;
	if (!(margin >= 0))
		return memberFailure('closeMargin', 'The close-to-upgrade margin must be 0 or more');
	// Close-to-upgrade margin in qualifying units for the tier above each index (-1 .. size-2).
	const marginBelow = new Float64Array(size);
	for (let index = 0; index < size; index++) {
		marginBelow[index] =
			config.closeToUpgrade?.unit === 'percent'
				? (ladder.thresholds[index] * margin) / 100
				: margin;
	}
	const protection = config.downgradeProtection?.kind ?? 'none';
	const protectionDays = Math.floor(config.downgradeProtection?.days ?? 0);
	if (protection !== 'none' && !(protectionDays >= 0)) {
		return memberFailure('protectionDays', 'Protection days must be 0 or more');
	}

	const dayLabels = new Map<number, string>();
	const dayLabel = (epochDay: number): string => {
		let label = dayLabels.get(epochDay);
		if (label === undefined) {
			label = formatDay(epochDay);
			dayLabels.set(epochDay, label);
		}
		return label;
	};
	const withExpiry = (granted: Entitlement[], today: number): GrantedEntitlement[] =>
		granted.length === 0
			? NO_GRANTS
			: granted.map((entitlement) => ({
					...entitlement,
					expiresOn:
						entitlement.validityDays > 0 ? dayLabel(today + entitlement.validityDays - 1) : null,
				}));

	const rollingSpend = (orders: unknown[], zoneDay: ZoneDay): number | RuleFailure => {
		let total = 0;
		const firstDay = zoneDay.today - windowDays + 1;
		for (let index = 0; index < orders.length; index++) {
			const order = orders[index];
			const orderDay = parseDay(readOrderDate(order), zoneDay.offsetMinutes);
			if (orderDay !== orderDay) {
				return memberFailure(
					`${fields.qualifyingValue}[${index}].${orderDateField}`,
					'Order date is missing or not a date',
				);
			}
			if (orderDay < firstDay || orderDay > zoneDay.today) continue;
			const amount = toFiniteNumber(readOrderAmount(order));
			if (amount !== amount) {
				return memberFailure(
					`${fields.qualifyingValue}[${index}].${orderAmountField}`,
					'Order amount is missing or not a number',
				);
			}
			total += amount;
		}
		return total;
	};

	const readDay = (
		read: (record: unknown) => unknown,
		member: unknown,
		field: string | undefined,
		zoneDay: ZoneDay,
	): number | RuleFailure => {
		const raw = read(member);
		if (isBlank(raw)) return NaN;
		const epochDay = parseDay(raw, zoneDay.offsetMinutes);
		return epochDay === epochDay
			? epochDay
			: memberFailure(field ?? '', `"${String(raw)}" is not a date (use YYYY-MM-DD or ISO 8601)`);
	};

	return (member) => {
		const rawId = readId(member);
		if (isBlank(rawId) || typeof rawId === 'object') {
			return memberFailure(fields.memberId, 'Member ID is missing');
		}
		const rawZone = readZone(member);
		const zoneDay = clock.zone(rawZone);
		if (zoneDay === undefined) {
			return memberFailure(fields.timeZone ?? '', `Unknown time zone "${String(rawZone)}"`);
		}
		const rawValue = readValue(member);
		let value: number;
		if (basis === 'rollingSpend' && Array.isArray(rawValue)) {
			const spend = rollingSpend(rawValue, zoneDay);
			if (typeof spend !== 'number') return spend;
			value = spend;
		} else {
			value = toFiniteNumber(rawValue);
			if (value !== value) {
				return memberFailure(
					fields.qualifyingValue,
					isBlank(rawValue)
						? 'Qualifying value is missing'
						: `Qualifying value "${String(rawValue)}" is not a number`,
				);
			}
		}
		const rawTier = readTier(member);
		const previous = tierIndexOf(ladder, rawTier);
		if (previous === undefined) {
			return memberFailure(
				fields.currentTier ?? '',
				`Current tier "${String(rawTier)}" is not in the tier ladder (${ladder.names.join(', ')})`,
			);
		}
		const achievedDay = readDay(readAchieved, member, fields.tierAchievedDate, zoneDay);
		if (typeof achievedDay !== 'number') return achievedDay;
		const enrolledDay = readDay(readEnrolled, member, fields.enrollmentDate, zoneDay);
		if (typeof enrolledDay !== 'number') return enrolledDay;
		const anchorDay = achievedDay === achievedDay ? achievedDay : enrolledDay;
		const today = zoneDay.today;

		const earned = earnedTierIndex(ladder, value);
		let current = earned;
		let change: TierChange = 'none';
		let protectedUntil = NaN;
		if (previous === -1) {
			change = earned === -1 ? 'none' : 'initial';
		} else if (earned > previous) {
			change = 'upgrade';
		} else if (earned < previous) {
			change = 'downgrade';
			if (protection !== 'none' && anchorDay === anchorDay) {
				protectedUntil =
					protection === 'minimumTimeInTier'
						? anchorDay + protectionDays
						: firstAnniversary(anchorDay, feb29) + protectionDays;
				if (today < protectedUntil) {
					current = previous;
					change = 'none';
				} else {
					protectedUntil = NaN;
				}
			}
		}

		const events: TierEvent[] = [];
		if (change === 'upgrade') events.push('tier_upgrade');
		else if (change === 'downgrade') events.push('tier_downgrade');
		const next = current + 1;
		let pointsToNextTier: number | null = null;
		let progress = 100;
		if (next < size) {
			const nextThreshold = ladder.thresholds[next];
			const floor = current >= 0 ? ladder.thresholds[current] : 0;
			pointsToNextTier = roundToCents(Math.max(nextThreshold - value, 0));
			const span = nextThreshold - floor;
			progress =
				span > 0 ? roundToTenths(Math.min(Math.max((value - floor) / span, 0), 1) * 100) : 0;
			if (margin > 0 && pointsToNextTier > 0 && pointsToNextTier <= marginBelow[next]) {
				events.push('close_to_tier_upgrade');
			}
		}
		if (change === 'none' && current >= 0 && isAnniversaryToday(anchorDay, zoneDay, feb29)) {
			events.push('tier_anniversary');
		}

		const diff = entitlementDiff(ladder, previous, current);
		return {
			ok: true,
			memberId: typeof rawId === 'string' ? rawId : String(rawId),
			qualifyingBasis: basis,
			qualifyingValue: value,
			previousTier: previous >= 0 ? ladder.names[previous] : null,
			earnedTier: earned >= 0 ? ladder.names[earned] : null,
			currentTier: current >= 0 ? ladder.names[current] : null,
			nextTier: next < size ? ladder.names[next] : null,
			pointsToNextTier,
			progress,
			change,
			events,
			downgradeProtectedUntil: protectedUntil === protectedUntil ? dayLabel(protectedUntil) : null,
			entitlements: {
				grant: withExpiry(diff.grant, today),
				revoke: diff.revoke,
				unchanged: diff.unchanged,
			},
		};
	};
}
