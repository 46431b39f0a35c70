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
 */
import type { RuleFailure } from '../../shared/memberValues';
import { isBlank, isPlainObject } from '../../shared/memberValues';

/** How many sends the target conversion is worth. */
export const PRIOR_WEIGHT = 20;
/** Standard deviations of optimism added to the rate when ranking. */
export const EXPLORATION = 1;
/** Outcomes that count as a conversion of a send. */
export const CONVERSION_OUTCOMES = ['purchased'];

export interface OfferRecord {
	sends: number;
	conversions: number;
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
	const sent = new Map<string, string>();
	const converted = new Set<string>();
	for (const [position, row] of rows.entries()) {
		if (!isPlainObject(row)) return failure(`row ${position + 1} is not an object`);
		if (text(row.segment).toLowerCase() !== wanted) continue;
		const offerId = text(row.offerId);
		if (offerId === '') continue;
		const key = JSON.stringify([text(row.campaignId), text(row.memberId), offerId]);
		const outcome = text(row.outcome).toLowerCase();
		if (outcome === 'sent') sent.set(key, offerId);
		else if (conversionOutcomes.has(outcome)) converted.add(key);
	}
	const records: OfferRecords = new Map();
	for (const [key, offerId] of sent) {
		const record = records.get(offerId) ?? { sends: 0, conversions: 0 };
		record.sends++;
		if (converted.has(key)) record.conversions++;
		records.set(offerId, record);
	}
	return records;
}

const failure = (message: string): RuleFailure => ({
	ok: false,
	field: 'offerOutcomes',
	message: `Recorded offer outcomes ${message}`,
});

const percent = (rate: number): number => Math.round(rate * 1000) / 10;

/** The learned conversion of one offer, from its record and its target conversion (percent). */
export function learnConversion(
	record: OfferRecord | undefined,
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
