/**
 * Offer learning: the conversion rate of each offer in a segment, learned from recorded outcomes
 * (the rows of the `loyalty_campaign_outcomes` Data Table) with the offer's target conversion as
 * a Beta prior, so that an offer with no history starts at its target and every send moves it
 * towards what was observed (README, "Segment Build: offer learning").
 *
 * With `n` sends and `c` conversions of an offer in the segment, target conversion `p0` and prior
 * weight `w` (the target counts as `w` sends):
 *
 *   rate     = (c + w·p0) / (n + w)                   posterior mean of Beta(c + w·p0, n − c + w·(1 − p0))
 *   sd       = √(rate·(1 − rate) / (n + w + 1))       its standard deviation
 *   ranking  = min(1, rate + EXPLORATION·sd)          optimism for the uncertain, so new offers get tried
 *
 * Offers are then ranked by `ranking × expected value − cost`. An offer sent often converges on
 * its observed rate and loses its bonus; a new one keeps the bonus until it has been tried.
 *
 * Earlier campaigns of the segment in the knowledge base (`loyalty_campaign_insights`, the
 * reviews of template 08) add their sends and conversions: a review with `reached` members
 * messaged and target-group conversion `treatedRate` counts as
 *
 *   n += reached,   c += round(treatedRate · reached)
 *
 * unless the recorded outcomes already count that campaign for the offer. Only a campaign's latest
 * review version counts. Each offer cites the campaigns it learned from (`offerEvidence`).
 */
import type { RuleFailure } from '../../shared/memberValues';
import { isBlank, isPlainObject, isRuleFailure, toPlainObject } from '../../shared/memberValues';

/** How many sends the target conversion is worth. */
export const PRIOR_WEIGHT = 20;
/** Standard deviations of optimism added to the rate when ranking. */
export const EXPLORATION = 1;
/** Outcomes that count as a conversion of a send. */
export const CONVERSION_OUTCOMES = ['purchased'];

export interface OfferRecord {
	sends: number;
	conversions: number;
	/** Campaigns whose sends are counted, sorted. */
	campaigns: string[];
	/** Earlier reviewed campaigns of the segment with this offer, newest first. */
	evidence?: OfferEvidence[];
}

/** One earlier campaign of the segment with the offer, as its review in the knowledge base says. */
export interface OfferEvidence {
	campaignId: string;
	campaign: string;
	/** Day of the review (YYYY-MM-DD). */
	date: string;
	sends: number;
	/** Conversion of the campaign's target group, percent, one decimal. */
	conversion: number;
}

/** Recorded sends and conversions per offer id, for one segment. */
export type OfferRecords = Map<string, OfferRecord>;

export interface LearnedConversion {
	sends: number;
	conversions: number;
	/** The offer's target conversion, percent. */
	priorPercent: number;
	/** Posterior mean, percent, one decimal. */
	ratePercent: number;
	/** What the ranking used (rate plus the exploration bonus), percent, one decimal. */
	rankingPercent: number;
}

const text = (value: unknown): string => (isBlank(value) ? '' : String(value).trim());

/**
 * Counts sends and conversions per offer among outcome rows of `segment` (compared without case).
 * A send is a distinct campaign and member with outcome `sent`; a conversion is such a send that
 * also has a conversion outcome, so the rate never exceeds 100%. Rows of other segments, and rows
 * without an offer id, are ignored. `undefined` when `outcomes` is blank (learning off).
 */
export function countOfferOutcomes(
	outcomes: unknown,
	segment: string,
): OfferRecords | RuleFailure | undefined {
	if (isBlank(outcomes)) return undefined;
	let rows = outcomes;
	if (typeof rows === 'string') {
		try {
			rows = JSON.parse(rows) as unknown;
		} catch {
			return failure('is not valid JSON');
		}
	}
	if (!Array.isArray(rows)) return failure('must be a list of outcome rows');
	const wanted = segment.trim().toLowerCase();
	const conversionOutcomes = new Set(CONVERSION_OUTCOMES);
	const sent = new Map<string, { offerId: string; campaignId: string }>();
	const converted = new Set<string>();
	for (const [position, row] of rows.entries()) {
		if (!isPlainObject(row)) return failure(`row ${position + 1} is not an object`);
		if (text(row.segment).toLowerCase() !== wanted) continue;
		const offerId = text(row.offerId);
		if (offerId === '') continue;
		const key = JSON.stringify([text(row.campaignId), text(row.memberId), offerId]);
		const outcome = text(row.outcome).toLowerCase();
		if (outcome === 'sent') sent.set(key, { offerId, campaignId: text(row.campaignId) });
		else if (conversionOutcomes.has(outcome)) converted.add(key);
	}
	const records: OfferRecords = new Map();
	for (const [key, { offerId, campaignId }] of sent) {
		const record = records.get(offerId) ?? { sends: 0, conversions: 0, campaigns: [] };
		record.sends++;
		if (converted.has(key)) record.conversions++;
		if (!record.campaigns.includes(campaignId)) record.campaigns.push(campaignId);
		records.set(offerId, record);
	}
	for (const record of records.values()) record.campaigns.sort();
	return records;
}

/**
 * Adds the earlier campaigns of `segment` in the knowledge base to the records (see the formula
 * above). Reviews of other segments, without an offer, or whose metrics lack `reached` or
 * `treatedRate` (an incomplete review) are left out. `records` is not changed.
 */
export function addKnowledgeBase(
	records: OfferRecords,
	reviews: unknown,
	segment: string,
): OfferRecords | RuleFailure {
	let rows = reviews;
	if (typeof rows === 'string') {
		try {
			rows = JSON.parse(rows) as unknown;
		} catch {
			return failure('is not valid JSON', 'offerKnowledgeBase', 'Earlier campaign reviews');
		}
	}
	if (!Array.isArray(rows)) {
		return failure(
			'must be a list of review rows',
			'offerKnowledgeBase',
			'Earlier campaign reviews',
		);
	}
	const wanted = segment.trim().toLowerCase();
	const latest = new Map<string, { version: number; row: Record<string, unknown> }>();
	for (const [position, row] of rows.entries()) {
		if (!isPlainObject(row)) {
			return failure(
				`row ${position + 1} is not an object`,
				'offerKnowledgeBase',
				'Earlier campaign reviews',
			);
		}
		if (text(row.segment).toLowerCase() !== wanted || text(row.offerId) === '') continue;
		const campaignId = text(row.campaignId);
		const version = Number(row.version) || 0;
		const current = latest.get(campaignId);
		if (campaignId !== '' && (!current || version > current.version)) {
			latest.set(campaignId, { version, row });
		}
	}
	const combined: OfferRecords = new Map(
		[...records].map(([offerId, record]) => [
			offerId,
			{ ...record, campaigns: [...record.campaigns] },
		]),
	);
	for (const [campaignId, { row }] of latest) {
		const metrics = toPlainObject(row.metrics);
		const reached = Number(metrics.reached);
		const rate = Number(metrics.treatedRate);
		if (isBlank(metrics.reached) || isBlank(metrics.treatedRate)) continue;
		if (!Number.isFinite(reached) || reached <= 0 || !Number.isFinite(rate)) continue;
		const offerId = text(row.offerId);
		const sends = Math.round(reached);
		const conversions = Math.round(Math.min(1, Math.max(0, rate)) * sends);
		const record = combined.get(offerId) ?? { sends: 0, conversions: 0, campaigns: [] };
		if (!record.campaigns.includes(campaignId)) {
			record.sends += sends;
			record.conversions += conversions;
			record.campaigns = [...record.campaigns, campaignId].sort();
		}
		record.evidence = [
			...(record.evidence ?? []),
			{
				campaignId,
				campaign: text(row.campaignName) || campaignId,
				date: text(row.reviewedAt).slice(0, 10),
				sends,
				conversion: percent(conversions / sends),
			},
		].sort((a, b) => b.date.localeCompare(a.date) || a.campaignId.localeCompare(b.campaignId));
		combined.set(offerId, record);
	}
	return combined;
}

/**
 * What the offers are ranked on: the recorded outcomes plus the knowledge base's earlier
 * campaigns of the segment; `undefined` (learning off) when neither is given.
 */
export function learnOffers(learning: {
	outcomes: unknown;
	knowledgeBase?: unknown;
	segment: string;
}): OfferRecords | RuleFailure | undefined {
	const counted = countOfferOutcomes(learning.outcomes, learning.segment);
	if (isBlank(learning.knowledgeBase) || isRuleFailure(counted)) return counted;
	return addKnowledgeBase(counted ?? new Map(), learning.knowledgeBase, learning.segment);
}

const failure = (
	message: string,
	field = 'offerOutcomes',
	what = 'Recorded offer outcomes',
): RuleFailure => ({ ok: false, field, message: `${what} ${message}` });

const percent = (rate: number): number => Math.round(rate * 1000) / 10;

/** The learned conversion of one offer, from its record and its target conversion (percent). */
export function learnConversion(
	record: Pick<OfferRecord, 'sends' | 'conversions'> | undefined,
	targetConversionPercent: number,
): LearnedConversion {
	const sends = record?.sends ?? 0;
	const conversions = Math.min(record?.conversions ?? 0, sends);
	const prior = Math.min(1, Math.max(0, targetConversionPercent / 100));
	const rate = (conversions + PRIOR_WEIGHT * prior) / (sends + PRIOR_WEIGHT);
	const spread = Math.sqrt((rate * (1 - rate)) / (sends + PRIOR_WEIGHT + 1));
	return {
		sends,
		conversions,
		priorPercent: percent(prior),
		ratePercent: percent(rate),
		rankingPercent: percent(Math.min(1, rate + EXPLORATION * spread)),
	};
}

/** Expected net of recommending the offer: ranking rate × expected value − cost. */
export function learnedScore(
	learned: LearnedConversion,
	expectedValue: number,
	cost: number,
): number {
	return (learned.rankingPercent / 100) * expectedValue - cost;
}
