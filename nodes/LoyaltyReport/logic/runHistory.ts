import { parseInstant } from '../../shared/dates';
import {
	isAbsent,
	isPlainObject,
	ratio,
	readNumber,
	readText,
	ReportInputError,
	tidy,
} from './inputValues';

/**
 * Rows of the `loyalty_sync_runs` Data Table (one per nightly sync run, see docs/data-tables.md)
 * read into typed runs, and the trend over the most recent of them.
 */

export const RUN_STATUSES = ['running', 'success', 'failed', 'stopped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** How many runs the sync health trend covers unless told otherwise. */
export const DEFAULT_TREND_RUNS = 30;

const RUN_COUNTERS = [
	'rowsRead',
	'rowsRejected',
	'newMembers',
	'changedMembers',
	'removedMembers',
	'unchangedMembers',
	'sent',
	'accepted',
	'rejected',
	'retries',
	'throttled429',
	'durationMs',
] as const;
type RunCounter = (typeof RUN_COUNTERS)[number];

export type SyncRun = Record<RunCounter, number | null> & {
	runId: string;
	workflow: string | null;
	mode: string | null;
	status: RunStatus;
	/** ISO timestamps, normalised to UTC. */
	startedAt: string | null;
	endedAt: string | null;
	sourceFile: string | null;
	sourceFileDate: string | null;
	error: string | null;
};

/** A row of the run history: it names its run and says how the run went. */
export function isRunRow(value: unknown): boolean {
	return isPlainObject(value) && !isAbsent(value.runId) && !isAbsent(value.status);
}

function readInstant(value: unknown, field: string, part?: number): string | null {
	if (isAbsent(value)) return null;
	const ms = parseInstant(value);
	if (Number.isNaN(ms)) {
		throw new ReportInputError(
			field,
			`'${field}' must be a date and time, got ${JSON.stringify(value)}`,
			part,
		);
	}
	return new Date(ms).toISOString();
}

/** One run history row; `field` names the row in errors (e.g. `runs[3]`). */
export function readRun(row: unknown, field: string, part?: number): SyncRun {
	if (!isPlainObject(row) || !isRunRow(row)) {
		throw new ReportInputError(
			field,
			`'${field}' is not a run: it needs a runId and a status`,
			part,
		);
	}
	const status = String(row.status).trim().toLowerCase();
	if (!(RUN_STATUSES as readonly string[]).includes(status)) {
		throw new ReportInputError(
			`${field}.status`,
			`'${field}.status' must be one of ${RUN_STATUSES.join(', ')}, got ${JSON.stringify(row.status)}`,
			part,
		);
	}
	const counters = {} as Record<RunCounter, number | null>;
	for (const counter of RUN_COUNTERS) {
		counters[counter] = readNumber(row[counter], `${field}.${counter}`, part);
	}
	const startedAt = readInstant(row.startedAt, `${field}.startedAt`, part);
	const endedAt = readInstant(row.endedAt, `${field}.endedAt`, part);
	if (counters.durationMs === null && startedAt !== null && endedAt !== null) {
		counters.durationMs = Date.parse(endedAt) - Date.parse(startedAt);
	}
	return {
		runId: readText(row.runId, `${field}.runId`, part) as string,
		workflow: readText(row.workflow, `${field}.workflow`, part),
		mode: readText(row.mode, `${field}.mode`, part),
		status: status as RunStatus,
		startedAt,
		endedAt,
		sourceFile: readText(row.sourceFile, `${field}.sourceFile`, part),
		sourceFileDate: readInstant(row.sourceFileDate, `${field}.sourceFileDate`, part),
		error: readText(row.error, `${field}.error`, part),
		...counters,
	};
}

/** When the run happened, for ordering: its start, else its end. */
export function runTime(run: SyncRun): number {
	return Date.parse(run.startedAt ?? run.endedAt ?? '') || 0;
}

/** Records refused on the way to Ometria over the records that were to be sent. */
export function rejectedRecordShare(run: SyncRun): number | null {
	if (run.accepted === null || run.rejected === null) return null;
	return ratio(run.rejected, run.accepted + run.rejected);
}

/** Feed rows refused (bad columns, dates, duplicates, tiers) over the rows read. */
export function rejectedRowShare(run: SyncRun): number | null {
	return ratio(run.rowsRejected, run.rowsRead);
}

export interface RunHistoryFigures {
	/** Runs in the trend, oldest first. */
	runs: Array<SyncRun & { rejectedShare: number | null }>;
	/** Rows given, before keeping the most recent `trendRuns`. */
	rowsGiven: number;
	trendRuns: number;
	succeeded: number;
	failed: number;
	stopped: number;
	running: number;
	/** Succeeded over finished runs. */
	runSuccessRate: number | null;
	lastRun: { runId: string; status: RunStatus; startedAt: string | null } | null;
	lastSuccessAt: string | null;
	averageDurationMs: number | null;
	sent: number | null;
	accepted: number | null;
	rejected: number | null;
	rejectedShare: number | null;
}

/**
 * The trend over the most recent `trendRuns` runs. Repeated run ids keep the last row given
 * (a row updated at the end of its run replaces its `running` row).
 */
export function summariseRuns(
	rows: readonly SyncRun[],
	trendRuns: number,
	warnings: string[],
): RunHistoryFigures {
	const byId = new Map<string, SyncRun>();
	for (const run of rows) {
		if (byId.has(run.runId)) {
			warnings.push(`Run ${run.runId} appears more than once in the run history.`);
		}
		byId.set(run.runId, run);
	}
	const runs = [...byId.values()]
		.sort((a, b) => runTime(a) - runTime(b) || a.runId.localeCompare(b.runId))
		.slice(-Math.max(1, trendRuns))
		.map((run) => ({ ...run, rejectedShare: rejectedRecordShare(run) }));
	const count = (status: RunStatus) => runs.filter((run) => run.status === status).length;
	const finished = runs.filter((run) => run.status !== 'running');
	const durations = finished.map((run) => run.durationMs).filter((d): d is number => d !== null);
	const total = (counter: 'sent' | 'accepted' | 'rejected') =>
		finished.length === 0 || finished.some((run) => run[counter] === null)
			? null
			: tidy(finished.reduce((sum, run) => sum + (run[counter] as number), 0));
	const accepted = total('accepted');
	const rejected = total('rejected');
	const last = runs[runs.length - 1];
	const lastSuccess = [...runs].reverse().find((run) => run.status === 'success');
	return {
		runs,
		rowsGiven: rows.length,
		trendRuns: runs.length,
		succeeded: count('success'),
		failed: count('failed'),
		stopped: count('stopped'),
		running: count('running'),
		runSuccessRate: ratio(count('success'), finished.length),
		lastRun: last ? { runId: last.runId, status: last.status, startedAt: last.startedAt } : null,
		lastSuccessAt: lastSuccess ? (lastSuccess.endedAt ?? lastSuccess.startedAt) : null,
		averageDurationMs:
			durations.length > 0
				? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length)
				: null,
		sent: total('sent'),
		accepted,
		rejected,
		rejectedShare:
			accepted === null || rejected === null ? null : ratio(rejected, accepted + rejected),
	};
}
