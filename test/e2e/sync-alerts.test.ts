/**
 * Acceptance for 09-sync-alerts in a real n8n, imported as shipped (only its SMTP credential
 * bound), with the mails caught by a local SMTP server this test starts:
 *
 * - the nightly sync reports its run (a stand-in for template 02 calls the template with run rows
 *   through n8n's Execute Workflow node): a failed run, rejected records above 1%, a feed file
 *   older than expected and a missing feed file are each mailed once, with the run's figures;
 * - a workflow that names the template as its error workflow fails: n8n's Error Trigger mails it;
 * - the watchdog reads `loyalty_sync_runs` (rows seeded through n8n's REST API): no success for
 *   30 hours is mailed once, a recent success silences it;
 * - the sync health report reads the same rows through n8n's Data Table node and shows the trend;
 * - a coupon runs low: template 04's own coupon-stock nodes, against the sandbox's Annex Cloud,
 *   record the alert; the hourly run of the template mails it once.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { REWARD_CATALOGUE, ZHANG_MIN_ID } from '../../sandbox/fixtures';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtpCatcher';
import { syncRunRow, type RunRow } from '../support/syncRuns';
import {
	importCredentials,
	importWorkflow,
	n8n,
	nodeOutput,
	postWebhook,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	type CredentialRef,
	type RunLike,
} from './support/n8n';
import { importSandboxCredentials, loadTemplate } from './support/templates';

const ALERTS_TEMPLATE = '09-sync-alerts.json';
const ALERTS_WORKFLOW_ID = 'LoyaltySyncTpl09';
const HOUR_MS = 3_600_000;

/** The columns of `loyalty_sync_runs`, as docs/data-tables.md fixes them. */
const RUN_COLUMNS: Array<[string, 'string' | 'number' | 'date']> = [
	['runId', 'string'],
	['workflow', 'string'],
	['mode', 'string'],
	['status', 'string'],
	['startedAt', 'date'],
	['endedAt', 'date'],
	['durationMs', 'number'],
	['sourceFile', 'string'],
	['sourceFileDate', 'date'],
	['rowsRead', 'number'],
	['rowsRejected', 'number'],
	['newMembers', 'number'],
	['changedMembers', 'number'],
	['removedMembers', 'number'],
	['unchangedMembers', 'number'],
	['sent', 'number'],
	['accepted', 'number'],
	['rejected', 'number'],
	['retries', 'number'],
	['throttled429', 'number'],
	['error', 'string'],
];

let smtp: SmtpCatcher;
let projectId: string;

/** A run row as template 02 records it: a nightly run that started `hoursAgo` hours ago. */
function runRow(runId: string, hoursAgo: number, overrides: RunRow = {}): RunRow {
	const started = Date.now() - hoursAgo * HOUR_MS;
	return syncRunRow({
		runId,
		startedAt: new Date(started).toISOString(),
		endedAt: new Date(started + 185_000).toISOString(),
		sourceFile: 'members-feed.csv',
		sourceFileDate: new Date(started - 2 * HOUR_MS).toISOString(),
		...overrides,
	});
}

/**
 * What template 02 does at the end of a run: its run row(s) go to the alert template through
 * n8n's Execute Workflow node (by workflow id, waiting for it).
 */
function nightlySyncStandIn(rows: object[]) {
	return {
		name: 'Nightly sync stand-in (reports its runs)',
		nodes: [
			{
				id: 'standin-manual',
				name: 'Run now',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'standin-rows',
				name: 'Run rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));`,
				},
			},
			{
				id: 'standin-report',
				name: 'Report the run',
				type: 'n8n-nodes-base.executeWorkflow',
				typeVersion: 1.2,
				position: [440, 0],
				parameters: {
					source: 'database',
					workflowId: { __rl: true, mode: 'id', value: ALERTS_WORKFLOW_ID },
					mode: 'once',
					options: { waitForSubWorkflow: true },
				},
			},
		],
		connections: {
			'Run now': { main: [[{ node: 'Run rows', type: 'main', index: 0 }]] },
			'Run rows': { main: [[{ node: 'Report the run', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Runs the stand-in inside the server, as a schedule would: Data Tables live in the server (an
 * `n8n execute` process refuses them).
 */
async function reportRuns(rows: object[]) {
	const id = await importWorkflow(nightlySyncStandIn(rows));
	await runInServer(id, 'Run now');
}

interface DataTable {
	id: string;
	name: string;
}

async function dataTable(name: string): Promise<DataTable | undefined> {
	const tables = await n8n().rest<{ data: DataTable[] }>(
		'GET',
		`/rest/projects/${projectId}/data-tables`,
	);
	return tables.data.find((table) => table.name === name);
}

async function tableRows(name: string): Promise<Array<Record<string, unknown>>> {
	const table = await dataTable(name);
	if (!table) return [];
	const rows = await n8n().rest<{ data: Array<Record<string, unknown>> }>(
		'GET',
		`/rest/projects/${projectId}/data-tables/${table.id}/rows?take=1000`,
	);
	return rows.data;
}

/** Rows into `loyalty_sync_runs`, created first with its documented columns if needed. */
async function seedRunHistory(rows: object[]): Promise<void> {
	let table = await dataTable('loyalty_sync_runs');
	if (!table) {
		table = await n8n().rest<DataTable>('POST', `/rest/projects/${projectId}/data-tables`, {
			name: 'loyalty_sync_runs',
			columns: RUN_COLUMNS.map(([name, type]) => ({ name, type })),
		});
	}
	await n8n().rest('POST', `/rest/projects/${projectId}/data-tables/${table.id}/insert`, {
		data: rows,
	});
}

/**
 * The editor's "Execute workflow" from the named trigger, in the server, until the run ended;
 * the run must succeed.
 */
async function runInServer(workflowId: string, trigger: string): Promise<RunLike> {
	const { executionId } = await n8n().rest<{ executionId: string }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ triggerToStartFrom: { name: trigger } },
	);
	const deadline = Date.now() + 60_000;
	for (;;) {
		const execution = await n8n().getExecution(executionId);
		if (!['new', 'running', 'waiting'].includes(execution.status)) {
			const error = execution.data.resultData.error;
			expect({ status: execution.status, error: error?.message }).toEqual({
				status: 'success',
				error: undefined,
			});
			return { status: execution.status, data: execution.data };
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not end in 60 s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const runWatchdog = () => runInServer(ALERTS_WORKFLOW_ID, 'Check now (manual)');

/** Lets a mail that should not come arrive anyway before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

beforeAll(async () => {
	smtp = await startSmtpCatcher({ user: 'loyalty-alerts', password: 'smtp-secret' });
	await startN8nForTests();
	const credentials: CredentialRef[] = await importCredentials([
		{
			id: 'smtpCatcher00001',
			name: 'SMTP (test catcher)',
			type: 'smtp',
			data: {
				user: 'loyalty-alerts',
				password: 'smtp-secret',
				host: smtp.host,
				port: smtp.port,
				secure: false,
				disableStartTls: true,
			},
		},
	]);
	await importWorkflow(loadTemplate(ALERTS_TEMPLATE, credentials));
	// Published, as its setup note says: n8n runs the published version of a sub-workflow and
	// of an error workflow, and the watchdog's schedule runs only then.
	await n8n().publishWorkflow(ALERTS_WORKFLOW_ID);
	projectId = (await n8n().rest<{ id: string }>('GET', '/rest/projects/personal')).id;
});

afterAll(async () => {
	await stopN8n();
	await smtp?.close();
});

beforeEach(() => {
	smtp.messages.length = 0;
});

describe('09 sync alerts: the nightly sync reports its run', () => {
	it('mails a failed run once, with its error and its figures', async () => {
		const failed = runRow('run-failed-1', 1, {
			status: 'failed',
			error: 'Ometria answered 503 after 5 attempts',
			sent: 120,
			accepted: 119,
			rejected: 1,
		});
		await reportRuns([failed]);
		const [mail] = await smtp.waitForMessages(1);
		expect(mail).toMatchObject({
			from: 'loyalty-alerts@example.com',
			to: ['loyalty-ops@example.com'],
			user: 'loyalty-alerts',
			subject: '[Loyalty sync] 02 Nightly sync: run run-failed-1 failed',
		});
		expect(mail.text).toContain('- The run failed: Ometria answered 503 after 5 attempts.');
		expect(mail.text).toContain('Rows read: 10,000\n');
		expect(mail.text).toContain('Records sent: 120\n');
		expect(mail.text).toContain('Records rejected: 1\n');
		expect(mail.text).toContain('Duration: 3 min 05 s\n');
		expect(mail.html).toContain('<li>The run failed: Ometria answered 503 after 5 attempts.</li>');

		// Reported again (a retried call): the alert log holds it back.
		await reportRuns([failed]);
		await settle();
		expect(smtp.messages).toHaveLength(1);
		const logged = await tableRows('loyalty_sync_alerts');
		expect(logged.filter((row) => row.alertKey === 'run:run-failed-1')).toEqual([
			expect.objectContaining({ checks: 'runFailed', severity: 'critical' }),
		]);
	});

	it('mails rejected records above 1%, a feed older than expected and a missing feed; not a healthy run', async () => {
		const rejecting = runRow('run-rejecting-1', 1, {
			sent: 1000,
			accepted: 970,
			rejected: 30,
			sourceFileDate: new Date(Date.now() - 41 * HOUR_MS).toISOString(),
		});
		const noFeed = runRow('run-no-feed-1', 1, {
			status: 'stopped',
			sourceFile: '',
			sourceFileDate: null,
			rowsRead: 0,
			error: 'No feed file in the folder',
		});
		const healthy = runRow('run-healthy-1', 1);
		await reportRuns([rejecting, noFeed, healthy]);
		const mails = await smtp.waitForMessages(2);
		await settle();
		expect(smtp.messages).toHaveLength(2);
		const bySubject = Object.fromEntries(mails.map((mail) => [mail.subject, mail]));
		const rejected =
			bySubject['[Loyalty sync] 02 Nightly sync: 3.0% of records rejected (+1 more)'];
		expect(rejected.text).toContain(
			'- 30 of 1,000 records (3.0%) were rejected, above the 1.0% limit.',
		);
		expect(rejected.text).toMatch(/- The feed file members-feed\.csv dates from .*, 40 h before/);
		const missing =
			bySubject[
				'[Loyalty sync] 02 Nightly sync: run run-no-feed-1 stopped by a safety check (+1 more)'
			];
		expect(missing.text).toContain(
			'- The run names no source feed file: the feed was not found or not delivered.',
		);
		expect(missing.text).toContain('Error: No feed file in the folder\n');
	});
});

describe('09 sync alerts: a loyalty workflow fails (Error Trigger)', () => {
	it('mails the failed workflow with its failing node and message', async () => {
		const { productionUrl } = await publishWebhookWorkflow({
			name: 'Failing nightly sync',
			nodes: [
				{
					id: 'failing-webhook',
					name: 'Feed arrived',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '0b7d3f0e-2d54-4d39-8c5e-alerts0e2e01',
					parameters: { httpMethod: 'POST', path: 'alerts-e2e/failing-sync', options: {} },
				},
				{
					id: 'failing-check',
					name: 'Read the feed',
					type: 'n8n-nodes-base.stopAndError',
					typeVersion: 1,
					position: [220, 0],
					parameters: { errorMessage: 'Feed file members-feed.csv not found' },
				},
			],
			connections: {
				'Feed arrived': { main: [[{ node: 'Read the feed', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1', errorWorkflow: ALERTS_WORKFLOW_ID },
		});
		const response = await postWebhook(productionUrl('alerts-e2e/failing-sync'), {});
		expect(response.status).toBe(200);
		const [mail] = await smtp.waitForMessages(1, 60_000);
		expect(mail.subject).toBe('[Loyalty sync] Failing nightly sync: workflow failed');
		expect(mail.text).toContain(
			'- The workflow stopped with an error in node "Read the feed": Feed file members-feed.csv not found',
		);
		expect(mail.text).toMatch(/Execution link: http:\/\/\S+\/executions\/\d+\n/);
	});
});

describe('09 sync alerts: the watchdog', () => {
	it('mails once when no run succeeded for 30 hours, and keeps quiet after a success', async () => {
		await seedRunHistory([
			runRow('watch-success-old', 30.2),
			runRow('watch-failed-recent', 2, { status: 'failed', error: 'timeout' }),
		]);
		await runWatchdog();
		const [mail] = await smtp.waitForMessages(1);
		expect(mail.subject).toBe('[Loyalty sync] 02 Nightly sync: no successful run for 30 h');
		expect(mail.text).toContain('Last successful run: watch-success-old\n');
		expect(mail.text).toContain('Hours allowed without a success: 26\n');

		// The next hour: the same silence, no second mail.
		await runWatchdog();
		await settle();
		expect(smtp.messages).toHaveLength(1);

		// A run succeeds: nothing to say.
		await seedRunHistory([runRow('watch-success-new', 0.5)]);
		await runWatchdog();
		await settle();
		expect(smtp.messages).toHaveLength(1);
	});
});

describe('the sync health report reads the run history', () => {
	// Reads the rows the watchdog test recorded: the same table a nightly sync writes.
	it('shows the trend of the recorded runs, with no mapping node', async () => {
		const id = await importWorkflow({
			name: 'Sync health from the run history',
			nodes: [
				{
					id: 'health-manual',
					name: 'Run now',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'health-rows',
					name: 'Run history',
					type: 'n8n-nodes-base.dataTable',
					typeVersion: 1.1,
					position: [220, 0],
					parameters: {
						resource: 'row',
						operation: 'get',
						dataTableId: { __rl: true, mode: 'name', value: 'loyalty_sync_runs' },
						limit: 30,
						orderBy: true,
						orderByColumn: 'startedAt',
						orderByDirection: 'DESC',
					},
				},
				{
					id: 'health-report',
					name: 'Sync health report',
					type: 'n8n-nodes-loyalty-sync.loyaltyReport',
					typeVersion: 1,
					position: [440, 0],
					parameters: {
						reportType: 'syncHealth',
						inputMode: 'allItems',
						formats: [],
						options: {},
					},
				},
			],
			connections: {
				'Run now': { main: [[{ node: 'Run history', type: 'main', index: 0 }]] },
				'Run history': { main: [[{ node: 'Sync health report', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		const run = await runInServer(id, 'Run now');
		const [report] = nodeOutput(run, 'Sync health report');
		// The three runs the watchdog test recorded.
		expect(report.history).toMatchObject({
			trendRuns: 3,
			succeeded: 2,
			failed: 1,
			lastRun: { runId: 'watch-success-new', status: 'success' },
		});
		expect(report.history).toEqual(
			expect.objectContaining({
				runs: [
					expect.objectContaining({ runId: 'watch-success-old', status: 'success', sent: 205 }),
					expect.objectContaining({ runId: 'watch-failed-recent', error: 'timeout' }),
					expect.objectContaining({ runId: 'watch-success-new' }),
				],
			}),
		);
		expect(report.suggestions).toContain(
			'1 of the last 3 run(s) failed or stopped; the latest, run watch-failed-recent, says: timeout.',
		);
	});
});

describe('09 sync alerts: a coupon running low', () => {
	const CARE_TEMPLATE = '04-key-date-care.json';
	// A reward the sandbox has only a few of: below 04's default threshold of 50.
	const lowReward = REWARD_CATALOGUE.find((reward) => reward.stock > 0 && reward.stock < 50)!;
	const runDate = new Date().toISOString().slice(0, 10);
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});

	afterAll(async () => {
		await sandbox?.close();
	});

	/**
	 * Template 04's coupon-stock check as shipped (its Settings, alert log, Annex Cloud call and
	 * alert nodes), for one member due a birthday coupon of the low reward.
	 */
	async function careStockCheck(): Promise<string> {
		const care = loadTemplate(CARE_TEMPLATE, await importSandboxCredentials(sandbox), {
			settings: { runDate, birthdayRewardId: String(lowReward.rewardId) },
		});
		const shipped = [
			'Settings',
			'Alert log table',
			'Coupon stock',
			'Coupon stock low?',
			'Coupon stock alert',
			'Not alerted yet',
			'Record coupon stock alert',
		];
		const order = [
			'Run now',
			'Settings',
			'Alert log table',
			'Member due a coupon',
			...shipped.slice(2),
		];
		return await importWorkflow({
			name: '04 Key-date care (its coupon-stock check)',
			nodes: [
				{
					id: 'stock-manual',
					name: 'Run now',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'stock-member',
					name: 'Member due a coupon',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [660, 0],
					parameters: { jsCode: `return [{ json: { loyaltyId: '${ZHANG_MIN_ID}' } }];` },
				},
				...care.nodes.filter((node) => shipped.includes(node.name)),
			],
			connections: Object.fromEntries(
				order
					.slice(0, -1)
					.map((name, index) => [
						name,
						{ main: [[{ node: order[index + 1], type: 'main', index: 0 }]] },
					]),
			),
			settings: { executionOrder: 'v1' },
		});
	}

	it('mails the alert template 04 recorded, once', async () => {
		await runInServer(await careStockCheck(), 'Run now');
		const alertKey = `coupon-stock:${lowReward.rewardId}:${runDate}`;
		expect(
			(await tableRows('loyalty_sync_alerts')).find((row) => row.alertKey === alertKey),
		).toMatchObject({ checks: 'coupon_stock', severity: 'warning' });
		// 04 only records it: the mail is the alert template's.
		await settle();
		expect(smtp.messages).toHaveLength(0);

		await runWatchdog();
		const [mail] = await smtp.waitForMessages(1);
		const finding = `Birthday coupon ${lowReward.rewardId} (${lowReward.displayText}): ${lowReward.stock} left, below 50`;
		expect(mail).toMatchObject({
			from: 'loyalty-alerts@example.com',
			to: ['loyalty-ops@example.com'],
			subject: `[Loyalty sync] 04 Key-date care (its coupon-stock check): ${finding}`,
		});
		expect(mail.text).toContain(`- ${finding}. Members whose coupon cannot be issued`);
		expect(mail.text).toContain(`Alert: ${alertKey}\n`);
		expect(mail.html).toContain(`<li>${finding}. Members whose coupon cannot be issued`);

		// The next hour: already mailed, and the watchdog itself has nothing to say.
		await runWatchdog();
		await settle();
		expect(smtp.messages).toHaveLength(1);
		const logged = await tableRows('loyalty_sync_alerts');
		expect(logged.filter((row) => row.alertKey === `mail:${alertKey}`)).toEqual([
			expect.objectContaining({ checks: 'coupon_stock', severity: 'warning' }),
		]);
	});
});
