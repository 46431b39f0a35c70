import type { AsOfInput, Clock, Feb29Rule } from '../../shared/dates';
import { createClock, isClockFailure } from '../../shared/dates';
import type { RuleFailure } from '../../shared/memberValues';
import {
	compileFieldPath,
	consentState,
	isBlank,
	isRuleFailure,
	normaliseEmail,
	toStringList,
} from '../../shared/memberValues';
import type { MemberPredicate, SegmentRules } from './conditions';
import { compileRules, keyDateFields } from './conditions';
import type { ExclusionReason } from './guardrails';
import { countTouches, EXCLUSION_REASONS, isInHoldout } from './guardrails';
import type { Cadence, CadenceStep, KeyDateStep } from './keyDates';
import { compileCadence, compileKeyDateCheck, keyDateStepToday } from './keyDates';
import type {
	Channel,
	OfferDefinition,
	OutreachConfig,
	PlannedChannel,
	RecommendedOffer,
} from './outreach';
import { CHANNELS, compileChannelPlanner, compileOfferPicker } from './outreach';
import { learnOffers } from './offerLearning';

export interface SegmentClockOptions {
	asOf?: AsOfInput;
	timeZone?: string;
	/** Member field holding an IANA zone; blank values use `timeZone`. */
	timeZoneField?: string;
	feb29?: Feb29Rule;
	keyDateSteps?: CadenceStep[];
}

/** Per member: true when the rules match, or a RuleFailure for an unknown member time zone. */
export type SegmentMatcher = (member: unknown) => boolean | RuleFailure;

interface CompiledMatching {
	clock: Clock;
	cadence: Cadence;
	feb29: Feb29Rule;
	predicate: MemberPredicate;
	/** A failure for a key-date field that holds no valid date. */
	checkKeyDates: (member: unknown) => RuleFailure | undefined;
	readZone: (record: unknown) => unknown;
	timeZoneField: string;
}

function compileMatching(
	rules: SegmentRules,
	options: SegmentClockOptions,
): CompiledMatching | RuleFailure {
	const clock = createClock(options.asOf, options.timeZone ?? 'UTC');
	if (isClockFailure(clock)) return clock;
	const cadence = compileCadence(options.keyDateSteps);
	if (isRuleFailure(cadence)) return cadence;
	const feb29 = options.feb29 ?? 'feb28';
	const predicate = compileRules(rules, { feb29, cadence });
	if (isRuleFailure(predicate)) return predicate;
	const timeZoneField = options.timeZoneField ?? '';
	return {
		clock,
		cadence,
		feb29,
		predicate,
		checkKeyDates: compileKeyDateCheck(keyDateFields(rules)),
		readZone: compileFieldPath(timeZoneField),
		timeZoneField,
	};
}

const unknownZone = (field: string, value: unknown): RuleFailure => ({
	ok: false,
	field,
	message: `Unknown time zone "${String(value)}"`,
});

/** The rules alone, compiled once: "today" per zone is fixed at compile time. */
export function compileSegment(
	rules: SegmentRules,
	options: SegmentClockOptions = {},
): SegmentMatcher | RuleFailure {
	const matching = compileMatching(rules, options);
	if (isRuleFailure(matching)) return matching;
	const { clock, predicate, checkKeyDates, readZone, timeZoneField } = matching;
	return (member) => {
		const zoneValue = readZone(member);
		const zoneDay = clock.zone(zoneValue);
		if (zoneDay === undefined) return unknownZone(timeZoneField, zoneValue);
		return checkKeyDates(member) ?? predicate(member, zoneDay);
	};
}

export interface SegmentFieldPaths {
	memberId: string;
	email?: string;
	/** Tier, for offer eligibility. */
	tier?: string;
	/** Interest tags (array or comma text), for offer ranking. */
	interests?: string;
	/** Segments the member is in (array or comma text), checked against sensitive segments. */
	segments?: string;
	/** Past touches (local dates or instants), for the frequency cap. */
	touchHistory?: string;
	/** A flag that puts the member on the blocklist. */
	blocklisted?: string;
	/** A flag saying the member was in this segment last time (for entered/exited). */
	previousMembership?: string;
}

export interface SegmentGuardrails {
	/** Default true: a later member with the same normalised email is a duplicate. */
	dedupeByEmail?: boolean;
	/** Fields of the blocklist items (second input). */
	blocklistIdField?: string;
	blocklistEmailField?: string;
	/** At most `maxTouches` touches per member in `windowDays` days; 0 touches turns it off. */
	frequencyCap?: { maxTouches: number; windowDays: number };
	/** Percent (0 to 100, two decimals) of eligible members held out to measure lift. */
	holdoutPercent?: number;
	holdoutSalt?: string;
	/** Members in any of these segments go to approval instead of being sent. */
	sensitiveSegments?: string[] | string;
}

export interface SegmentConfig extends SegmentClockOptions {
	fields: SegmentFieldPaths;
	rules: SegmentRules;
	/** Key dates whose cadence step due today goes into the plan, e.g. birthday. */
	keyDates?: Array<{ kind: string; field: string }>;
	outreach?: OutreachConfig;
	offers?: OfferDefinition[];
	/** Target conversion (percent) for offers that do not set their own. */
	targetConversion?: number;
	/**
	 * Recorded outcome rows and earlier campaign reviews (knowledge-base rows), each blank when not
	 * given (both blank: learning off), and the segment they are counted for: offers are ranked on them.
	 */
	offerLearning?: { outcomes: unknown; knowledgeBase?: unknown; segment: string };
	guardrails?: SegmentGuardrails;
	/** Also list members the rules did not match, as excluded with 'rule_not_matched'. */
	includeNonMatching?: boolean;
}

export interface SegmentInputs {
	/** Blocklist records, e.g. the node's second input. */
	blocklist?: unknown[];
}

export interface OutreachPlan {
	channels: PlannedChannel[];
	suppressedChannels: Channel[];
	keyDates: KeyDateStep[];
	offer: RecommendedOffer | null;
	/** Against the previous membership, when one is known. */
	membership?: 'entered' | 'stayed';
}

export interface AudienceEntry {
	index: number;
	memberId: string;
	outreach: OutreachPlan;
}

export interface ExcludedEntry {
	index: number;
	memberId: string;
	reason: ExclusionReason;
	detail: string;
	/** The plan that would have been sent, for members waiting for approval. */
	outreach?: OutreachPlan;
}

export interface FailedEntry {
	index: number;
	field: string;
	message: string;
}

export interface SegmentSummary {
	asOf: string;
	timeZone: string;
	input: number;
	invalid: number;
	matched: number;
	audience: number;
	excluded: number;
	excludedByReason: Record<ExclusionReason, number>;
	/** Members who kept at least one channel but lost this one to an unsubscribe or opt-out. */
	suppressedByChannel: Record<Channel, number>;
	plannedByChannel: Record<Channel, number>;
	keyDateSteps: Record<string, number>;
	offers: { assigned: Record<string, number>; skippedOutOfStock: Record<string, number> };
	holdoutPercent: number;
	membership?: { entered: string[]; exited: string[] };
}

export interface SegmentRun {
	audience: AudienceEntry[];
	excluded: ExcludedEntry[];
	failures: FailedEntry[];
	summary: SegmentSummary;
}

const zeroCounts = <K extends string>(keys: K[]): Record<K, number> => {
	const counts = {} as Record<K, number>;
	for (const key of keys) counts[key] = 0;
	return counts;
};

const describeExclusion: Record<ExclusionReason, string> = {
	duplicate: 'Same member ID or email as an earlier member',
	blocklisted: 'On the blocklist',
	unsubscribed_all_channels: 'Unsubscribed from every planned channel',
	no_contact_channel: 'No usable address or consent on any planned channel',
	frequency_cap: 'Contacted too often recently',
	holdout: 'In the holdout group',
	needs_approval: 'In a sensitive segment: needs approval before sending',
	rule_not_matched: 'Does not match the segment rules',
};

/**
 * The whole segment run over a list of members, in order: rules, then de-duplication (member ID,
 * normalised email), blocklist, per-channel unsubscribes, frequency cap, holdout, sensitive
 * segments. Offers are reserved in member order for the audience and for members waiting for
 * approval. Segment membership (entered/exited) is about the rules, not the guardrails.
 */
export function buildSegment(
	members: unknown[],
	config: SegmentConfig,
	inputs: SegmentInputs = {},
): SegmentRun | RuleFailure {
	const matching = compileMatching(config.rules, config);
	if (isRuleFailure(matching)) return matching;
	const { clock, cadence, feb29, predicate, checkKeyDates, readZone, timeZoneField } = matching;
	const planChannels = compileChannelPlanner(config.outreach);
	if (isRuleFailure(planChannels)) return planChannels;
	const offerOutcomes = config.offerLearning ? learnOffers(config.offerLearning) : undefined;
	if (isRuleFailure(offerOutcomes)) return offerOutcomes;
	const offerPicker =
		config.offers && config.offers.length > 0
			? compileOfferPicker(config.offers, config.targetConversion ?? 0, offerOutcomes)
			: undefined;
	if (isRuleFailure(offerPicker)) return offerPicker;
	const fields = config.fields;
	if (!fields.memberId?.trim()) {
		return { ok: false, field: 'memberIdField', message: 'Member ID field is empty' };
	}
	const guardrails = config.guardrails ?? {};
	const holdoutPercent = guardrails.holdoutPercent ?? 0;
	if (!(holdoutPercent >= 0 && holdoutPercent <= 100)) {
		return { ok: false, field: 'holdoutPercent', message: 'Holdout must be from 0 to 100 percent' };
	}
	const maxTouches = guardrails.frequencyCap?.maxTouches ?? 0;
	const capWindowDays = guardrails.frequencyCap?.windowDays ?? 0;
	if (maxTouches > 0 && !(capWindowDays > 0)) {
		return {
			ok: false,
			field: 'frequencyCapDays',
			message: 'The frequency cap window must be at least 1 day',
		};
	}

	const readId = compileFieldPath(fields.memberId);
	const readEmail = compileFieldPath(fields.email ?? '');
	const readTier = compileFieldPath(fields.tier ?? '');
	const readInterests = compileFieldPath(fields.interests ?? '');
	const readSegments = compileFieldPath(fields.segments ?? '');
	const readTouches = compileFieldPath(fields.touchHistory ?? '');
	const readBlocklisted = compileFieldPath(fields.blocklisted ?? '');
	const readWasMember = compileFieldPath(fields.previousMembership ?? '');
	const keyDates = (config.keyDates ?? []).map((keyDate) => ({
		kind: keyDate.kind,
		read: compileFieldPath(keyDate.field),
	}));
	const sensitive = new Set(
		toStringList(guardrails.sensitiveSegments).map((segment) => segment.toLowerCase()),
	);
	const dedupeByEmail = guardrails.dedupeByEmail !== false;
	const holdoutSalt = guardrails.holdoutSalt ?? '';

	const blockedIds = new Set<string>();
	const blockedEmails = new Set<string>();
	const readBlockId = compileFieldPath(guardrails.blocklistIdField ?? 'id');
	const readBlockEmail = compileFieldPath(guardrails.blocklistEmailField ?? 'email');
	for (const entry of inputs.blocklist ?? []) {
		const id = readBlockId(entry);
		if (!isBlank(id) && typeof id !== 'object') blockedIds.add(String(id));
		const email = normaliseEmail(readBlockEmail(entry));
		if (email !== '') blockedEmails.add(email);
	}
	const trackMembership = !isBlank(fields.previousMembership);

	const audience: AudienceEntry[] = [];
	const excluded: ExcludedEntry[] = [];
	const failures: FailedEntry[] = [];
	const excludedByReason = zeroCounts(EXCLUSION_REASONS);
	const suppressedByChannel = zeroCounts(CHANNELS);
	const plannedByChannel = zeroCounts(CHANNELS);
	const keyDateSteps: Record<string, number> = {};
	const seenIds = new Set<string>();
	const seenEmails = new Set<string>();
	const currentMembers: string[] = [];
	const currentMemberSet = new Set<string>();
	const stayed = new Set<string>();
	const exitedByField: string[] = [];
	let matched = 0;

	const exclude = (
		index: number,
		memberId: string,
		reason: ExclusionReason,
		outreach?: OutreachPlan,
	): void => {
		excludedByReason[reason]++;
		const entry: ExcludedEntry = { index, memberId, reason, detail: describeExclusion[reason] };
		if (outreach !== undefined) entry.outreach = outreach;
		excluded.push(entry);
	};

	for (let index = 0; index < members.length; index++) {
		const member = members[index];
		const rawId = readId(member);
		if (isBlank(rawId) || typeof rawId === 'object') {
			failures.push({ index, field: fields.memberId, message: 'Member ID is missing' });
			continue;
		}
		const memberId = typeof rawId === 'string' ? rawId : String(rawId);
		const zoneValue = readZone(member);
		const zoneDay = clock.zone(zoneValue);
		if (zoneDay === undefined) {
			const failure = unknownZone(timeZoneField, zoneValue);
			failures.push({ index, field: failure.field, message: failure.message });
			continue;
		}
		const badKeyDate = checkKeyDates(member);
		if (badKeyDate) {
			failures.push({ index, field: badKeyDate.field, message: badKeyDate.message });
			continue;
		}
		if (!predicate(member, zoneDay)) {
			if (trackMembership && consentState(readWasMember(member)) === 1)
				exitedByField.push(memberId);
			if (config.includeNonMatching === true) exclude(index, memberId, 'rule_not_matched');
			continue;
		}
		matched++;
		if (trackMembership && !currentMemberSet.has(memberId)) {
			currentMemberSet.add(memberId);
			currentMembers.push(memberId);
			if (consentState(readWasMember(member)) === 1) {
				stayed.add(memberId);
			}
		}

		const email = normaliseEmail(readEmail(member));
		if (seenIds.has(memberId) || (dedupeByEmail && email !== '' && seenEmails.has(email))) {
			exclude(index, memberId, 'duplicate');
			continue;
		}
		seenIds.add(memberId);
		if (email !== '') seenEmails.add(email);

		if (
			blockedIds.has(memberId) ||
			(email !== '' && blockedEmails.has(email)) ||
			consentState(readBlocklisted(member)) === 1
		) {
			exclude(index, memberId, 'blocklisted');
			continue;
		}

		const channelPlan = planChannels(member, zoneDay);
		if (channelPlan.channels.length === 0) {
			exclude(
				index,
				memberId,
				channelPlan.suppressed.length > 0 ? 'unsubscribed_all_channels' : 'no_contact_channel',
			);
			continue;
		}
		if (maxTouches > 0 && countTouches(readTouches(member), zoneDay, capWindowDays) >= maxTouches) {
			exclude(index, memberId, 'frequency_cap');
			continue;
		}
		if (isInHoldout(memberId, holdoutSalt, holdoutPercent)) {
			exclude(index, memberId, 'holdout');
			continue;
		}

		const steps: KeyDateStep[] = [];
		for (const keyDate of keyDates) {
			const step = keyDateStepToday(keyDate.kind, keyDate.read(member), zoneDay, cadence, feb29);
			if (step !== undefined) steps.push(step);
		}
		const outreach: OutreachPlan = {
			channels: channelPlan.channels,
			suppressedChannels: channelPlan.suppressed,
			keyDates: steps,
			offer: offerPicker ? offerPicker.pick(readTier(member), readInterests(member)) : null,
		};
		if (trackMembership) {
			outreach.membership = stayed.has(memberId) ? 'stayed' : 'entered';
		}
		if (
			sensitive.size > 0 &&
			toStringList(readSegments(member)).some((segment) => sensitive.has(segment.toLowerCase()))
		) {
			exclude(index, memberId, 'needs_approval', outreach);
			continue;
		}
		for (const channel of channelPlan.suppressed) suppressedByChannel[channel]++;
		for (const planned of channelPlan.channels) plannedByChannel[planned.channel]++;
		for (const step of steps) keyDateSteps[step.step] = (keyDateSteps[step.step] ?? 0) + 1;
		audience.push({ index, memberId, outreach });
	}

	const summary: SegmentSummary = {
		asOf: new Date(clock.asOfMs).toISOString(),
		timeZone: clock.defaultZone.zone,
		input: members.length,
		invalid: failures.length,
		matched,
		audience: audience.length,
		excluded: excluded.length,
		excludedByReason,
		suppressedByChannel,
		plannedByChannel,
		keyDateSteps,
		offers: offerPicker ? offerPicker.stats() : { assigned: {}, skippedOutOfStock: {} },
		holdoutPercent,
	};
	if (trackMembership) {
		const exited = new Set<string>();
		for (const memberId of exitedByField) if (!currentMemberSet.has(memberId)) exited.add(memberId);
		summary.membership = {
			entered: currentMembers.filter((memberId) => !stayed.has(memberId)),
			exited: [...exited],
		};
	}
	return { audience, excluded, failures, summary };
}
