import { ReportInputError } from '../../../nodes/LoyaltyReport/logic/inputValues';
import { renderCsv, renderHtml } from '../../../nodes/LoyaltyReport/logic/render';
import { syncHealthDocument } from '../../../nodes/LoyaltyReport/logic/reportDocument';
import { readRun, summariseRuns } from '../../../nodes/LoyaltyReport/logic/runHistory';
import {
	checkSyncHealth,
	DEFAULT_SYNC_HEALTH_OPTIONS,
	mergeSyncHealthParts,
} from '../../../nodes/LoyaltyReport/logic/syncHealth';
import { nightlyRuns, syncRunRow } from '../../support/syncRuns';

describe('readRun', () => {
	it('reads a run history row with numbers and dates as the Data Table returns them', () => {
		const run = readRun(
			syncRunRow({ rowsRead: '10000', startedAt: '2026-11-30T03:00:00+01:00' }),
			'run',
		);
		expect(run).toMatchObject({
			runId: '1001',
			status: 'success',
			rowsRead: 10_000,
			startedAt: '2026-11-30T02:00:00.000Z',
			error: null,
		});
	});

	it('works out the duration from start and end when the row has none', () => {
		expect(readRun(syncRunRow({ durationMs: null }), 'run').durationMs).toBe(185_000);
	});

	it('names the field of an unknown status, a bad count and a bad date', () => {
		expect(() => readRun(syncRunRow({ status: 'done' }), 'runs[2]')).toThrow(
			'\'runs[2].status\' must be one of running, success, failed, stopped, got "done"',
		);
		expect(() => readRun(syncRunRow({ sent: 'many' }), 'runs[0]')).toThrow(
			expect.objectContaining({ field: 'runs[0].sent' }),
		);
		expect(() => readRun(syncRunRow({ endedAt: 'yesterday' }), 'runs[0]', 4)).toThrow(
			expect.objectContaining({ field: 'runs[0].endedAt', part: 4 }),
		);
	});

	it('refuses a row without a run id', () => {
		expect(() => readRun({ status: 'success' }, 'runs[1]')).toThrow(ReportInputError);
	});
});

describe('summariseRuns', () => {
	it('keeps the most recent runs, oldest first, and counts them by status', () => {
		const rows = nightlyRuns(35).map((row) => readRun(row, 'run'));
		rows[33] = { ...rows[33], status: 'failed', error: 'Ometria answered 500' };
		rows[32] = { ...rows[32], status: 'stopped', error: 'feed has 0 rows' };
		const history = summariseRuns([...rows].reverse(), 30, []);
		expect(history.trendRuns).toBe(30);
		expect(history.rowsGiven).toBe(35);
		expect(history.runs[0].runId).toBe('1005');
		expect(history.runs[29].runId).toBe('1034');
		expect(history).toMatchObject({
			succeeded: 28,
			failed: 1,
			stopped: 1,
			running: 0,
			lastRun: { runId: '1034', status: 'success' },
			lastSuccessAt: '2026-11-30T02:01:00.000Z',
			averageDurationMs: 60_000,
		});
		expect(history.runSuccessRate).toBeCloseTo(28 / 30, 10);
	});

	it('totals only finished runs and gives no total when one run lacks the figure', () => {
		const finished = readRun(syncRunRow({ runId: 'a', accepted: 90, rejected: 10 }), 'run');
		const running = readRun(
			syncRunRow({ runId: 'b', status: 'running', endedAt: null, accepted: null }),
			'run',
		);
		expect(summariseRuns([finished, running], 30, [])).toMatchObject({
			accepted: 90,
			rejected: 10,
			rejectedShare: 0.1,
			running: 1,
		});
		const unknown = readRun(syncRunRow({ runId: 'c', accepted: null }), 'run');
		expect(summariseRuns([finished, unknown], 30, []).accepted).toBeNull();
	});

	it('keeps the last row of a run given twice and says so', () => {
		const warnings: string[] = [];
		const started = readRun(syncRunRow({ status: 'running', endedAt: null }), 'run');
		const ended = readRun(syncRunRow(), 'run');
		const history = summariseRuns([started, ended], 30, warnings);
		expect(history.runs).toHaveLength(1);
		expect(history.runs[0].status).toBe('success');
		expect(warnings).toEqual(['Run 1001 appears more than once in the run history.']);
	});
});

describe('sync health with the run history', () => {
	const runs = nightlyRuns(3);
	runs[1] = { ...runs[1], status: 'failed', error: 'Ometria answered 500', sent: 0 };

	it('shows the trend as figures, a chart and a table', () => {
		const figures = checkSyncHealth({ runs });
		expect(figures.history).toMatchObject({ trendRuns: 3, succeeded: 2, failed: 1 });
		expect(figures.suggestions).toContain(
			'1 of the last 3 run(s) failed or stopped; the latest, run 1001, says: Ometria answered 500.',
		);
		const document = syncHealthDocument(figures, '2026-11-30 06:00 UTC');
		const headings = document.sections.map((section) => section.heading);
		expect(headings).toEqual(
			expect.arrayContaining([
				'Run history: the last 3 run(s)',
				'Records sent per run',
				'Rejected share per run',
				'Runs, oldest first (times in UTC)',
			]),
		);
		const html = renderHtml(document);
		expect(html).toContain('<td>1001</td><td>failed</td>');
		expect(html).toContain('11-29 02:00 failed');
		const csv = renderCsv(document);
		expect(csv).toContain('"Runs, oldest first (times in UTC)",2026-11-30 02:00,Sent,102,102');
		expect(csv).toContain('Run history: the last 3 run(s),,Average duration,60000,1 min 00 s');
	});

	it('takes run rows given as separate items, as the Data Table node outputs them', () => {
		const merged = mergeSyncHealthParts(
			[...runs, { accepted: 10, rejected: 0 }],
			DEFAULT_SYNC_HEALTH_OPTIONS.idField,
		);
		expect(merged.runs).toHaveLength(3);
		expect(checkSyncHealth(merged).history?.failed).toBe(1);
	});

	it('names the item of a bad run row', () => {
		expect(() => mergeSyncHealthParts([runs[0], { ...runs[1], startedAt: 'soon' }], 'id')).toThrow(
			expect.objectContaining({ field: 'run.startedAt', part: 1 }),
		);
	});

	it('says so when none of the runs succeeded', () => {
		const failed = nightlyRuns(2).map((row) => ({ ...row, status: 'failed' }));
		expect(checkSyncHealth({ runs: failed }).suggestions).toContain(
			"None of the last 2 run(s) succeeded: check the nightly sync's schedule, credentials and feed.",
		);
	});
});
