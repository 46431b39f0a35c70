import {
	isAbsent,
	isPlainObject,
	percentText,
	ratio,
	readList,
	readNumber,
	readObject,
	readText,
	ReportInputError,
	sumKnown,
	tidy,
	type PlainObject,
} from './inputValues';

/**
 * Campaign review and retention report: funnel rates, new GMV,
 * upsell, ROI, retention lift against a holdout, per-channel performance and rule-based next
 * steps. Absent inputs are listed in `missing` and every figure that depends on them is null;
 * nothing is estimated. Implausible inputs are reported in `warnings`.
 */

export const CHANNEL_COUNT_FIELDS = [
	'sent',
	'delivered',
	'opened',
	'clicked',
	'converted',
] as const;
export const CHANNEL_MONEY_FIELDS = ['revenue', 'upsellRevenue', 'cost'] as const;
type ChannelCountField = (typeof CHANNEL_COUNT_FIELDS)[number];
type ChannelMoneyField = (typeof CHANNEL_MONEY_FIELDS)[number];
type ChannelInputField = ChannelCountField | ChannelMoneyField;

/** Rule thresholds for the suggestions; named so the report text and tests agree. */
export const SUGGESTION_RULES = {
	/** A channel converting under this share of the campaign's conversion rate is reviewed. */
	lowConversionShareOfAverage: 0.5,
	/** A channel delivering under this share of its sends has a contact-data problem. */
	minDeliveryRate: 0.9,
	/** Reaching under this share of the audience is flagged. */
	minCoverageRate: 0.8,
	/** A retention lift under one percentage point is treated as no effect. */
	negligibleLift: 0.01,
} as const;

export interface CampaignPeriod {
	start: string | null;
	end: string | null;
}

export interface ChannelFigures {
	channel: string;
	sent: number | null;
	delivered: number | null;
	opened: number | null;
	clicked: number | null;
	converted: number | null;
	revenue: number | null;
	upsellRevenue: number | null;
	cost: number | null;
	/** Members left out before sending, e.g. unsubscribed from the channel (optional input). */
	excluded: number | null;
	deliveryRate: number | null;
	openRate: number | null;
	clickRate: number | null;
	clickToOpenRate: number | null;
	conversionRate: number | null;
	costPerConversion: number | null;
	roi: number | null;
}

export interface CampaignFigures {
	reportType: 'campaignReview';
	campaign: { name: string | null; period: CampaignPeriod | null; currency: string | null };
	audience: { audienceSize: number | null; reached: number | null; coverageRate: number | null };
	totals: {
		sent: number | null;
		delivered: number | null;
		opened: number | null;
		clicked: number | null;
		converted: number | null;
		excluded: number | null;
	};
	rates: {
		deliveryRate: number | null;
		openRate: number | null;
		clickRate: number | null;
		clickToOpenRate: number | null;
		conversionRate: number | null;
	};
	revenue: {
		attributedRevenue: number | null;
		baselineRevenue: number | null;
		newGmv: number | null;
		upsellRevenue: number | null;
		cost: number | null;
		roi: number | null;
		costPerConversion: number | null;
	};
	retention: {
		treatedMembers: number | null;
		treatedRetained: number | null;
		treatedRetentionRate: number | null;
		holdoutMembers: number | null;
		holdoutRetained: number | null;
		holdoutRetentionRate: number | null;
		/** Treated minus holdout retention rate (0.05 = five percentage points). */
		lift: number | null;
		/** Lift relative to the holdout rate. */
		relativeLift: number | null;
	};
	channels: ChannelFigures[];
	/** The channel with the most conversions per unit of cost. */
	bestChannel: string | null;
	missing: string[];
	warnings: string[];
	suggestions: string[];
}

/** Collects findings while the figures are computed. */
class Findings {
	readonly missing: string[] = [];
	readonly warnings: string[] = [];

	/** A required number: null plus a `missing` entry when absent, a warning when negative. */
	required(value: unknown, field: string, label: string): number | null {
		const number = readNumber(value, field);
		if (number === null) this.missing.push(field);
		else if (number < 0) this.warnings.push(`${label} is negative (${number}).`);
		return number;
	}

	optional(value: unknown, field: string, label: string): number | null {
		const number = readNumber(value, field);
		if (number !== null && number < 0) this.warnings.push(`${label} is negative (${number}).`);
		return number;
	}

	/** part / whole, warned when over 100% because the part cannot exceed the whole. */
	share(
		scope: string,
		name: string,
		part: { label: string; value: number | null },
		whole: { label: string; value: number | null },
	): number | null {
		const rate = ratio(part.value, whole.value);
		if (rate !== null && rate > 1) {
			this.warnings.push(
				`${scope}: ${name} is ${percentText(rate)}, over 100% ` +
					`(${part.label} ${part.value} > ${whole.label} ${whole.value}).`,
			);
		}
		if (whole.value === 0 && part.value !== null) {
			const key = `${scope}: ${whole.label} is 0`;
			this.undefinedRates.set(key, [...(this.undefinedRates.get(key) ?? []), name]);
		}
		return rate;
	}

	/** Rates left undefined by a zero denominator, one warning per denominator. */
	private readonly undefinedRates = new Map<string, string[]>();

	finish(): void {
		for (const [zero, names] of this.undefinedRates) {
			const list =
				names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
			this.warnings.push(`${zero}, so the ${list} ${names.length === 1 ? 'is' : 'are'} undefined.`);
		}
		this.undefinedRates.clear();
	}
}

function readPeriod(value: unknown, findings: Findings): CampaignPeriod | null {
	if (isAbsent(value)) {
		findings.missing.push('period');
		return null;
	}
	if (typeof value === 'string') {
		const [start, end] = value.split(/\s*(?:\/|\.\.)\s*/);
		return { start: start || null, end: end || null };
	}
	const period = readObject(value, 'period') as PlainObject;
	const start = readText(period.start, 'period.start');
	const end = readText(period.end, 'period.end');
	if (start === null) findings.missing.push('period.start');
	if (end === null) findings.missing.push('period.end');
	return { start, end };
}

interface FunnelCounts {
	sent: number | null;
	delivered: number | null;
	opened: number | null;
	clicked: number | null;
	converted: number | null;
}

function funnelRates(scope: string, counts: FunnelCounts, findings: Findings) {
	const sent = { label: 'sent', value: counts.sent };
	const delivered = { label: 'delivered', value: counts.delivered };
	const opened = { label: 'opened', value: counts.opened };
	const clicked = { label: 'clicked', value: counts.clicked };
	const converted = { label: 'converted', value: counts.converted };
	return {
		deliveryRate: findings.share(scope, 'delivery rate', delivered, sent),
		openRate: findings.share(scope, 'open rate', opened, delivered),
		clickRate: findings.share(scope, 'click rate', clicked, delivered),
		// Clicks without a tracked open are normal (images blocked), so no warning here.
		clickToOpenRate: ratio(counts.clicked, counts.opened),
		conversionRate: findings.share(scope, 'conversion rate', converted, delivered),
	};
}

function readChannel(raw: unknown, index: number, findings: Findings): ChannelFigures {
	const base = `channels[${index}]`;
	const row = readObject(raw, base);
	if (row === null) throw new ReportInputError(base, `'${base}' is empty`);
	const name = readText(row.channel, `${base}.channel`);
	if (name === null) {
		throw new ReportInputError(
			`${base}.channel`,
			`'${base}.channel' (the channel name) is missing`,
		);
	}
	const values = {} as Record<ChannelInputField, number | null>;
	for (const field of [...CHANNEL_COUNT_FIELDS, ...CHANNEL_MONEY_FIELDS]) {
		values[field] = readNumber(row[field], `${base}.${field}`);
		if (values[field] === null) findings.missing.push(`channels[${name}].${field}`);
		else if ((values[field] as number) < 0) {
			findings.warnings.push(`${name}: ${field} is negative (${values[field]}).`);
		}
	}
	const excluded = findings.optional(row.excluded, `${base}.excluded`, `${name}: excluded`);
	const { revenue, cost, converted } = values;
	return {
		channel: name,
		...values,
		excluded,
		...funnelRates(name, values, findings),
		costPerConversion: ratio(cost, converted),
		roi: revenue === null ? null : ratio(revenue - (cost ?? 0), cost),
	};
}

/** Conversions per unit of cost; a free channel that converts ranks first. */
function conversionsPerCost(channel: ChannelFigures): number | null {
	if (channel.converted === null || channel.cost === null || channel.cost < 0) return null;
	if (channel.cost === 0) return channel.converted > 0 ? Number.POSITIVE_INFINITY : null;
	return channel.converted / channel.cost;
}

/** Channels whose efficiency is known, most conversions per cost first. */
function rankByEfficiency(channels: readonly ChannelFigures[]) {
	return channels
		.map((channel) => ({ channel, efficiency: conversionsPerCost(channel) }))
		.filter((c): c is { channel: ChannelFigures; efficiency: number } => c.efficiency !== null)
		.sort((a, b) => b.efficiency - a.efficiency);
}

function money(value: number, currency: string | null): string {
	return `${value.toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

function points(lift: number): string {
	return `${(Math.abs(lift) * 100).toFixed(1)} points`;
}

function suggest(figures: Omit<CampaignFigures, 'suggestions'>): string[] {
	const suggestions: string[] = [];
	const currency = figures.campaign.currency;
	const ranked = rankByEfficiency(figures.channels);
	const best = ranked[0];
	if (best && ranked.length >= 2 && best.efficiency > 0) {
		const average = figures.revenue.costPerConversion;
		const detail =
			best.channel.cost === 0
				? 'it converts at no recorded cost'
				: `best conversions per cost, ${money(best.channel.costPerConversion ?? 0, currency)} ` +
					`per conversion` +
					(average === null ? '' : ` against ${money(average, currency)} campaign-wide`);
		suggestions.push(`Strengthen ${best.channel.channel} outreach: ${detail}.`);
	}

	const averageConversion = figures.rates.conversionRate;
	for (const channel of figures.channels) {
		if (
			averageConversion !== null &&
			averageConversion > 0 &&
			channel.conversionRate !== null &&
			channel.conversionRate < averageConversion * SUGGESTION_RULES.lowConversionShareOfAverage
		) {
			suggestions.push(
				`Review ${channel.channel} content and targeting: conversion rate ` +
					`${percentText(channel.conversionRate)} is under half the campaign average ` +
					`(${percentText(averageConversion)}).`,
			);
		}
		if (channel.deliveryRate !== null && channel.deliveryRate < SUGGESTION_RULES.minDeliveryRate) {
			suggestions.push(
				`Clean ${channel.channel} contact data: only ${percentText(channel.deliveryRate)} ` +
					`of sends were delivered.`,
			);
		}
		if (channel.roi !== null && channel.roi < 0) {
			suggestions.push(
				`Cut or retarget ${channel.channel}: it returned less revenue than it cost ` +
					`(ROI ${percentText(channel.roi)}).`,
			);
		}
	}

	const { roi } = figures.revenue;
	if (roi !== null && roi < 0) {
		suggestions.push(
			`The campaign did not pay back (ROI ${percentText(roi)}): lower its cost` +
				(figures.bestChannel ? ` or move budget to ${figures.bestChannel}.` : '.'),
		);
	}
	const { lift } = figures.retention;
	if (lift !== null) {
		if (lift < 0) {
			suggestions.push(
				`Rethink the offer and audience: treated members retained ${points(lift)} worse ` +
					`than the holdout.`,
			);
		} else if (lift < SUGGESTION_RULES.negligibleLift) {
			suggestions.push(
				`Retention lift is only ${points(lift)}: test a stronger offer or a narrower ` +
					`audience before scaling.`,
			);
		} else {
			suggestions.push(
				`Keep the approach for the next wave: retention is ${points(lift)} above the holdout.`,
			);
		}
	}
	const { coverageRate } = figures.audience;
	if (coverageRate !== null && coverageRate < SUGGESTION_RULES.minCoverageRate) {
		suggestions.push(
			`Only ${percentText(coverageRate)} of the audience was reached: check consent and ` +
				`contact data for the rest.`,
		);
	}
	if (figures.missing.length > 0) {
		suggestions.push(
			`Complete the ${figures.missing.length} missing input field(s) and regenerate the ` +
				`report: figures that depend on them are left empty.`,
		);
	}
	if (figures.warnings.length > 0) {
		suggestions.push(
			`Check the source data behind the ${figures.warnings.length} warning(s) before ` +
				`sharing this report.`,
		);
	}
	return suggestions;
}

export function reviewCampaign(input: unknown): CampaignFigures {
	const campaign = readObject(input, 'campaign');
	if (campaign === null) throw new ReportInputError('campaign', 'The campaign data is empty');
	const findings = new Findings();

	const name = readText(campaign.name, 'name');
	if (name === null) findings.missing.push('name');
	const period = readPeriod(campaign.period, findings);
	const currency = readText(campaign.currency, 'currency');

	const audienceSize = findings.required(campaign.audienceSize, 'audienceSize', 'Audience size');
	const reached = findings.required(campaign.reached, 'reached', 'Reached members');
	const coverageRate = findings.share(
		'Audience',
		'coverage rate',
		{ label: 'reached', value: reached },
		{ label: 'audience size', value: audienceSize },
	);

	const channelRows = readList(campaign.channels, 'channels');
	if (channelRows === null || channelRows.length === 0) findings.missing.push('channels');
	const channels = (channelRows ?? []).map((row, index) => readChannel(row, index, findings));
	const seen = new Set<string>();
	for (const { channel } of channels) {
		if (seen.has(channel)) findings.warnings.push(`Channel ${channel} is listed more than once.`);
		seen.add(channel);
	}

	const total = (field: ChannelInputField) =>
		channels.length === 0 ? null : sumKnown(channels.map((c) => c[field]));
	const excludedValues = channels.map((c) => c.excluded).filter((v): v is number => v !== null);
	const totals = {
		sent: total('sent'),
		delivered: total('delivered'),
		opened: total('opened'),
		clicked: total('clicked'),
		converted: total('converted'),
		excluded: excludedValues.length ? excludedValues.reduce((a, b) => a + b, 0) : null,
	};
	const rates = funnelRates('Campaign', totals, findings);

	const attributedRevenue = total('revenue');
	const upsellRevenue = total('upsellRevenue');
	const cost = total('cost');
	const baselineRevenue = findings.optional(
		campaign.baselineRevenue,
		'baselineRevenue',
		'Baseline revenue',
	);
	// Without a baseline the attributed revenue is the campaign's new GMV.
	const newGmv =
		attributedRevenue === null ? null : tidy(attributedRevenue - (baselineRevenue ?? 0));
	if (newGmv !== null && newGmv < 0) {
		findings.warnings.push(`New GMV is negative (${newGmv.toFixed(2)}).`);
	}
	if (upsellRevenue !== null && attributedRevenue !== null && upsellRevenue > attributedRevenue) {
		findings.warnings.push(
			`Upsell revenue (${upsellRevenue}) is larger than the attributed revenue ` +
				`(${attributedRevenue}).`,
		);
	}
	const roi = newGmv === null ? null : ratio(newGmv - (cost ?? 0), cost);
	if (cost === 0) findings.warnings.push('Total cost is 0, so the ROI is undefined.');

	const retention = readRetention(campaign, findings);
	findings.finish();
	const best = rankByEfficiency(channels)[0];

	const figures: Omit<CampaignFigures, 'suggestions'> = {
		reportType: 'campaignReview',
		campaign: { name, period, currency },
		audience: { audienceSize, reached, coverageRate },
		totals,
		rates,
		revenue: {
			attributedRevenue,
			baselineRevenue,
			newGmv,
			upsellRevenue,
			cost,
			roi,
			costPerConversion: ratio(cost, totals.converted),
		},
		retention,
		channels,
		bestChannel: best && best.efficiency > 0 ? best.channel.channel : null,
		missing: findings.missing,
		warnings: findings.warnings,
	};
	return { ...figures, suggestions: suggest(figures) };
}

function readRetention(campaign: PlainObject, findings: Findings): CampaignFigures['retention'] {
	const group = (key: 'treated' | 'holdout', label: string) => {
		const raw = readObject(campaign[key], key);
		if (raw === null) findings.missing.push(`${key}.members`, `${key}.retained`);
		const members = raw
			? findings.required(raw.members, `${key}.members`, `${label} members`)
			: null;
		const retained = raw
			? findings.required(raw.retained, `${key}.retained`, `${label} retained`)
			: null;
		const rate = findings.share(
			label,
			'retention rate',
			{ label: 'retained', value: retained },
			{ label: 'members', value: members },
		);
		return { members, retained, rate };
	};
	const treated = group('treated', 'Treated group');
	const holdout = group('holdout', 'Holdout');
	const lift =
		treated.rate === null || holdout.rate === null ? null : tidy(treated.rate - holdout.rate);
	return {
		treatedMembers: treated.members,
		treatedRetained: treated.retained,
		treatedRetentionRate: treated.rate,
		holdoutMembers: holdout.members,
		holdoutRetained: holdout.retained,
		holdoutRetentionRate: holdout.rate,
		lift,
		relativeLift: lift === null ? null : ratio(lift, holdout.rate),
	};
}

/**
 * One campaign from several input items: a part that has a `channel` field is one channel row;
 * any other part is a (partial) campaign object whose channels are appended and whose other
 * fields must agree with the parts before it.
 */
export function mergeCampaignParts(parts: readonly unknown[]): PlainObject {
	const merged: PlainObject = {};
	const channels: unknown[] = [];
	parts.forEach((part, index) => {
		if (!isPlainObject(part)) {
			throw new ReportInputError('campaign', 'The campaign data must be an object', index);
		}
		if (!isAbsent(part.channel) && part.channels === undefined) {
			channels.push(part);
			return;
		}
		for (const [key, value] of Object.entries(part)) {
			if (key === 'channels') {
				const rows = readList(value, 'channels', index);
				if (rows) channels.push(...rows);
			} else mergeField(merged, key, value, key, index);
		}
	});
	if (channels.length > 0) merged.channels = channels;
	return merged;
}

function mergeField(
	target: PlainObject,
	key: string,
	value: unknown,
	path: string,
	part: number,
): void {
	if (isAbsent(value)) return;
	const existing = target[key];
	if (isPlainObject(value)) {
		if (existing !== undefined && !isPlainObject(existing)) {
			throw new ReportInputError(path, `'${path}' is an object here but a value elsewhere`, part);
		}
		const nested: PlainObject = isPlainObject(existing) ? existing : {};
		for (const [childKey, childValue] of Object.entries(value)) {
			mergeField(nested, childKey, childValue, `${path}.${childKey}`, part);
		}
		target[key] = nested;
	} else if (existing === undefined) {
		target[key] = value;
	} else if (JSON.stringify(existing) !== JSON.stringify(value)) {
		throw new ReportInputError(
			path,
			`'${path}' is ${JSON.stringify(value)} here but ${JSON.stringify(existing)} in an ` +
				`earlier item`,
			part,
		);
	}
}
