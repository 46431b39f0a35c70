import { normaliseEmail } from '../../shared/memberValues';
import {
	isAbsent,
	isPlainObject,
	percentText,
	ratio,
	readList,
	readNumber,
	readObject,
	ReportInputError,
	type PlainObject,
} from './inputValues';
import {
	DEFAULT_TREND_RUNS,
	isRunRow,
	readRun,
	summariseRuns,
	type RunHistoryFigures,
} from './runHistory';
import { isSafeKey, safeEntries } from '../../shared/safeKeys';

/**
 * Sync health: push success rate, rejected records by reason, a consistency score from
 * reconciling the member states held by Annex Cloud (the source) and Ometria (the target), and
 * the trend over the recent runs of the run history. Both member lists must already use the same
 * field names.
 */

export interface SyncHealthOptions {
	/** Field that holds the member id in both lists. */
	idField: string;
	/** Fields to compare; empty means every field of the source records except the id. */
	compareFields: readonly string[];
	/** How many example ids and differences the figures keep. */
	sampleLimit: number;
	/** How many of the most recent runs of the run history the trend covers. */
	trendRuns: number;
}

export const DEFAULT_SYNC_HEALTH_OPTIONS: SyncHealthOptions = {
	idField: 'id',
	compareFields: [],
	sampleLimit: 20,
	trendRuns: DEFAULT_TREND_RUNS,
};

/** Below this success rate or consistency score the sync needs attention. */
export const HEALTHY_RATE = 0.99;

export interface RejectionReason {
	reason: string;
	count: number;
	share: number | null;
}

export interface FieldDifference {
	memberId: string;
	field: string;
	source: unknown;
	target: unknown;
}

export interface SyncHealthFigures {
	reportType: 'syncHealth';
	push: {
		sent: number | null;
		accepted: number | null;
		rejected: number | null;
		successRate: number | null;
		rejectedByReason: RejectionReason[];
	};
	reconciliation: {
		sourceMembers: number | null;
		targetMembers: number | null;
		comparedFields: string[];
		consistentMembers: number | null;
		/** Share of source members present in the target with every compared field equal. */
		consistencyScore: number | null;
		/** Share of compared field values that agree, over members present in both systems. */
		fieldAccuracyRate: number | null;
		missingInTarget: number | null;
		extraInTarget: number | null;
		mismatchedMembers: number | null;
		mismatchesByField: Array<{ field: string; count: number }>;
		missingInTargetSample: string[];
		extraInTargetSample: string[];
		mismatchSample: FieldDifference[];
	};
	/** The trend over the run history, when run rows were given. */
	history: RunHistoryFigures | null;
	missing: string[];
	warnings: string[];
	suggestions: string[];
}

function readReasons(
	value: unknown,
	warnings: string[],
	part?: number,
): Array<{ reason: string; count: number }> {
	if (isAbsent(value)) return [];
	const counts = new Map<string, number>();
	const add = (reason: string, count: number) => {
		if (isSafeKey(reason)) counts.set(reason, (counts.get(reason) ?? 0) + count);
	};
	if (Array.isArray(value)) {
		value.forEach((row, index) => {
			const field = `push.rejectedByReason[${index}]`;
			const entry = readObject(row, field, part);
			if (entry === null || isAbsent(entry.reason)) {
				throw new ReportInputError(`${field}.reason`, `'${field}.reason' is missing`, part);
			}
			add(String(entry.reason), readNumber(entry.count, `${field}.count`, part) ?? 1);
		});
	} else {
		const byReason = readObject(value, 'push.rejectedByReason', part) as PlainObject;
		for (const [reason, count] of safeEntries(byReason)) {
			const number = readNumber(count, `push.rejectedByReason.${reason}`, part);
			if (number !== null) add(reason, number);
		}
	}
	for (const [reason, count] of counts) {
		if (count < 0) warnings.push(`Rejections for '${reason}' are negative (${count}).`);
	}
	return [...counts].map(([reason, count]) => ({ reason, count }));
}

function readPush(raw: unknown, missing: string[], warnings: string[]) {
	const push = readObject(raw, 'push');
	if (push === null) {
		missing.push('push.accepted', 'push.rejected');
		return { sent: null, accepted: null, rejected: null, successRate: null, rejectedByReason: [] };
	}
	const accepted = readNumber(push.accepted, 'push.accepted');
	const rejected = readNumber(push.rejected, 'push.rejected');
	if (accepted === null) missing.push('push.accepted');
	if (rejected === null) missing.push('push.rejected');
	// Every pushed record is either accepted or rejected, so `sent` is exact when only the
	// two outcomes are reported (Ometria's push response has no `sent`).
	const sent =
		readNumber(push.sent, 'push.sent') ??
		(accepted !== null && rejected !== null ? accepted + rejected : null);
	if (sent === null && accepted === null && rejected === null) missing.push('push.sent');
	for (const [label, value] of [
		['Sent', sent],
		['Accepted', accepted],
		['Rejected', rejected],
	] as const) {
		if (value !== null && value < 0) warnings.push(`${label} records are negative (${value}).`);
	}
	if (sent !== null && accepted !== null && rejected !== null && accepted + rejected !== sent) {
		warnings.push(
			`Accepted (${accepted}) plus rejected (${rejected}) does not equal sent (${sent}).`,
		);
	}
	const successRate = ratio(accepted, sent);
	if (successRate !== null && successRate > 1) {
		warnings.push(`Success rate is ${percentText(successRate)}, over 100%.`);
	}
	const reasons = readReasons(push.rejectedByReason, warnings);
	const reasonTotal = reasons.reduce((sum, r) => sum + r.count, 0);
	if (reasons.length > 0 && rejected !== null && reasonTotal !== rejected) {
		warnings.push(
			`Rejections by reason add up to ${reasonTotal}, but ${rejected} records were rejected.`,
		);
	}
	const rejectedByReason = reasons
		.map((r) => ({ ...r, share: ratio(r.count, rejected ?? reasonTotal) }))
		.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
	return { sent, accepted, rejected, successRate, rejectedByReason };
}

/** A member list as a map by id; accepts a list of records or an object keyed by id. */
function readMembers(
	value: unknown,
	side: 'source' | 'target',
	idField: string,
	warnings: string[],
): Map<string, PlainObject> | null {
	if (isAbsent(value)) return null;
	const members = new Map<string, PlainObject>();
	const add = (id: string, record: PlainObject) => {
		if (members.has(id)) warnings.push(`Member ${id} appears more than once in the ${side}.`);
		members.set(id, record);
	};
	if (isPlainObject(value)) {
		for (const [id, record] of Object.entries(value)) {
			add(id, readObject(record, `${side}.${id}`) ?? {});
		}
		return members;
	}
	const rows = readList(value, side) as unknown[];
	rows.forEach((row, index) => {
		const record = readObject(row, `${side}[${index}]`);
		const id = record?.[idField];
		if (record === null || isAbsent(id) || typeof id === 'object') {
			warnings.push(`${side}[${index}] has no '${idField}' and was skipped.`);
			return;
		}
		add(String(id).trim(), record);
	});
	return members;
}

/** Values as they should compare: blank equals absent, 120 equals "120", emails ignore case. */
function comparable(value: unknown, field: string): string | null {
	if (isAbsent(value)) return null;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value === 'string') {
		const text = value.trim();
		if (/^[+-]?\d+(\.\d+)?$/.test(text)) return String(Number(text));
		if (text === 'true' || text === 'false') return text;
		return /email/i.test(field) ? normaliseEmail(text) : text;
	}
	return JSON.stringify(value);
}

function reconcile(
	source: Map<string, PlainObject> | null,
	target: Map<string, PlainObject> | null,
	options: SyncHealthOptions,
): SyncHealthFigures['reconciliation'] {
	const fields =
		options.compareFields.length > 0
			? [...options.compareFields]
			: [...new Set([...(source?.values() ?? [])].flatMap((r) => Object.keys(r)))]
					.filter((f) => f !== options.idField)
					.sort();
	if (source === null || target === null) {
		return {
			sourceMembers: source?.size ?? null,
			targetMembers: target?.size ?? null,
			comparedFields: fields,
			consistentMembers: null,
			consistencyScore: null,
			fieldAccuracyRate: null,
			missingInTarget: null,
			extraInTarget: null,
			mismatchedMembers: null,
			mismatchesByField: [],
			missingInTargetSample: [],
			extraInTargetSample: [],
			mismatchSample: [],
		};
	}
	const missingIds: string[] = [];
	const mismatchSample: FieldDifference[] = [];
	const mismatchCounts = new Map<string, number>();
	let consistent = 0;
	let mismatched = 0;
	let comparedValues = 0;
	let agreeingValues = 0;
	for (const [id, record] of source) {
		const other = target.get(id);
		if (!other) {
			missingIds.push(id);
			continue;
		}
		let agrees = true;
		for (const field of fields) {
			comparedValues++;
			if (comparable(record[field], field) === comparable(other[field], field)) {
				agreeingValues++;
				continue;
			}
			agrees = false;
			mismatchCounts.set(field, (mismatchCounts.get(field) ?? 0) + 1);
			if (mismatchSample.length < options.sampleLimit) {
				mismatchSample.push({
					memberId: id,
					field,
					source: record[field] ?? null,
					target: other[field] ?? null,
				});
			}
		}
		if (agrees) consistent++;
		else mismatched++;
	}
	const extraIds = [...target.keys()].filter((id) => !source.has(id));
	return {
		sourceMembers: source.size,
		targetMembers: target.size,
		comparedFields: fields,
		consistentMembers: consistent,
		// Ometria holds every customer, loyalty members or not, so target-only contacts are
		// reported but do not lower the score.
		consistencyScore: ratio(consistent, source.size),
		fieldAccuracyRate: ratio(agreeingValues, comparedValues),
		missingInTarget: missingIds.length,
		extraInTarget: extraIds.length,
		mismatchedMembers: mismatched,
		mismatchesByField: [...mismatchCounts]
			.map(([field, count]) => ({ field, count }))
			.sort((a, b) => b.count - a.count || a.field.localeCompare(b.field)),
		missingInTargetSample: missingIds.slice(0, options.sampleLimit),
		extraInTargetSample: extraIds.slice(0, options.sampleLimit),
		mismatchSample,
	};
}

function suggest(figures: Omit<SyncHealthFigures, 'suggestions'>): string[] {
	const suggestions: string[] = [];
	const { push, reconciliation: rec } = figures;
	const topReason = push.rejectedByReason[0];
	if (topReason && topReason.count > 0) {
		suggestions.push(
			`Fix the top rejection reason '${topReason.reason}' ` +
				`(${topReason.count} of ${push.rejected ?? topReason.count} rejected records).`,
		);
	} else if (push.successRate !== null && push.successRate < HEALTHY_RATE) {
		suggestions.push(
			`Push success rate is ${percentText(push.successRate)}: read Ometria's push errors ` +
				`to find out why records were rejected.`,
		);
	}
	if (rec.missingInTarget) {
		suggestions.push(
			`Re-push the ${rec.missingInTarget} member(s) missing in Ometria (sample ids in the ` +
				`report).`,
		);
	}
	const topField = rec.mismatchesByField[0];
	if (topField) {
		suggestions.push(
			`Check the mapping of '${topField.field}': ${topField.count} member(s) differ between ` +
				`Annex Cloud and Ometria.`,
		);
	}
	if (rec.extraInTarget) {
		suggestions.push(
			`${rec.extraInTarget} Ometria contact(s) have no Annex Cloud member: check for ` +
				`deletions or merges that were not synced.`,
		);
	}
	const history = figures.history;
	if (history && history.failed + history.stopped > 0) {
		const lastProblem = [...history.runs]
			.reverse()
			.find((run) => run.status === 'failed' || run.status === 'stopped');
		suggestions.push(
			`${history.failed + history.stopped} of the last ${history.trendRuns} run(s) failed or ` +
				`stopped; the latest, run ${lastProblem?.runId}, says: ` +
				`${lastProblem?.error ?? 'no error recorded'}.`,
		);
	}
	if (history && history.lastSuccessAt === null) {
		suggestions.push(
			`None of the last ${history.trendRuns} run(s) succeeded: check the nightly sync's ` +
				`schedule, credentials and feed.`,
		);
	}
	if (figures.missing.length > 0) {
		suggestions.push(
			`Provide the ${figures.missing.length} missing input(s) to complete the health check.`,
		);
	}
	if (
		suggestions.length === 0 &&
		push.successRate !== null &&
		push.successRate >= HEALTHY_RATE &&
		rec.consistencyScore !== null &&
		rec.consistencyScore >= HEALTHY_RATE
	) {
		suggestions.push('The sync is healthy: no action needed.');
	}
	return suggestions;
}

export function checkSyncHealth(
	input: unknown,
	options: SyncHealthOptions = DEFAULT_SYNC_HEALTH_OPTIONS,
): SyncHealthFigures {
	const data = readObject(input, 'syncHealth');
	if (data === null) throw new ReportInputError('syncHealth', 'The sync health data is empty');
	const missing: string[] = [];
	const warnings: string[] = [];
	const push = readPush(
		data.push ?? (isPlainObject(data.summary) ? pushFromSummary(data.summary) : undefined),
		missing,
		warnings,
	);
	const runRows = readList(data.runs, 'runs');
	const history = runRows
		? summariseRuns(
				runRows.map((row, index) => readRun(row, `runs[${index}]`)),
				options.trendRuns,
				warnings,
			)
		: null;
	const source = readMembers(data.source, 'source', options.idField, warnings);
	const target = readMembers(data.target, 'target', options.idField, warnings);
	if (source === null) missing.push('source');
	if (target === null) missing.push('target');
	const figures = {
		reportType: 'syncHealth' as const,
		push,
		reconciliation: reconcile(source, target, options),
		history,
		missing,
		warnings,
	};
	return { ...figures, suggestions: suggest(figures) };
}

const PUSH_COUNTERS = ['sent', 'accepted', 'rejected'] as const;

/** The stages of the Ometria node's summary item, as rejection reasons. */
const SUMMARY_REJECTION_STAGES = {
	rejectedBeforeSending: 'rejected before sending (validation)',
	rejectedByOmetria: 'rejected by Ometria',
	failedToSend: 'failed to send',
} as const;

/**
 * The push figures of the Ometria node's summary item (`{ summary: { accepted, rejected, … } }`).
 * Its `sent` counts only records that left for Ometria, so the report's records sent are
 * accepted plus rejected, as for any push; the rejection stages become reasons.
 */
export function pushFromSummary(summary: PlainObject, part?: number): PlainObject {
	const rejectedByReason: Record<string, number> = {};
	for (const [stage, reason] of Object.entries(SUMMARY_REJECTION_STAGES)) {
		const count = readNumber(summary[stage], `summary.${stage}`, part);
		if (count) rejectedByReason[reason] = count;
	}
	return {
		accepted: summary.accepted,
		rejected: summary.rejected,
		...(Object.keys(rejectedByReason).length > 0 ? { rejectedByReason } : {}),
	};
}

/**
 * One health check from several input items: push counters and rejection reasons are summed
 * (one item per push batch), member lists and run history rows are concatenated. A part with
 * `accepted` or `rejected` at its top level is a push response, a part with `summary` the
 * Ometria node's summary item, a part with `runId` and `status` a row of the run history.
 * Other parts (the Ometria node's contact items, an empty item) add nothing.
 */
export function mergeSyncHealthParts(parts: readonly unknown[], idField: string): PlainObject {
	const push: PlainObject = {};
	const reasons: Record<string, number> = {};
	const source: unknown[] = [];
	const target: unknown[] = [];
	const runs: unknown[] = [];
	let hasPush = false;
	parts.forEach((part, index) => {
		if (!isPlainObject(part)) {
			throw new ReportInputError('syncHealth', 'The sync health data must be an object', index);
		}
		if (isRunRow(part)) {
			readRun(part, 'run', index);
			runs.push(part);
			return;
		}
		for (const [at, row] of (readList(part.runs, 'runs', index) ?? []).entries()) {
			readRun(row, `runs[${at}]`, index);
			runs.push(row);
		}
		const pushPart =
			part.push ??
			(isPlainObject(part.summary) ? pushFromSummary(part.summary, index) : null) ??
			(part.accepted !== undefined || part.rejected !== undefined ? part : null);
		const pushObject = readObject(pushPart, 'push', index);
		if (pushObject) {
			hasPush = true;
			for (const counter of PUSH_COUNTERS) {
				const value = readNumber(pushObject[counter], `push.${counter}`, index);
				if (value !== null) push[counter] = ((push[counter] as number) ?? 0) + value;
			}
			for (const { reason, count } of readReasons(pushObject.rejectedByReason, [], index)) {
				reasons[reason] = (reasons[reason] ?? 0) + count;
			}
		}
		for (const [side, list] of [
			['source', source],
			['target', target],
		] as const) {
			const value = part[side];
			if (isAbsent(value)) continue;
			if (isPlainObject(value)) {
				for (const [id, record] of safeEntries(value)) {
					list.push({ ...readObject(record, `${side}.${id}`, index), [idField]: id });
				}
			} else list.push(...(readList(value, side, index) as unknown[]));
		}
	});
	if (Object.keys(reasons).length > 0) push.rejectedByReason = reasons;
	return {
		...(hasPush ? { push } : {}),
		...(source.length ? { source } : {}),
		...(target.length ? { target } : {}),
		...(runs.length ? { runs } : {}),
	};
}
