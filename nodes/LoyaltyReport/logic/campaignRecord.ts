import { parseAnnexDate } from '../../AnnexCloud/logic/dates';
import { readActivityEntry } from '../../AnnexCloud/logic/activity';
import { toPlainObject } from '../../shared/memberValues';
import { reviewCampaign, type CampaignFigures } from './campaignReview';
import { isAbsent, isPlainObject, percentText, tidy, type PlainObject } from './inputValues';
import { escapeHtml } from './render';
import { twoProportionTest, type ProportionTest } from './significance';

/**
 * Campaign review from the campaign record (docs/data-tables.md): the rows templates wrote at
 * send time, Ometria's export events loaded into `loyalty_campaign_engagement`, the members'
 * Annex Cloud activity lines, earlier reviews from `loyalty_campaign_insights` and survey answers
 * from `loyalty_benefit_feedback`, all in one list. Rows are told apart by their key column and grouped by campaign; each campaign becomes
 * the input of `reviewCampaign` plus what only recorded data can show (significance of the
 * lift, data still missing, abnormal metrics, earlier campaigns of the same segment, and how
 * satisfied the members who got the campaign's offers say they are).
 */

export interface RecordReviewSettings {
	/** Annex Cloud action ids that are purchases (109 by default). */
	purchaseActionIds: number[];
	/** Points a purchase earns per currency unit: the activity line carries points, not money. */
	pointsPerCurrencyUnit: number;
	currency: string;
	/** Share 0..1: a lift above it is implausible for a campaign and raises an alert. */
	maxPlausibleLift: number;
	/** Two-sided significance level of the lift test. */
	significanceLevel: number;
	/** Earlier campaigns of the segment cited in the suggestions. */
	earlierCampaigns: number;
	now: Date;
}

export const DEFAULT_RECORD_REVIEW_SETTINGS: Omit<RecordReviewSettings, 'now'> = {
	purchaseActionIds: [109],
	pointsPerCurrencyUnit: 1,
	currency: 'EUR',
	maxPlausibleLift: 0.25,
	significanceLevel: 0.05,
	earlierCampaigns: 3,
};

export type AlertCheck = 'abnormal_lift' | 'negative_roi' | 'channel_at_zero';

export interface CampaignAlert {
	alertKey: string;
	subject: string;
	text: string;
	/** The same message as HTML, every value escaped. */
	html: string;
	severity: 'warning';
	checks: AlertCheck[];
	findings: string[];
	campaignId: string;
	workflow: string;
	runId: string;
}

export interface EarlierCampaign {
	campaignId: string;
	name: string;
	reviewedAt: string;
	version: number;
	roi: number | null;
	lift: number | null;
	newGmv: number | null;
	suggestions: string[];
}

/** The knowledge-base row (`loyalty_campaign_insights`) of this review, without the PDF path. */
export interface InsightRow {
	insightKey: string;
	campaignId: string;
	campaignName: string;
	reviewedAt: string;
	segment: string;
	offerId: string;
	version: number;
	/** `complete`, or `incomplete` while data is missing (the daily check reviews it again). */
	status: 'complete' | 'incomplete';
	metrics: string;
	suggestions: string;
	missing: string;
}

/** Survey answers about one offer of the campaign, from members of its target group. */
export interface OfferSatisfaction {
	offerId: string;
	/** The benefit's name as the survey link carried it (the offer id when none). */
	name: string;
	responses: number;
	/** Mean rating 1 to 5, two decimals. */
	averageRating: number;
	/** Answers per rating, index 0 for 1 to index 4 for 5. */
	ratings: [number, number, number, number, number];
	/** The latest comments, newest first. */
	comments: Array<{ rating: number; comment: string; answeredAt: string }>;
}

export interface CampaignSatisfaction {
	responses: number;
	averageRating: number | null;
	byOffer: OfferSatisfaction[];
}

/** Comments per offer shown in the review. */
const SATISFACTION_COMMENTS = 3;
/** An offer rated below this (with enough answers) is named in the suggestions. */
const LOW_SATISFACTION = 3;
/** Answers needed before a low average is worth a suggestion. */
const LOW_SATISFACTION_MIN_ANSWERS = 3;

export interface RecordReview extends CampaignFigures {
	campaignId: string;
	/** Position of the campaign row in the input. */
	campaignRow: number;
	version: number;
	complete: boolean;
	significance: ProportionTest & { significant: boolean | null; level: number };
	alerts: CampaignAlert[];
	earlierCampaigns: EarlierCampaign[];
	satisfaction: CampaignSatisfaction;
	insight: InsightRow;
}

interface MemberRow {
	memberId: string;
	group: string;
	offerId: string;
}
interface TouchRow {
	memberId: string;
	channel: string;
	status: string;
	sentAt: number | undefined;
}
interface EngagementRow {
	memberId: string;
	channel: string;
	eventType: string;
}
interface Purchase {
	at: number;
	value: number;
}

interface CampaignRows {
	campaign: PlainObject;
	/** Position of the campaign row in the input. */
	index: number;
	members: MemberRow[];
	touches: TouchRow[];
	engagement: EngagementRow[];
	redeemed: Map<string, number>;
}

interface SortedRows {
	campaigns: CampaignRows[];
	/** By Ometria campaign id. */
	engagement: Map<string, EngagementRow[]>;
	purchases: Map<string, Purchase[]>;
	/** Members whose activity could not be read (an error item from the Annex Cloud node). */
	unreadMembers: Set<string>;
	insights: PlainObject[];
	/** Survey answers (`loyalty_benefit_feedback` rows). */
	feedback: PlainObject[];
}

const text = (value: unknown): string => (isAbsent(value) ? '' : String(value).trim());
const time = (value: unknown): number | undefined => parseAnnexDate(value);

function numberOrNull(value: unknown): number | null {
	if (isAbsent(value)) return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

/** Splits the mixed rows by kind; a campaign row is one with `campaignSlug` and `endsAt`. */
function sortRows(rows: readonly unknown[], settings: RecordReviewSettings): SortedRows {
	const byCampaign = new Map<string, CampaignRows>();
	const pending: PlainObject[] = [];
	const engagement = new Map<string, EngagementRow[]>();
	const purchases = new Map<string, Purchase[]>();
	const unreadMembers = new Set<string>();
	const insights: PlainObject[] = [];
	const feedback: PlainObject[] = [];
	const seenActivity = new Set<string>();
	const purchaseIds = new Set(settings.purchaseActionIds);

	for (const [index, row] of rows.entries()) {
		if (!isPlainObject(row) || Object.keys(row).length === 0) continue;
		if ('insightKey' in row) insights.push(row);
		else if ('feedbackKey' in row) feedback.push(row);
		else if ('engagementKey' in row) {
			const key = text(row.ometriaCampaignId);
			const list = engagement.get(key) ?? [];
			list.push({
				memberId: text(row.memberId),
				channel: text(row.channel).toLowerCase(),
				eventType: text(row.eventType).toLowerCase(),
			});
			engagement.set(key, list);
		} else if ('campaignSlug' in row && 'endsAt' in row) {
			byCampaign.set(text(row.campaignId), {
				campaign: row,
				index,
				members: [],
				touches: [],
				engagement: [],
				redeemed: new Map(),
			});
		} else if ('memberKey' in row || 'touchKey' in row || 'outcomeKey' in row) pending.push(row);
		else if ('error' in row && !isAbsent(row.memberId)) unreadMembers.add(text(row.memberId));
		else if ('activityId' in row && 'actionId' in row) {
			const memberId = text(row.memberId);
			// The same member read twice (two campaigns) yields the same lines twice.
			const lineKey = `${memberId}:${text(row.activityId)}`;
			if (seenActivity.has(lineKey)) continue;
			seenActivity.add(lineKey);
			const entry = readActivityEntry(row);
			if (entry.actionId === undefined || !purchaseIds.has(entry.actionId)) continue;
			if (entry.at === undefined || entry.credit <= 0) continue;
			const list = purchases.get(memberId) ?? [];
			list.push({ at: entry.at, value: tidy(entry.credit / settings.pointsPerCurrencyUnit) });
			purchases.set(memberId, list);
		}
	}
	for (const row of pending) {
		const campaign = byCampaign.get(text(row.campaignId));
		if (!campaign) continue;
		if ('memberKey' in row) {
			campaign.members.push({
				memberId: text(row.memberId),
				group: text(row.group).toLowerCase(),
				offerId: text(row.offerId),
			});
		} else if ('touchKey' in row) {
			campaign.touches.push({
				memberId: text(row.memberId),
				channel: text(row.channel).toLowerCase(),
				status: text(row.status).toLowerCase(),
				sentAt: time(row.sentAt),
			});
		} else if (text(row.outcome).toLowerCase() === 'redeemed') {
			const memberId = text(row.memberId);
			campaign.redeemed.set(memberId, (campaign.redeemed.get(memberId) ?? 0) + 1);
		}
	}
	return {
		campaigns: [...byCampaign.values()],
		engagement,
		purchases,
		unreadMembers,
		insights,
		feedback,
	};
}

const CHANNEL_NAMES: Record<string, string> = { email: 'Email', sms: 'SMS', push: 'App Push' };
const channelName = (channel: string) => CHANNEL_NAMES[channel] ?? channel;

/** Unique members per event type and channel. */
function engagementCounts(rows: readonly EngagementRow[]) {
	const sets = new Map<string, Set<string>>();
	for (const row of rows) {
		const key = `${row.channel}:${row.eventType}`;
		const set = sets.get(key) ?? new Set<string>();
		set.add(row.memberId);
		sets.set(key, set);
	}
	return (channel: string, eventType: string) => sets.get(`${channel}:${eventType}`)?.size ?? 0;
}

interface GroupOutcome {
	members: number;
	converters: number;
	revenue: number;
}

function groupOutcome(
	memberIds: readonly string[],
	purchasesIn: (memberId: string) => Purchase[],
): GroupOutcome {
	let converters = 0;
	let revenue = 0;
	for (const memberId of memberIds) {
		const bought = purchasesIn(memberId);
		if (bought.length > 0) converters++;
		revenue += bought.reduce((sum, purchase) => sum + purchase.value, 0);
	}
	return { members: memberIds.length, converters, revenue: tidy(revenue) };
}

interface ChannelTally {
	converted: number;
	revenue: number;
	upsellRevenue: number;
	redeemed: number;
}

/** The input `reviewCampaign` reads, built from one campaign's rows. */
function campaignInput(rows: CampaignRows, sorted: SortedRows, settings: RecordReviewSettings) {
	const { campaign } = rows;
	const missing: string[] = [];
	const sentAt = time(campaign.sentAt);
	const endsAt = time(campaign.endsAt);
	if (sentAt === undefined) missing.push('sentAt (campaign row)');
	if (endsAt === undefined) missing.push('endsAt (campaign row)');
	const inWindow = (memberId: string) =>
		sentAt === undefined || endsAt === undefined
			? []
			: (sorted.purchases.get(memberId) ?? [])
					.filter((p) => p.at >= sentAt && p.at <= endsAt)
					.sort((a, b) => a.at - b.at);

	const ids = (group: string) =>
		[...new Set(rows.members.filter((m) => m.group === group).map((m) => m.memberId))].sort();
	const target = ids('target');
	const holdout = ids('holdout');
	const excluded = ids('excluded');
	const unread = [...target, ...holdout].filter((id) => sorted.unreadMembers.has(id));
	if (unread.length > 0) {
		missing.push(`purchases of ${unread.length} member(s) (Annex Cloud activity not read)`);
	}
	const treated = groupOutcome(target, inWindow);
	const control = groupOutcome(holdout, inWindow);

	const ometriaCampaignId = text(campaign.ometriaCampaignId);
	const sent = rows.touches.filter((t) => t.status === 'sent');
	// An export row counts only for a member this campaign sent a message on that channel.
	const messaged = new Set(sent.map((t) => `${t.memberId}:${t.channel}`));
	const events = (sorted.engagement.get(ometriaCampaignId) ?? []).filter((event) =>
		messaged.has(`${event.memberId}:${event.channel}`),
	);
	const count = engagementCounts(events);
	const channels = [
		...new Set([
			...text(campaign.channels)
				.split(',')
				.map((c) => c.trim().toLowerCase())
				.filter(Boolean),
			...sent.map((t) => t.channel),
		]),
	];

	// Last touch before the first purchase in the window takes the conversion.
	const tally = new Map<string, ChannelTally>(
		channels.map((c) => [c, { converted: 0, revenue: 0, upsellRevenue: 0, redeemed: 0 }]),
	);
	for (const memberId of target) {
		const bought = inWindow(memberId);
		if (bought.length === 0) continue;
		const touches = sent
			.filter((t) => t.memberId === memberId && t.sentAt !== undefined && t.sentAt <= bought[0].at)
			.sort((a, b) => b.sentAt! - a.sentAt!);
		const channel = touches[0]?.channel;
		if (!channel || !tally.has(channel)) continue;
		const entry = tally.get(channel)!;
		entry.converted++;
		entry.revenue = tidy(entry.revenue + bought.reduce((sum, p) => sum + p.value, 0));
		entry.upsellRevenue = tidy(
			entry.upsellRevenue + bought.slice(1).reduce((sum, p) => sum + p.value, 0),
		);
		entry.redeemed += rows.redeemed.get(memberId) ?? 0;
	}

	const costs: Record<string, number | null> = {
		email: numberOrNull(campaign.costPerEmail),
		sms: numberOrNull(campaign.costPerSms),
		// The campaign record has no push cost: a push is treated as free.
		push: 0,
	};
	const costPerOffer = numberOrNull(campaign.costPerOffer) ?? 0;
	const channelRows = channels.map((channel) => {
		const sentCount = sent.filter((t) => t.channel === channel).length;
		const arrived = events.some((event) => event.channel === channel);
		if (!arrived && sentCount > 0) {
			missing.push(`opens and clicks of ${channelName(channel)} (no Ometria export rows yet)`);
		}
		const perMessage = costs[channel] ?? null;
		if (perMessage === null && sentCount > 0) {
			missing.push(`cost per ${channelName(channel)} message (campaign row)`);
		}
		const bounced = count(channel, 'bounce');
		const t = tally.get(channel)!;
		return {
			channel: channelName(channel),
			sent: sentCount,
			delivered: arrived ? Math.max(sentCount - bounced, 0) : null,
			opened: arrived ? count(channel, 'open') : null,
			clicked: arrived ? count(channel, 'click') : null,
			converted: t.converted,
			revenue: t.revenue,
			upsellRevenue: t.upsellRevenue,
			cost: perMessage === null ? null : tidy(sentCount * perMessage + t.redeemed * costPerOffer),
			excluded: rows.touches.filter(
				(touch) =>
					touch.channel === channel && (touch.status === 'excluded' || touch.status === 'rejected'),
			).length,
		};
	});

	const reached = new Set(sent.map((t) => t.memberId)).size;
	return {
		input: {
			name: text(campaign.name) || text(campaign.campaignId),
			period: {
				start: sentAt === undefined ? null : new Date(sentAt).toISOString().slice(0, 10),
				end: endsAt === undefined ? null : new Date(endsAt).toISOString().slice(0, 10),
			},
			currency: settings.currency,
			audienceSize: target.length + excluded.length,
			reached,
			// What the treated members would have bought anyway, at the holdout's rate.
			baselineRevenue:
				control.members === 0 ? null : tidy((control.revenue / control.members) * treated.members),
			treated: { members: treated.members, retained: treated.converters },
			holdout: { members: control.members, retained: control.converters },
			channels: channelRows,
		},
		missing,
		treated,
		control,
	};
}

function earlierCampaigns(
	insights: readonly PlainObject[],
	campaign: PlainObject,
	limit: number,
): { earlier: EarlierCampaign[]; version: number } {
	const campaignId = text(campaign.campaignId);
	const segment = text(campaign.segment);
	let version = 0;
	const latest = new Map<string, PlainObject>();
	for (const row of insights) {
		const id = text(row.campaignId);
		const rowVersion = numberOrNull(row.version) ?? 0;
		if (id === campaignId) {
			version = Math.max(version, rowVersion);
			continue;
		}
		if (text(row.segment) !== segment) continue;
		const current = latest.get(id);
		if (!current || rowVersion > (numberOrNull(current.version) ?? 0)) latest.set(id, row);
	}
	const earlier = [...latest.values()]
		.map((row) => {
			const metrics = toPlainObject(row.metrics);
			return {
				campaignId: text(row.campaignId),
				name: text(row.campaignName) || text(row.campaignId),
				reviewedAt: text(row.reviewedAt),
				version: numberOrNull(row.version) ?? 1,
				roi: numberOrNull(metrics.roi),
				lift: numberOrNull(metrics.lift),
				newGmv: numberOrNull(metrics.newGmv),
				suggestions: text(row.suggestions).split('\n').filter(Boolean),
			};
		})
		.sort((a, b) => b.reviewedAt.localeCompare(a.reviewedAt))
		.slice(0, limit);
	return { earlier, version: version + 1 };
}

/**
 * Satisfaction with the campaign's offers: the answers to a survey about an offer of the campaign
 * (its `offerId`, or one a target member was given), from a member of its target group, given
 * after the campaign was sent. A member answering twice about the same offer counts once, with
 * the latest answer.
 */
function satisfactionOf(
	rows: CampaignRows,
	feedback: readonly PlainObject[],
): CampaignSatisfaction {
	const target = rows.members.filter((member) => member.group === 'target');
	const offers = new Set(
		[text(rows.campaign.offerId), ...target.map((member) => member.offerId)].filter(Boolean),
	);
	const members = new Set(target.map((member) => member.memberId));
	const sentAt = time(rows.campaign.sentAt);
	const latest = new Map<
		string,
		{ offerId: string; row: PlainObject; at: number; rating: number }
	>();
	for (const row of feedback) {
		const offerId = text(row.benefitId);
		const memberId = text(row.memberId);
		const rating = numberOrNull(row.rating);
		const at = time(row.answeredAt);
		if (!offers.has(offerId) || !members.has(memberId)) continue;
		if (rating === null || rating < 1 || rating > 5 || at === undefined) continue;
		if (sentAt !== undefined && at < sentAt) continue;
		const key = JSON.stringify([offerId, memberId]);
		const current = latest.get(key);
		if (!current || at > current.at) {
			latest.set(key, { offerId, row, at, rating: Math.round(rating) });
		}
	}
	const byOffer = new Map<string, OfferSatisfaction & { sum: number }>();
	for (const [, answer] of [...latest.entries()].sort(([a], [b]) => a.localeCompare(b))) {
		const { offerId } = answer;
		const entry = byOffer.get(offerId) ?? {
			offerId,
			name: text(answer.row.benefitName) || offerId,
			responses: 0,
			averageRating: 0,
			ratings: [0, 0, 0, 0, 0],
			comments: [],
			sum: 0,
		};
		entry.responses++;
		entry.sum += answer.rating;
		entry.ratings[answer.rating - 1]++;
		const comment = text(answer.row.comment);
		if (comment !== '') {
			entry.comments.push({
				rating: answer.rating,
				comment,
				answeredAt: new Date(answer.at).toISOString(),
			});
		}
		byOffer.set(offerId, entry);
	}
	let responses = 0;
	let sum = 0;
	const offersRated = [...byOffer.values()].map(({ sum: offerSum, ...offer }) => {
		responses += offer.responses;
		sum += offerSum;
		return {
			...offer,
			averageRating: twoDecimals(offerSum / offer.responses),
			comments: offer.comments
				.sort((a, b) => b.answeredAt.localeCompare(a.answeredAt))
				.slice(0, SATISFACTION_COMMENTS),
		};
	});
	return {
		responses,
		averageRating: responses === 0 ? null : twoDecimals(sum / responses),
		byOffer: offersRated,
	};
}

const twoDecimals = (value: number) => Math.round(value * 100) / 100;

/** Names an offer the members who got it rate poorly, once enough of them have answered. */
function satisfactionSuggestions(satisfaction: CampaignSatisfaction): string[] {
	return satisfaction.byOffer
		.filter(
			(offer) =>
				offer.responses >= LOW_SATISFACTION_MIN_ANSWERS && offer.averageRating < LOW_SATISFACTION,
		)
		.map(
			(offer) =>
				`Rethink the offer ${offer.name}: members who got it rate it ` +
				`${offer.averageRating.toFixed(1)}/5 (${offer.responses} answers).`,
		);
}

const pointsText = (lift: number) => `${(lift * 100).toFixed(1)} points`;

/** What the earlier campaigns of the segment say, as suggestions citing them. */
function citeEarlier(figures: CampaignFigures, segment: string, earlier: EarlierCampaign[]) {
	if (earlier.length === 0) return [];
	const cited = earlier.map((campaign) => {
		const parts = [
			campaign.roi === null ? 'ROI n/a' : `ROI ${percentText(campaign.roi)}`,
			campaign.lift === null ? 'lift n/a' : `lift ${pointsText(campaign.lift)}`,
		];
		return `${campaign.name} (${campaign.campaignId}: ${parts.join(', ')})`;
	});
	const suggestions = [`Earlier ${segment} campaigns for comparison: ${cited.join('; ')}.`];
	const rois = earlier.map((c) => c.roi).filter((roi): roi is number => roi !== null);
	const roi = figures.revenue.roi;
	if (roi !== null && rois.length > 0) {
		const average = rois.reduce((a, b) => a + b, 0) / rois.length;
		suggestions.push(
			`ROI ${percentText(roi)} is ${roi >= average ? 'at or above' : 'below'} the ` +
				`${percentText(average)} average of ${rois.length} earlier ${segment} campaign(s).`,
		);
	}
	const repeated = earlier.flatMap((campaign) =>
		campaign.suggestions
			.filter((s) => /^Strengthen /.test(s))
			.map((s) => ({ s: s.replace(/:.*$/, ''), id: campaign.campaignId })),
	);
	for (const { s, id } of repeated) {
		if (figures.suggestions.some((current) => current.startsWith(s))) {
			suggestions.push(`${s} was also suggested after ${id}: the pattern holds.`);
		}
	}
	return suggestions;
}

function alertsFor(
	review: Omit<RecordReview, 'alerts' | 'insight'>,
	campaign: PlainObject,
	settings: RecordReviewSettings,
): CampaignAlert[] {
	const findings: Array<{ check: AlertCheck; text: string }> = [];
	const { lift, treatedRetentionRate, holdoutRetentionRate } = review.retention;
	if (lift !== null && lift > settings.maxPlausibleLift) {
		findings.push({
			check: 'abnormal_lift',
			text:
				`Conversion ${percentText(treatedRetentionRate!)} is ${pointsText(lift)} above the ` +
				`holdout (${percentText(holdoutRetentionRate!)}), more than the allowed ` +
				`${pointsText(settings.maxPlausibleLift)}: check the holdout assignment and the ` +
				`purchase attribution.`,
		});
	}
	if (review.revenue.roi !== null && review.revenue.roi < 0) {
		findings.push({
			check: 'negative_roi',
			text: `ROI is ${percentText(review.revenue.roi)}: the campaign cost more than it earned.`,
		});
	}
	for (const channel of review.channels) {
		if (!channel.sent) continue;
		const zero = [
			channel.delivered === 0 ? 'delivered' : '',
			channel.opened === 0 && channel.clicked === 0 ? 'opened or clicked' : '',
		].filter(Boolean);
		if (zero.length > 0) {
			findings.push({
				check: 'channel_at_zero',
				text: `${channel.channel}: ${channel.sent} sent, none ${zero.join(', none ')}.`,
			});
		}
	}
	if (findings.length === 0) return [];
	const checks = [...new Set(findings.map((f) => f.check))].sort();
	const name = text(campaign.name) || review.campaignId;
	const heading = `Campaign ${name} (${review.campaignId}), review version ${review.version}:`;
	return [
		{
			alertKey: `campaign:${review.campaignId}:${checks.join('+')}`,
			subject: `[Campaign review] ${name}: ${checks.map((c) => c.replace(/_/g, ' ')).join(', ')}`,
			text: [heading, ...findings.map((f) => `- ${f.text}`)].join('\n'),
			html:
				`<p>${escapeHtml(heading)}</p><ul>` +
				findings.map((f) => `<li>${escapeHtml(f.text)}</li>`).join('') +
				'</ul>',
			severity: 'warning',
			checks,
			findings: findings.map((f) => f.text),
			campaignId: review.campaignId,
			workflow: text(campaign.template),
			runId: '',
		},
	];
}

/** Drops "Strengthen X outreach" when X converts no better than doing nothing (the holdout). */
function strengthenOnlyAboveHoldout(figures: CampaignFigures): string[] {
	const holdoutRate = figures.retention.holdoutRetentionRate;
	return figures.suggestions.filter((suggestion) => {
		const match = /^Strengthen (.+) outreach/.exec(suggestion);
		if (!match) return true;
		const channel = figures.channels.find((c) => c.channel === match[1]);
		if (!channel || channel.conversionRate === null || channel.converted === 0) return false;
		return holdoutRate === null || channel.conversionRate > holdoutRate;
	});
}

export function reviewCampaignRecords(
	rows: readonly unknown[],
	settings: RecordReviewSettings,
): RecordReview[] {
	const sorted = sortRows(rows, settings);
	return sorted.campaigns.map((rows) => {
		const { campaign } = rows;
		const campaignId = text(campaign.campaignId);
		const built = campaignInput(rows, sorted, settings);
		const figures = reviewCampaign(built.input);
		const test = twoProportionTest(
			built.treated.converters,
			built.treated.members,
			built.control.converters,
			built.control.members,
		);
		const significant = test.pValue === null ? null : test.pValue < settings.significanceLevel;
		const { earlier, version } = earlierCampaigns(
			sorted.insights,
			campaign,
			settings.earlierCampaigns,
		);
		const missing = [...built.missing, ...figures.missing];
		const segment = text(campaign.segment);
		const suggestions = strengthenOnlyAboveHoldout(figures);
		if (significant === false && figures.retention.lift !== null) {
			suggestions.push(
				`The lift of ${pointsText(figures.retention.lift)} is not significant ` +
					`(p = ${test.pValue!.toFixed(3)}): a larger audience or holdout is needed to be sure.`,
			);
		}
		suggestions.push(...citeEarlier({ ...figures, suggestions }, segment, earlier));
		const satisfaction = satisfactionOf(rows, sorted.feedback);
		suggestions.push(...satisfactionSuggestions(satisfaction));
		const base = {
			...figures,
			missing,
			suggestions,
			campaignId,
			campaignRow: rows.index,
			version,
			complete: missing.length === 0,
			significance: { ...test, significant, level: settings.significanceLevel },
			earlierCampaigns: earlier,
			satisfaction,
		};
		const alerts = alertsFor(base, campaign, settings);
		const insight: InsightRow = {
			insightKey: `${campaignId}:v${version}`,
			campaignId,
			campaignName: figures.campaign.name ?? campaignId,
			reviewedAt: settings.now.toISOString(),
			segment,
			offerId: text(campaign.offerId),
			version,
			status: base.complete ? 'complete' : 'incomplete',
			metrics: JSON.stringify({
				audience: figures.audience.audienceSize,
				reached: figures.audience.reached,
				treatedRate: figures.retention.treatedRetentionRate,
				holdoutRate: figures.retention.holdoutRetentionRate,
				lift: figures.retention.lift,
				pValue: test.pValue,
				newGmv: figures.revenue.newGmv,
				cost: figures.revenue.cost,
				roi: figures.revenue.roi,
				bestChannel: figures.bestChannel,
				satisfaction: satisfaction.averageRating,
				surveyAnswers: satisfaction.responses,
				channels: Object.fromEntries(
					figures.channels.map((c) => [
						c.channel,
						{
							sent: c.sent,
							opened: c.opened,
							clicked: c.clicked,
							converted: c.converted,
							roi: c.roi,
						},
					]),
				),
			}),
			suggestions: suggestions.join('\n'),
			missing: missing.join('\n'),
		};
		return { ...base, alerts, insight };
	});
}
