import {
	DEFAULT_ALERT_SETTINGS,
	evaluateAlerts,
	type AlertSettings,
} from '../../../nodes/LoyaltyReport/logic/syncAlerts';
import { syncRunRow } from '../../support/syncRuns';

const now = new Date('2026-11-30T06:00:00.000Z');
const runChecks: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, now };
const watchdog: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, checks: ['noRecentSuccess'], now };

/** n8n's Error Trigger item for a failed execution. */
const failedExecution = {
	execution: {
		id: '2041',
		url: 'http://localhost:5678/workflow/LoyaltySyncTpl02/executions/2041',
		error: { message: 'ENOENT: no such file or directory, open members.csv' },
		lastNodeExecuted: 'Read the feed',
		mode: 'trigger',
	},
	workflow: { id: 'LoyaltySyncTpl02', name: '02 Nightly sync' },
};

describe('run checks', () => {
	it('raises nothing for a healthy run', () => {
		expect(evaluateAlerts([syncRunRow()], runChecks)).toEqual([]);
	});

	it('alerts on a failed run with its error and its figures', () => {
		const [alert] = evaluateAlerts(
			[syncRunRow({ status: 'failed', error: 'Ometria answered 500 three times' })],
			runChecks,
		);
		expect(alert).toMatchObject({
			alertKey: 'run:1001',
			checks: ['runFailed'],
			severity: 'critical',
			runId: '1001',
			subject: '[Loyalty sync] 02 Nightly sync: run 1001 failed',
			findings: ['The run failed: Ometria answered 500 three times.'],
			parts: [0],
		});
		expect(alert.text).toContain('Rows read: 10,000\n');
		expect(alert.text).toContain('Records sent: 205\n');
		expect(alert.text).toContain('Duration: 3 min 05 s\n');
		expect(alert.text).toContain('Started: 2026-11-30 02:00 UTC\n');
	});

	it('alerts on a run a safety check stopped', () => {
		const [alert] = evaluateAlerts(
			[syncRunRow({ status: 'stopped', error: 'The feed has 40% fewer rows than the snapshot' })],
			runChecks,
		);
		expect(alert.subject).toBe(
			'[Loyalty sync] 02 Nightly sync: run 1001 stopped by a safety check',
		);
	});

	it('alerts when rejected records or feed rows exceed the share, not at it', () => {
		const atLimit = syncRunRow({ accepted: 99, rejected: 1, rowsRead: 100, rowsRejected: 1 });
		expect(evaluateAlerts([atLimit], runChecks)).toEqual([]);
		const [alert] = evaluateAlerts(
			[syncRunRow({ accepted: 97, rejected: 3, rowsRead: 1000, rowsRejected: 20 })],
			runChecks,
		);
		expect(alert).toMatchObject({
			checks: ['rejectedShare'],
			severity: 'warning',
			subject: '[Loyalty sync] 02 Nightly sync: 3.0% of records rejected (+1 more)',
			findings: [
				'3 of 100 records (3.0%) were rejected, above the 1.0% limit.',
				'20 of 1,000 feed rows (2.0%) were rejected, above the 1.0% limit.',
			],
		});
	});

	it('follows the share set', () => {
		const row = syncRunRow({ accepted: 97, rejected: 3, rowsRejected: 0 });
		expect(evaluateAlerts([row], { ...runChecks, maxRejectedShare: 0.05 })).toEqual([]);
	});

	it('alerts on a missing feed file and on one older than expected', () => {
		const [missing] = evaluateAlerts([syncRunRow({ sourceFile: '' })], runChecks);
		expect(missing).toMatchObject({ checks: ['sourceFile'], severity: 'critical' });
		expect(missing.subject).toBe('[Loyalty sync] 02 Nightly sync: feed file missing');

		const stale = syncRunRow({ sourceFileDate: '2026-11-28T20:00:00Z' });
		const [old] = evaluateAlerts([stale], runChecks);
		expect(old.subject).toBe('[Loyalty sync] 02 Nightly sync: feed file 30 h old');
		expect(old.findings[0]).toContain('dates from 2026-11-28 20:00 UTC, 30 h before the run');
		expect(evaluateAlerts([stale], { ...runChecks, maxFeedAgeHours: 48 })).toEqual([]);
	});

	it('puts every finding of one run into one message, the critical one first', () => {
		const [alert] = evaluateAlerts(
			[syncRunRow({ status: 'failed', error: 'x', accepted: 50, rejected: 50 })],
			runChecks,
		);
		expect(alert.checks).toEqual(['runFailed', 'rejectedShare']);
		expect(alert.severity).toBe('critical');
	});

	it('leaves running runs alone and checks only what is switched on', () => {
		expect(evaluateAlerts([syncRunRow({ status: 'running', sourceFile: '' })], runChecks)).toEqual(
			[],
		);
		const onlyFailures = { ...runChecks, checks: ['runFailed' as const] };
		expect(evaluateAlerts([syncRunRow({ sourceFile: '' })], onlyFailures)).toEqual([]);
	});

	it('escapes what it shows in HTML and keeps line breaks out of the subject', () => {
		const [alert] = evaluateAlerts(
			[syncRunRow({ workflow: 'Sync\r\nBcc: x@example.com', status: 'failed', error: '<b>' })],
			runChecks,
		);
		expect(alert.subject).toBe('[Loyalty sync] Sync Bcc: x@example.com: run 1001 failed');
		expect(alert.html).toContain('The run failed: &lt;b&gt;.');
		expect(alert.html).not.toContain('<b>');
	});
});

describe('failed workflows (Error Trigger)', () => {
	it('alerts with the failing node, the message and the execution link', () => {
		const [alert] = evaluateAlerts([failedExecution], runChecks);
		expect(alert).toMatchObject({
			alertKey: 'run:2041',
			runId: '2041',
			workflow: '02 Nightly sync',
			subject: '[Loyalty sync] 02 Nightly sync: workflow failed',
			findings: [
				'The workflow stopped with an error in node "Read the feed": ENOENT: no such file or directory, open members.csv',
			],
		});
		expect(alert.text).toContain(
			'Execution link: http://localhost:5678/workflow/LoyaltySyncTpl02/executions/2041',
		);
	});

	it('shares the key of the run row, so a log of sent alerts mails a failed run once', () => {
		const [fromRow] = evaluateAlerts([syncRunRow({ runId: '2041', status: 'failed' })], runChecks);
		const [fromError] = evaluateAlerts([failedExecution], runChecks);
		expect(fromRow.alertKey).toBe(fromError.alertKey);
	});

	it('alerts on a trigger that failed before any execution, once an hour', () => {
		const [alert] = evaluateAlerts(
			[{ trigger: { error: { message: 'Bad cron' } }, workflow: { id: 'W1', name: 'Sync' } }],
			runChecks,
		);
		expect(alert.alertKey).toBe('trigger:W1:2026-11-30T06');
		expect(alert.findings).toEqual(["The workflow's trigger failed: Bad cron"]);
	});
});

describe('the watchdog', () => {
	it('is quiet while the last success is within the hours allowed', () => {
		const recent = syncRunRow({ endedAt: '2026-11-29T05:00:00Z' });
		expect(evaluateAlerts([recent], watchdog)).toEqual([]);
	});

	it('alerts when no run has succeeded for longer, with a key that changes each day overdue', () => {
		const last = syncRunRow({ runId: '990', endedAt: '2026-11-29T03:00:00Z' });
		const [alert] = evaluateAlerts([last], watchdog);
		expect(alert).toMatchObject({
			alertKey: 'no-success:990:0',
			checks: ['noRecentSuccess'],
			severity: 'critical',
			subject: '[Loyalty sync] 02 Nightly sync: no successful run for 27 h',
		});
		expect(alert.text).toContain('Last success ended: 2026-11-29 03:00 UTC\n');
		const dayLater = evaluateAlerts([last], {
			...watchdog,
			now: new Date('2026-12-01T06:00:00Z'),
		});
		expect(dayLater[0].alertKey).toBe('no-success:990:1');
	});

	it('alerts when the run history holds no successful run (an empty read)', () => {
		const [alert] = evaluateAlerts([{}], watchdog);
		expect(alert).toMatchObject({ alertKey: 'no-success:never', parts: [0] });
		expect(alert.subject).toBe('[Loyalty sync] Nightly sync: no successful run recorded');
	});

	it('looks at the newest success among the rows', () => {
		const rows = [
			syncRunRow({ runId: '1', endedAt: '2026-11-20T02:00:00Z' }),
			syncRunRow({ runId: '2', endedAt: '2026-11-30T02:00:00Z' }),
			syncRunRow({ runId: '3', status: 'failed', endedAt: '2026-11-30T05:00:00Z' }),
		];
		expect(evaluateAlerts(rows, watchdog)).toEqual([]);
	});
});

describe('bad input', () => {
	it('names the item that is neither a run row nor an Error Trigger item', () => {
		expect(() => evaluateAlerts([syncRunRow(), { member: 'M1' }], runChecks)).toThrow(
			expect.objectContaining({ part: 1, field: 'runId' }),
		);
	});

	it('refuses a share limit outside 0-100%', () => {
		expect(() => evaluateAlerts([], { ...runChecks, maxRejectedShare: 2 })).toThrow(
			'The rejected share limit must be between 0% and 100%, got 200%',
		);
	});
});
