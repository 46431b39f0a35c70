import {
	isPlainObject,
	ratio,
	readList,
	readNumber,
	readText,
	ReportInputError,
	tidy,
	type PlainObject,
} from './inputValues';
import type { ReportDocument, ReportSection } from './reportDocument';

/**
 * The benefit usage report: what members were granted (the `loyalty_entitlements` Data Table),
 * what they redeemed (Annex Cloud's reward history) and what they said about it (the
 * `loyalty_benefit_feedback` Data Table), per benefit, tier and period.
 */

export type PeriodUnit = 'day' | 'week' | 'month';

export interface BenefitUsageOptions {
	periodUnit: PeriodUnit;
	/** First and last day counted (`YYYY-MM-DD`, inclusive); empty = unbounded. */
	from: string;
	to: string;
	/** How many of the latest survey comments the report lists. */
	commentLimit: number;
}

export const DEFAULT_BENEFIT_USAGE_OPTIONS: BenefitUsageOptions = {
	periodUnit: 'month',
	from: '',
	to: '',
	commentLimit: 10,
};

/** Reward history statuses that mean "not used (yet)": everything else is a use. */
const UNUSED_REWARD_STATUSES = new Set(['ASSIGNED', 'ISSUED', 'EXPIRED', 'CANCELLED', 'REVOKED']);
const UNKNOWN_TIER = 'Unknown';

interface Entitlement {
	memberId: string;
	benefitId: string;
	benefitName: string;
	tier: string;
	rewardCode: string | null;
	rewardName: string | null;
	grantedAt: string;
	status: 'active' | 'used' | 'expired';
}

interface Redemption {
	memberId: string;
	benefitKey: string;
	benefitName: string;
	tier: string;
	points: number;
	at: string;
}

interface Answer {
	benefitKey: string;
	benefitName: string;
	rating: number;
	comment: string;
	answeredAt: string;
}

interface Counts {
	granted: number;
	used: number;
	expired: number;
	active: number;
	utilisationRate: number | null;
	expiryLossRate: number | null;
	redemptions: number;
	pointsRedeemed: number;
}

export interface BenefitRow extends Counts {
	benefitId: string;
	benefitName: string;
	responses: number;
	averageRating: number | null;
}

export interface TierRow extends Counts {
	tier: string;
}

export interface PeriodRow extends Counts {
	period: string;
}

export interface BenefitUsageFigures {
	reportType: 'benefitUsage';
	period: { from: string | null; to: string | null; unit: PeriodUnit };
	totals: Counts & { responses: number; averageRating: number | null };
	byBenefit: BenefitRow[];
	byTier: TierRow[];
	byPeriod: PeriodRow[];
	comments: Array<{ benefitName: string; rating: number; comment: string; answeredAt: string }>;
	missing: string[];
}

const LIST_FIELDS = ['entitlements', 'rewardHistory', 'feedback', 'members'] as const;
type ListField = (typeof LIST_FIELDS)[number];

/** Which list a loose row belongs to, by the columns only that kind of row has. */
function listOfRow(row: PlainObject): ListField | null {
	if ('entitlementKey' in row || 'expiresAt' in row) return 'entitlements';
	if ('feedbackKey' in row || 'rating' in row) return 'feedback';
	if ('rewardStatus' in row || 'rewardCode' in row || 'pointsUsed' in row) return 'rewardHistory';
	if ('currentTier' in row) return 'members';
	return null;
}

/**
 * "One report for all items": each item is either a whole input (lists under `entitlements`,
 * `rewardHistory`, `feedback`, `members`) or one row of them, recognised by its columns, so Data
 * Table rows and Annex Cloud's reward history lines can be fed in as they come.
 */
export function mergeBenefitUsageParts(parts: readonly unknown[]): PlainObject {
	const merged: Record<ListField, unknown[]> = {
		entitlements: [],
		rewardHistory: [],
		feedback: [],
		members: [],
	};
	parts.forEach((part, index) => {
		if (!isPlainObject(part)) {
			throw new ReportInputError('item', `item ${index} is not an object`, index);
		}
		const lists = LIST_FIELDS.filter((field) => field in part);
		if (lists.length > 0) {
			for (const field of lists) {
				merged[field].push(...(readList(part[field], field, index) ?? []));
			}
			return;
		}
		const list = listOfRow(part);
		if (list) merged[list].push(part);
	});
	return merged;
}

function text(row: PlainObject, fields: readonly string[], path: string): string | null {
	for (const field of fields) {
		const value = readText(row[field], `${path}.${field}`);
		if (value !== null) return value;
	}
	return null;
}

function dayOf(value: string | null): string | null {
	if (value === null) return null;
	const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
	if (match) return match[1];
	const time = Date.parse(value);
	return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 10);
}

function periodOf(day: string, unit: PeriodUnit): string {
	if (unit === 'day') return day;
	if (unit === 'month') return day.slice(0, 7);
	const date = new Date(`${day}T00:00:00Z`);
	const monday = new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000);
	return `week of ${monday.toISOString().slice(0, 10)}`;
}

function emptyCounts(): Counts {
	return {
		granted: 0,
		used: 0,
		expired: 0,
		active: 0,
		utilisationRate: null,
		expiryLossRate: null,
		redemptions: 0,
		pointsRedeemed: 0,
	};
}

function finish<T extends Counts>(counts: T): T {
	counts.utilisationRate = ratio(counts.used, counts.granted);
	counts.expiryLossRate = ratio(counts.expired, counts.granted);
	counts.pointsRedeemed = tidy(counts.pointsRedeemed);
	return counts;
}

function readEntitlements(rows: unknown[], missing: string[]): Entitlement[] {
	const entitlements: Entitlement[] = [];
	rows.forEach((row, index) => {
		const path = `entitlements[${index}]`;
		if (!isPlainObject(row)) throw new ReportInputError(path, `${path} is not an object`);
		const memberId = text(row, ['memberId'], path);
		const benefitId = text(row, ['benefitId', 'rewardId'], path);
		const grantedAt = dayOf(text(row, ['grantedAt'], path));
		if (memberId === null || benefitId === null || grantedAt === null) {
			missing.push(`${path} lacks memberId, benefitId or grantedAt and is not counted`);
			return;
		}
		const status = (text(row, ['status'], path) ?? 'active').toLowerCase();
		if (status !== 'active' && status !== 'used' && status !== 'expired') {
			throw new ReportInputError(
				`${path}.status`,
				`'${path}.status' must be active, used or expired, got ${JSON.stringify(row.status)}`,
			);
		}
		entitlements.push({
			memberId,
			benefitId,
			benefitName: text(row, ['benefitName', 'rewardName'], path) ?? benefitId,
			tier: text(row, ['tier'], path) ?? UNKNOWN_TIER,
			rewardCode: text(row, ['rewardCode'], path),
			rewardName: text(row, ['rewardName'], path),
			grantedAt,
			status,
		});
	});
	return entitlements;
}

function readTiers(rows: unknown[]): Map<string, string> {
	const tiers = new Map<string, string>();
	rows.forEach((row, index) => {
		const path = `members[${index}]`;
		if (!isPlainObject(row)) throw new ReportInputError(path, `${path} is not an object`);
		const memberId = text(row, ['memberId', 'loyaltyId', 'id'], path);
		const tier = text(row, ['currentTier', 'tier'], path);
		if (memberId !== null && tier !== null) tiers.set(memberId, tier);
	});
	return tiers;
}

/** Benefit ids by every name a benefit is known under (catalog name, Annex Cloud reward name). */
function benefitNames(entitlements: Entitlement[], feedback: unknown[]): Map<string, string> {
	const byName = new Map<string, string>();
	for (const entitlement of entitlements) {
		byName.set(entitlement.benefitName.toLowerCase(), entitlement.benefitId);
		if (entitlement.rewardName)
			byName.set(entitlement.rewardName.toLowerCase(), entitlement.benefitId);
	}
	for (const row of feedback) {
		if (!isPlainObject(row)) continue;
		const id = typeof row.benefitId === 'string' ? row.benefitId.trim() : '';
		const name = typeof row.benefitName === 'string' ? row.benefitName.trim() : '';
		if (id && name && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), id);
	}
	return byName;
}

function readRedemptions(
	rows: unknown[],
	entitlements: Entitlement[],
	names: Map<string, string>,
	tiers: Map<string, string>,
	missing: string[],
): Redemption[] {
	const byCode = new Map(
		entitlements.filter((e) => e.rewardCode !== null).map((e) => [e.rewardCode as string, e]),
	);
	const latestTier = new Map<string, Entitlement>();
	for (const entitlement of entitlements) {
		const known = latestTier.get(entitlement.memberId);
		if (!known || known.grantedAt <= entitlement.grantedAt) {
			latestTier.set(entitlement.memberId, entitlement);
		}
	}
	const redemptions: Redemption[] = [];
	rows.forEach((row, index) => {
		const path = `rewardHistory[${index}]`;
		if (!isPlainObject(row)) throw new ReportInputError(path, `${path} is not an object`);
		const status = (text(row, ['rewardStatus', 'member_reward_status'], path) ?? '').toUpperCase();
		if (UNUSED_REWARD_STATUSES.has(status)) return;
		const memberId = text(row, ['memberId', 'id'], path);
		const at = dayOf(text(row, ['updateDate', 'createDate', 'usedDate'], path));
		if (memberId === null || at === null) {
			missing.push(`${path} lacks memberId or a date and is not counted`);
			return;
		}
		const code = text(row, ['rewardCode', 'reward_code'], path);
		const granted = code === null ? undefined : byCode.get(code);
		const rewardName = text(row, ['rewardName', 'reward_name'], path) ?? '';
		const rewardId = text(row, ['rewardId', 'reward_id'], path);
		const benefitKey =
			granted?.benefitId ?? rewardId ?? names.get(rewardName.toLowerCase()) ?? rewardName;
		redemptions.push({
			memberId,
			benefitKey: benefitKey || 'unnamed reward',
			benefitName: granted?.benefitName ?? (rewardName || benefitKey || 'unnamed reward'),
			tier:
				text(row, ['tier', 'currentTier'], path) ??
				granted?.tier ??
				tiers.get(memberId) ??
				latestTier.get(memberId)?.tier ??
				UNKNOWN_TIER,
			points: readNumber(row.pointsUsed ?? row.debit_points, `${path}.pointsUsed`) ?? 0,
			at,
		});
	});
	return redemptions;
}

function readAnswers(rows: unknown[], names: Map<string, string>, missing: string[]): Answer[] {
	const answers: Answer[] = [];
	rows.forEach((row, index) => {
		const path = `feedback[${index}]`;
		if (!isPlainObject(row)) throw new ReportInputError(path, `${path} is not an object`);
		const rating = readNumber(row.rating, `${path}.rating`);
		const answeredAt = dayOf(text(row, ['answeredAt'], path));
		const benefitName = text(row, ['benefitName'], path);
		const benefitId =
			text(row, ['benefitId'], path) ??
			(benefitName === null ? null : (names.get(benefitName.toLowerCase()) ?? null));
		if (rating === null || answeredAt === null || benefitId === null) {
			missing.push(`${path} lacks rating, answeredAt or benefitId and is not counted`);
			return;
		}
		if (rating < 1 || rating > 5) {
			throw new ReportInputError(
				`${path}.rating`,
				`'${path}.rating' must be 1 to 5, got ${rating}`,
			);
		}
		answers.push({
			benefitKey: benefitId,
			benefitName: benefitName ?? benefitId,
			rating,
			comment: text(row, ['comment'], path) ?? '',
			answeredAt,
		});
	});
	return answers;
}

function inPeriod(day: string, options: BenefitUsageOptions): boolean {
	return (!options.from || day >= options.from) && (!options.to || day <= options.to);
}

function validateOptions(options: BenefitUsageOptions): void {
	for (const field of ['from', 'to'] as const) {
		if (options[field] && !/^\d{4}-\d{2}-\d{2}$/.test(options[field])) {
			throw new ReportInputError(field, `'${field}' must be a date (YYYY-MM-DD)`);
		}
	}
}

export function benefitUsage(
	input: unknown,
	options: BenefitUsageOptions = DEFAULT_BENEFIT_USAGE_OPTIONS,
): BenefitUsageFigures {
	validateOptions(options);
	if (!isPlainObject(input)) {
		throw new ReportInputError('input', 'the benefit usage input must be an object');
	}
	const missing: string[] = [];
	const entitlementRows = readList(input.entitlements, 'entitlements') ?? [];
	const historyRows = readList(input.rewardHistory, 'rewardHistory') ?? [];
	const feedbackRows = readList(input.feedback, 'feedback') ?? [];
	if (entitlementRows.length === 0) missing.push('No granted entitlements were given.');
	if (historyRows.length === 0) missing.push('No Annex Cloud reward history was given.');

	const allEntitlements = readEntitlements(entitlementRows, missing);
	const names = benefitNames(allEntitlements, feedbackRows);
	const tiers = readTiers(readList(input.members, 'members') ?? []);
	const entitlements = allEntitlements.filter((e) => inPeriod(e.grantedAt, options));
	const redemptions = readRedemptions(historyRows, allEntitlements, names, tiers, missing).filter(
		(r) => inPeriod(r.at, options),
	);
	const answers = readAnswers(feedbackRows, names, missing).filter((a) =>
		inPeriod(a.answeredAt, options),
	);

	const totals = emptyCounts();
	const benefits = new Map<string, BenefitRow & { ratingSum: number }>();
	const tierRows = new Map<string, TierRow>();
	const periodRows = new Map<string, PeriodRow>();
	const benefit = (key: string, name: string) => {
		let row = benefits.get(key);
		if (!row) {
			row = {
				benefitId: key,
				benefitName: name,
				...emptyCounts(),
				responses: 0,
				averageRating: null,
				ratingSum: 0,
			};
			benefits.set(key, row);
		}
		return row;
	};
	const tier = (name: string) => {
		if (!tierRows.has(name)) tierRows.set(name, { tier: name, ...emptyCounts() });
		return tierRows.get(name) as TierRow;
	};
	const period = (day: string) => {
		const name = periodOf(day, options.periodUnit);
		if (!periodRows.has(name)) periodRows.set(name, { period: name, ...emptyCounts() });
		return periodRows.get(name) as PeriodRow;
	};

	for (const entitlement of entitlements) {
		const rows = [
			totals,
			benefit(entitlement.benefitId, entitlement.benefitName),
			tier(entitlement.tier),
			period(entitlement.grantedAt),
		];
		for (const row of rows) {
			row.granted++;
			row[entitlement.status]++;
		}
	}
	for (const redemption of redemptions) {
		const rows = [
			totals,
			benefit(redemption.benefitKey, redemption.benefitName),
			tier(redemption.tier),
			period(redemption.at),
		];
		for (const row of rows) {
			row.redemptions++;
			row.pointsRedeemed += redemption.points;
		}
	}
	let ratingSum = 0;
	for (const answer of answers) {
		const row = benefit(answer.benefitKey, answer.benefitName);
		row.responses++;
		row.ratingSum += answer.rating;
		ratingSum += answer.rating;
	}

	const byBenefit = [...benefits.values()]
		.map(({ ratingSum: sum, ...row }) =>
			finish({ ...row, averageRating: row.responses ? tidy(sum / row.responses) : null }),
		)
		.sort(
			(a, b) =>
				b.granted + b.redemptions - (a.granted + a.redemptions) ||
				a.benefitName.localeCompare(b.benefitName),
		);
	const comments = answers
		.filter((answer) => answer.comment)
		.sort((a, b) => b.answeredAt.localeCompare(a.answeredAt))
		.slice(0, options.commentLimit)
		.map(({ benefitName, rating, comment, answeredAt }) => ({
			benefitName,
			rating,
			comment,
			answeredAt,
		}));
	return {
		reportType: 'benefitUsage',
		period: { from: options.from || null, to: options.to || null, unit: options.periodUnit },
		totals: {
			...finish(totals),
			responses: answers.length,
			averageRating: answers.length ? tidy(ratingSum / answers.length) : null,
		},
		byBenefit,
		byTier: [...tierRows.values()].map(finish).sort((a, b) => a.tier.localeCompare(b.tier)),
		byPeriod: [...periodRows.values()].map(finish).sort((a, b) => a.period.localeCompare(b.period)),
		comments,
		missing,
	};
}

const COUNT_COLUMNS = [
	{ label: 'Granted', format: 'count' },
	{ label: 'Used', format: 'count' },
	{ label: 'Expired unused', format: 'count' },
	{ label: 'Utilisation', format: 'percent' },
	{ label: 'Expiry loss', format: 'percent' },
	{ label: 'Redemptions', format: 'count' },
	{ label: 'Points redeemed', format: 'points' },
] as const;

function countValues(row: Counts) {
	return [
		row.granted,
		row.used,
		row.expired,
		row.utilisationRate,
		row.expiryLossRate,
		row.redemptions,
		row.pointsRedeemed,
	];
}

export function benefitUsageDocument(f: BenefitUsageFigures, generatedAt: string): ReportDocument {
	const span =
		f.period.from || f.period.to
			? `${f.period.from ?? 'the start'} to ${f.period.to ?? 'today'}`
			: 'all recorded data';
	const sections: ReportSection[] = [
		{
			kind: 'metrics',
			heading: 'Overview',
			rows: [
				{ label: 'Entitlements granted', value: f.totals.granted, format: 'count' },
				{ label: 'Used', value: f.totals.used, format: 'count' },
				{ label: 'Expired unused', value: f.totals.expired, format: 'count' },
				{ label: 'Still active', value: f.totals.active, format: 'count' },
				{
					label: 'Utilisation rate (used / granted)',
					value: f.totals.utilisationRate,
					format: 'percent',
				},
				{
					label: 'Expiry loss (expired / granted)',
					value: f.totals.expiryLossRate,
					format: 'percent',
				},
				{ label: 'Redemptions in Annex Cloud', value: f.totals.redemptions, format: 'count' },
				{ label: 'Points redeemed', value: f.totals.pointsRedeemed, format: 'points' },
				{ label: 'Survey answers', value: f.totals.responses, format: 'count' },
				{ label: 'Average satisfaction (1-5)', value: f.totals.averageRating, format: 'count' },
			],
		},
		{
			kind: 'table',
			heading: 'By benefit',
			subjectLabel: 'Benefit',
			columns: [
				...COUNT_COLUMNS,
				{ label: 'Answers', format: 'count' },
				{ label: 'Satisfaction', format: 'count' },
			],
			rows: f.byBenefit.map((row) => ({
				subject: row.benefitName,
				values: [...countValues(row), row.responses, row.averageRating],
			})),
			empty: 'No benefit was granted or redeemed in the period.',
		},
		{
			kind: 'table',
			heading: 'By tier',
			subjectLabel: 'Tier',
			columns: [...COUNT_COLUMNS],
			rows: f.byTier.map((row) => ({ subject: row.tier, values: countValues(row) })),
			empty: 'No tier data.',
		},
		{
			kind: 'table',
			heading: `By ${f.period.unit}`,
			subjectLabel: 'Period',
			columns: [...COUNT_COLUMNS],
			rows: f.byPeriod.map((row) => ({ subject: row.period, values: countValues(row) })),
			empty: 'No activity in the period.',
		},
		{
			kind: 'notes',
			heading: 'What members said',
			tone: 'info',
			items: f.comments.map(
				(c) => `${c.answeredAt} · ${c.benefitName} · ${c.rating}/5: ${c.comment}`,
			),
			empty: 'No survey comments in the period.',
		},
		{
			kind: 'notes',
			heading: 'Missing data',
			tone: 'missing',
			items: f.missing,
			empty: 'All inputs were provided.',
		},
	];
	return {
		title: 'Benefit usage',
		subtitle: `Entitlements, redemptions and satisfaction, ${span}. Generated ${generatedAt}.`,
		currency: null,
		generatedAt,
		sections,
	};
}
