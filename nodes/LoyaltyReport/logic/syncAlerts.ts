import {
	isAbsent,
	isPlainObject,
	percentText,
	ReportInputError,
	type PlainObject,
} from './inputValues';
import { escapeHtml } from './render';
import { durationText, formatValue, instantText, type CellValue } from './reportDocument';
import {
	isRunRow,
	readRun,
	rejectedRecordShare,
	rejectedRowShare,
	type SyncRun,
} from './runHistory';

/**
 * Alerts on the nightly sync: a run that failed or was stopped, rejected records above a share,
 * a feed file that is missing or older than expected (all read from the run's history row), a
 * workflow that failed outright (n8n's Error Trigger item), and no successful run for too long
 * (the watchdog, over the run history). Each alert is one message, ready for an email or chat node.
 */

export const ALERT_CHECKS = [
	'runFailed',
	'rejectedShare',
	'sourceFile',
	'noRecentSuccess',
] as const;
export type AlertCheck = (typeof ALERT_CHECKS)[number];

export interface AlertSettings {
	checks: readonly AlertCheck[];
	/** Share of records (or feed rows) a run may reject, 0.01 for 1%. */
	maxRejectedShare: number;
	/** How old the feed file may be when the run starts. */
	maxFeedAgeHours: number;
	/** How long the watchdog waits for a successful run. */
	maxHoursWithoutSuccess: number;
	now: Date;
}

export const DEFAULT_ALERT_SETTINGS: Omit<AlertSettings, 'now'> = {
	checks: ['runFailed', 'rejectedShare', 'sourceFile'],
	maxRejectedShare: 0.01,
	maxFeedAgeHours: 26,
	maxHoursWithoutSuccess: 26,
};

export type AlertSeverity = 'critical' | 'warning';

interface Finding {
	check: AlertCheck;
	severity: AlertSeverity;
	/** Short, for the subject line. */
	headline: string;
	/** One full sentence, for the body. */
	detail: string;
}

export interface SyncAlert {
	/**
	 * The same problem always gets the same key, so a log of sent alerts can hold back repeats:
	 * `run:<runId>` (the run id is the n8n execution id, so a failed execution and its run row
	 * share it), `no-success:<last successful run>:<days overdue>`.
	 */
	alertKey: string;
	checks: AlertCheck[];
	severity: AlertSeverity;
	runId: string | null;
	workflow: string | null;
	subject: string;
	findings: string[];
	text: string;
	html: string;
	/** Indexes of the input items the alert comes from. */
	parts: number[];
}

const HOUR_MS = 3_600_000;
const SUBJECT_PREFIX = '[Loyalty sync]';

function hoursBetween(fromIso: string, toMs: number): number {
	return (toMs - Date.parse(fromIso)) / HOUR_MS;
}

function hoursText(hours: number): string {
	return `${Math.floor(hours)} h`;
}

export function validateAlertSettings(settings: AlertSettings): void {
	const { maxRejectedShare, maxFeedAgeHours, maxHoursWithoutSuccess } = settings;
	if (!(maxRejectedShare >= 0 && maxRejectedShare <= 1)) {
		throw new ReportInputError(
			'maxRejectedPercent',
			`The rejected share limit must be between 0% and 100%, got ${maxRejectedShare * 100}%`,
		);
	}
	for (const [field, hours] of [
		['maxFeedAgeHours', maxFeedAgeHours],
		['maxHoursWithoutSuccess', maxHoursWithoutSuccess],
	] as const) {
		if (!(hours > 0)) {
			throw new ReportInputError(field, `'${field}' must be more than 0 hours, got ${hours}`);
		}
	}
}

function runFindings(run: SyncRun, settings: AlertSettings): Finding[] {
	const findings: Finding[] = [];
	const checks = new Set(settings.checks);
	const because = run.error ? `: ${run.error}` : ' (no error recorded)';
	if (checks.has('runFailed') && run.status === 'failed') {
		findings.push({
			check: 'runFailed',
			severity: 'critical',
			headline: `run ${run.runId} failed`,
			detail: `The run failed${because}.`,
		});
	}
	if (checks.has('runFailed') && run.status === 'stopped') {
		findings.push({
			check: 'runFailed',
			severity: 'critical',
			headline: `run ${run.runId} stopped by a safety check`,
			detail: `A safety check stopped the run before anything was written${because}.`,
		});
	}
	if (checks.has('rejectedShare')) {
		const limit = percentText(settings.maxRejectedShare);
		const recordShare = rejectedRecordShare(run);
		if (recordShare !== null && recordShare > settings.maxRejectedShare) {
			const total = (run.accepted ?? 0) + (run.rejected ?? 0);
			findings.push({
				check: 'rejectedShare',
				severity: 'warning',
				headline: `${percentText(recordShare)} of records rejected`,
				detail:
					`${formatValue(run.rejected, 'count')} of ${formatValue(total, 'count')} records ` +
					`(${percentText(recordShare)}) were rejected, above the ${limit} limit.`,
			});
		}
		const rowShare = rejectedRowShare(run);
		if (rowShare !== null && rowShare > settings.maxRejectedShare) {
			findings.push({
				check: 'rejectedShare',
				severity: 'warning',
				headline: `${percentText(rowShare)} of feed rows rejected`,
				detail:
					`${formatValue(run.rowsRejected, 'count')} of ${formatValue(run.rowsRead, 'count')} ` +
					`feed rows (${percentText(rowShare)}) were rejected, above the ${limit} limit.`,
			});
		}
	}
	if (checks.has('sourceFile')) {
		if (run.sourceFile === null) {
			findings.push({
				check: 'sourceFile',
				severity: 'critical',
				headline: 'feed file missing',
				detail: 'The run names no source feed file: the feed was not found or not delivered.',
			});
		} else if (run.sourceFileDate !== null) {
			const age = hoursBetween(
				run.sourceFileDate,
				Date.parse(run.startedAt ?? settings.now.toISOString()),
			);
			if (age > settings.maxFeedAgeHours) {
				findings.push({
					check: 'sourceFile',
					severity: 'warning',
					headline: `feed file ${hoursText(age)} old`,
					detail:
						`The feed file ${run.sourceFile} dates from ${instantText(run.sourceFileDate)}, ` +
						`${hoursText(age)} before the run started; at most ${settings.maxFeedAgeHours} h ` +
						`is expected. Annex Cloud's data feed may not have been delivered.`,
				});
			}
		}
	}
	return findings;
}

function runFacts(run: SyncRun): Array<[string, CellValue]> {
	const count = (value: number | null) => (value === null ? null : formatValue(value, 'count'));
	const share = rejectedRecordShare(run);
	return [
		['Run', run.runId],
		['Workflow', run.workflow],
		['Mode', run.mode],
		['Status', run.status],
		['Started', instantText(run.startedAt)],
		['Ended', instantText(run.endedAt)],
		['Duration', run.durationMs === null ? null : durationText(run.durationMs)],
		['Source file', run.sourceFile],
		['Source file date', instantText(run.sourceFileDate)],
		['Rows read', count(run.rowsRead)],
		['Rows rejected', count(run.rowsRejected)],
		['New members', count(run.newMembers)],
		['Changed members', count(run.changedMembers)],
		['Removed members', count(run.removedMembers)],
		['Unchanged members', count(run.unchangedMembers)],
		['Records sent', count(run.sent)],
		['Records accepted', count(run.accepted)],
		['Records rejected', count(run.rejected)],
		['Rejected share', share === null ? null : percentText(share)],
		['Retries', count(run.retries)],
		['Answered 429', count(run.throttled429)],
		['Error', run.error],
	];
}

function compose(
	findings: Finding[],
	facts: Array<[string, CellValue]>,
	base: Pick<SyncAlert, 'alertKey' | 'runId' | 'workflow' | 'parts'>,
): SyncAlert {
	const [first] = findings;
	const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : '';
	// Names come from the data: no line break may reach a mail header.
	const subject =
		`${SUBJECT_PREFIX} ${base.workflow ?? 'Nightly sync'}: ${first.headline}${more}`.replace(
			/[\r\n]+/g,
			' ',
		);
	const known = facts.filter(([, value]) => value !== null) as Array<[string, string | number]>;
	const text =
		findings.map((finding) => `- ${finding.detail}`).join('\n') +
		'\n\n' +
		known.map(([label, value]) => `${label}: ${value}`).join('\n') +
		'\n';
	const html =
		`<p><strong>${escapeHtml(subject)}</strong></p><ul>` +
		findings.map((finding) => `<li>${escapeHtml(finding.detail)}</li>`).join('') +
		'</ul><table>' +
		known
			.map(
				([label, value]) =>
					`<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(String(value))}</td></tr>`,
			)
			.join('') +
		'</table>';
	return {
		...base,
		checks: [...new Set(findings.map((finding) => finding.check))],
		severity: findings.some((finding) => finding.severity === 'critical') ? 'critical' : 'warning',
		subject,
		findings: findings.map((finding) => finding.detail),
		text,
		html,
	};
}

/** n8n's Error Trigger item: `{ execution: { id, error, lastNodeExecuted, url }, workflow }`. */
function isFailedExecution(part: PlainObject): boolean {
	return (
		isPlainObject(part.workflow) && (isPlainObject(part.execution) || isPlainObject(part.trigger))
	);
}

function failedExecutionAlert(part: PlainObject, index: number, now: Date): SyncAlert {
	const workflow = part.workflow as PlainObject;
	const execution = isPlainObject(part.execution) ? part.execution : null;
	const failure = (execution ?? (part.trigger as PlainObject)).error;
	const message =
		(isPlainObject(failure) && typeof failure.message === 'string' && failure.message) ||
		'no error message';
	const name = typeof workflow.name === 'string' ? workflow.name : null;
	const text = (value: unknown) =>
		typeof value === 'string' || typeof value === 'number' ? String(value) : null;
	const executionId = text(execution?.id);
	const node = text(execution?.lastNodeExecuted);
	const detail = execution
		? `The workflow stopped with an error${node ? ` in node "${node}"` : ''}: ${message}`
		: `The workflow's trigger failed: ${message}`;
	return compose(
		[{ check: 'runFailed', severity: 'critical', headline: 'workflow failed', detail }],
		[
			['Workflow', name],
			['Workflow id', text(workflow.id)],
			['Execution', executionId],
			['Failed node', node],
			['Execution link', text(execution?.url)],
			['Error', message],
		],
		{
			alertKey: executionId
				? `run:${executionId}`
				: `trigger:${text(workflow.id)}:${now.toISOString().slice(0, 13)}`,
			runId: executionId,
			workflow: name,
			parts: [index],
		},
	);
}

function watchdogAlert(
	runs: Array<{ run: SyncRun; part: number }>,
	parts: number[],
	settings: AlertSettings,
): SyncAlert | null {
	const successes = runs
		.filter(({ run }) => run.status === 'success')
		.map(({ run }) => ({ run, at: run.endedAt ?? run.startedAt }))
		.filter((entry): entry is { run: SyncRun; at: string } => entry.at !== null)
		.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
	const last = successes[0];
	const limit = settings.maxHoursWithoutSuccess;
	const workflow = last?.run.workflow ?? runs[0]?.run.workflow ?? null;
	if (!last) {
		return compose(
			[
				{
					check: 'noRecentSuccess',
					severity: 'critical',
					headline: 'no successful run recorded',
					detail:
						'The run history holds no successful sync run: the nightly sync has never ' +
						'finished, or it does not record its runs.',
				},
			],
			[['Hours allowed without a success', limit]],
			{ alertKey: 'no-success:never', runId: null, workflow, parts },
		);
	}
	const hours = hoursBetween(last.at, settings.now.getTime());
	if (hours <= limit) return null;
	const overdueDays = Math.floor((hours - limit) / 24);
	return compose(
		[
			{
				check: 'noRecentSuccess',
				severity: 'critical',
				headline: `no successful run for ${hoursText(hours)}`,
				detail:
					`No sync run has succeeded for ${hoursText(hours)}; at most ${limit} h is expected. ` +
					`The schedule may have stopped, or every run since has failed.`,
			},
		],
		[
			['Last successful run', last.run.runId],
			['Last success ended', instantText(last.at)],
			['Hours since', Math.floor(hours)],
			['Hours allowed without a success', limit],
		],
		{
			alertKey: `no-success:${last.run.runId}:${overdueDays}`,
			runId: last.run.runId,
			workflow,
			parts,
		},
	);
}

/**
 * The alerts for the input items: each run history row and each Error Trigger item is checked
 * on its own; the watchdog looks at all rows together. Empty items (a Data Table read that found
 * no row) count as "no run".
 */
export function evaluateAlerts(parts: readonly unknown[], settings: AlertSettings): SyncAlert[] {
	validateAlertSettings(settings);
	const alerts: SyncAlert[] = [];
	const runs: Array<{ run: SyncRun; part: number }> = [];
	parts.forEach((part, index) => {
		if (!isPlainObject(part)) {
			throw new ReportInputError('item', 'The item must be an object', index);
		}
		if (isRunRow(part)) {
			const run = readRun(part, 'run', index);
			runs.push({ run, part: index });
			if (run.status === 'running') return;
			const findings = runFindings(run, settings);
			if (findings.length > 0) {
				alerts.push(
					compose(findings, runFacts(run), {
						alertKey: `run:${run.runId}`,
						runId: run.runId,
						workflow: run.workflow,
						parts: [index],
					}),
				);
			}
		} else if (isFailedExecution(part)) {
			if (settings.checks.includes('runFailed')) {
				alerts.push(failedExecutionAlert(part, index, settings.now));
			}
		} else if (Object.values(part).some((value) => !isAbsent(value))) {
			throw new ReportInputError(
				'runId',
				'The item is neither a run history row (runId, status) nor an Error Trigger item ' +
					'(workflow, execution)',
				index,
			);
		}
	});
	if (settings.checks.includes('noRecentSuccess')) {
		const alert = watchdogAlert(
			runs,
			parts.map((_, index) => index),
			settings,
		);
		if (alert) alerts.push(alert);
	}
	return alerts;
}
