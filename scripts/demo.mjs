#!/usr/bin/env node
/**
 * `npm run demo`: the whole package in a real n8n against the local sandbox, from one command.
 *
 *   1. npm run build
 *   2. start the sandbox (Annex Cloud + Ometria stand-in) on a free port with DEMO_MEMBERS
 *      (100,000) generated members besides the 102 fixtures
 *   3. provision n8n (cached under ~/.cache/loyalty-sync; minutes on a fresh machine only) and
 *      start it with the built package installed as a community package
 *   4. import credentials pointing at the sandbox, the smoke workflow and every template in
 *      workflows-templates/ (credentials bound by type, report folders pointed at REPORT_FOLDER;
 *      every workflow in one `n8n import:workflow`), run the smoke workflow and the templates
 *      listed in DEMO_TEMPLATES inside the running n8n, from their Manual Trigger as the editor's
 *      "Execute workflow" does (no `n8n execute`, which boots another n8n); template 01 also runs
 *      published, fed by the sandbox's webhook sender (with replays, which start nothing)
 *      Template 02 runs twice on the member feed the sandbox writes (as Annex Cloud's Data Feed
 *      would): day one (a first sync of every member), then the next day's feed (2% changed,
 *      0.5% opted out, 1% new), which sends only those.
 *   5. print one row per run (status, duration, what the sandbox saw), then what was synced,
 *      what was excluded and why, and where the reports lie. A progress line every 10 s during
 *      every step that takes longer (build, n8n start, imports, feeds; while a workflow runs:
 *      elapsed time and records Ometria accepted so far).
 *
 * Flags: --keep leaves n8n and the sandbox running (editor URL and owner login printed) until
 * Ctrl-C; --skip-build uses dist/ as it is; --members N changes DEMO_MEMBERS; --care-templates also
 * runs 03 and 04 (they page through the same member feed and call the Annex Cloud API only for
 * the members their rules pick; not yet timed at 100,000 members). Env:
 * LOYALTY_SYNC_PACKAGE_DIR installs another built package; N8N_VERSION pins n8n. Exit code 1
 * when any workflow failed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

import {
	OWNER,
	REPO_ROOT,
	isBuildFresh,
	loadJson,
	provision,
	startN8n,
	summarizeRun,
} from './n8n/instance.mjs';

/**
 * Templates (file names in workflows-templates/) the demo executes, in order. Each needs a Manual
 * Trigger (the demo runs it from there, as the editor does); credentials are bound by type to the sandbox ones.
 * Templates not listed are still imported, to look at in the editor with --keep.
 */
const NIGHTLY = '02-nightly-reconciliation.json';
const CARE_TEMPLATES = ['03-segment-sync.json', '04-key-date-care.json'];

/** Generated Annex Cloud members in the sandbox besides the 102 fixtures (`--members N`). */
const DEMO_MEMBERS = 100_000;

/** The next day's feed: shares of members changed, opted out and new. */
const NEXT_DAY = { changed: 0.02, optedOut: 0.005, new: 0.01 };

/** How often a running workflow reports progress. */
const PROGRESS_MS = 10_000;

/** Webhook deliveries the sandbox posts to the published template 01, and byte-for-byte replays. */
const DEMO_WEBHOOKS = { count: 20, replay: 5 };

/**
 * Where templates write their reports: n8n 2.x reads and writes files only under
 * N8N_RESTRICT_FILE_ACCESS_TO, by default ~/.n8n-files of the user running n8n.
 */
const REPORT_FOLDER = join(homedir(), '.n8n-files', 'loyalty-sync-demo');

const SMOKE_WORKFLOW = 'test/e2e/fixtures/smoke.workflow.json';
const SANDBOX_CREDENTIALS = 'test/e2e/fixtures/sandbox.credentials.json';

const argv = process.argv.slice(2);
const args = new Set(argv);
const keep = args.has('--keep');
const DEMO_TEMPLATES = [
	'01-real-time-loyalty-sync.json',
	NIGHTLY,
	...(args.has('--care-templates') ? CARE_TEMPLATES : []),
	'08-campaign-review.json',
];
const membersFlag = argv.indexOf('--members');
const members = membersFlag >= 0 ? Number(argv[membersFlag + 1]) : DEMO_MEMBERS;
const packageDir = resolve(process.env.LOYALTY_SYNC_PACKAGE_DIR ?? REPO_ROOT);

const step = (message) => console.error(`\n▸ ${message}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** A progress line every PROGRESS_MS while a step runs, so a slow machine never looks stuck. */
async function withProgress(label, work) {
	const started = Date.now();
	const timer = setInterval(
		() => console.error(`  … ${label}: ${seconds(started)} elapsed`),
		PROGRESS_MS,
	);
	try {
		return await work();
	} finally {
		clearInterval(timer);
	}
}

/** `npm run build` as a child, so the progress timer keeps ticking while it compiles. */
function buildInBackground(dir) {
	return new Promise((done, reject) => {
		const child = spawn('npm', ['run', 'build'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? done() : reject(new Error(`npm run build failed:\n${output.slice(-6000)}`)),
		);
	});
}

/** n8n's workflow ids: 16 letters and digits. */
function workflowId() {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(randomBytes(16), (byte) => alphabet[byte % alphabet.length]).join('');
}

/**
 * Every workflow in one `n8n import:workflow` (each CLI call boots n8n, a minute on a loaded
 * machine); templates keep their ids, which other templates call them by.
 */
async function importWorkflows(n8n, workflows) {
	const list = workflows.map((workflow) => ({
		active: false,
		settings: { executionOrder: 'v1' },
		...workflow,
		id: workflow.id ?? workflowId(),
	}));
	await n8n.cliOrThrow(['import:workflow', `--input=${n8n.writeImportFile('workflow', list)}`]);
	return list.map((workflow) => workflow.id);
}

/** The Manual Trigger a run starts from, as the editor's "Execute workflow" does. */
function manualTrigger(workflow) {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error(`${workflow.name} has no Manual Trigger to run it from`);
	return trigger.name;
}

/**
 * The sandbox CLI (sandbox/cli.ts through scripts/run-ts.mjs) as a child on a free port, with
 * the demo's members; it stops with the demo (SIGINT, or when the demo's process dies).
 */
function startSandboxProcess() {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(
			process.execPath,
			[
				join(REPO_ROOT, 'scripts', 'run-ts.mjs'),
				join(REPO_ROOT, 'sandbox', 'cli.ts'),
				'--port',
				'0',
				'--members',
				String(members),
			],
			{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
		);
		process.on('exit', () => child.kill('SIGINT'));
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const url = /listening on (http:\/\/\S+)/.exec(buffer)?.[1];
			if (url) {
				child.stdout.removeAllListeners('data');
				child.stdout.resume();
				resolvePromise({
					url,
					ometriaBaseUrl: `${url}/ometria/v2`,
					annexBaseUrl: `${url}/annex/api/3.0`,
					close: () =>
						new Promise((done) => {
							child.once('exit', done);
							child.kill('SIGINT');
						}),
				});
			}
		});
		child.on('error', reject);
		child.on('exit', (code) =>
			reject(new Error(`sandbox exited with ${code} before it was ready`)),
		);
	});
}

async function sandboxStats(sandbox) {
	const response = await fetch(`${sandbox.url}/_sandbox/stats`);
	return await response.json();
}

/** What the sandbox saw between two stats snapshots: requests by outcome and records written. */
function sandboxDelta(before, after) {
	let ok = 0;
	let refused = 0;
	for (const [endpoint, byStatus] of Object.entries(after.responses)) {
		for (const [status, count] of Object.entries(byStatus)) {
			const delta = count - (before.responses[endpoint]?.[status] ?? 0);
			if (Number(status) < 400) ok += delta;
			else refused += delta;
		}
	}
	const annexWrites = (stats) =>
		stats.annex.redemptions + stats.annex.assignments + stats.annex.tierChanges;
	return {
		requests: `${ok} ok${refused ? `, ${refused} refused` : ''}`,
		ometriaRecords: after.ometria.recordsAccepted - before.ometria.recordsAccepted,
		annexWrites: annexWrites(after) - annexWrites(before),
	};
}

/** Points every node credential of a type we imported at our sandbox credential. */
function bindCredentials(workflow, credentials) {
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = credentials.find((candidate) => candidate.type === type);
			if (credential) node.credentials[type] = { id: credential.id, name: credential.name };
		}
	}
	return workflow;
}

/** The folder templates ship with for their files: n8n's Docker image's ~/.n8n-files. */
const SHIPPED_FILES_FOLDER = '/home/node/.n8n-files';

/**
 * What a user sets after import besides credentials: the folders reports are written to (the
 * templates' Settings nodes), moved from the Docker default under REPORT_FOLDER, and created.
 */
function pointReportsAt(workflow, folder) {
	const text = JSON.stringify(workflow.nodes).replaceAll(SHIPPED_FILES_FOLDER, folder);
	for (const [path] of text.matchAll(/[^"\s\\]+/g)) {
		// A file path (member feed, snapshot) needs its folder, a folder path the folder itself.
		if (path.startsWith(`${folder}/`))
			mkdirSync(/\.\w+$/.test(path) ? dirname(path) : path.replace(/\/+$/, ''), {
				recursive: true,
			});
	}
	workflow.nodes = JSON.parse(text);
	return workflow;
}

/**
 * What a user of a large program sets in template 02 besides the folders: every member of the
 * first sync in one run (the default, 50,000 per run, spreads a first sync over several nights).
 */
function setNightlySettings(workflow) {
	const settings = workflow.nodes.find((node) => node.name === 'Settings');
	const limit = settings.parameters.assignments.assignments.find(
		(entry) => entry.name === 'maxMembersPerRun',
	);
	limit.value = 1_000_000;
}

/** Where template 02 reads the feed and keeps the snapshot, after pointReportsAt. */
function nightlyFiles(workflow) {
	const settings = workflow.nodes.find((node) => node.name === 'Settings');
	const value = (name) =>
		settings.parameters.assignments.assignments.find((entry) => entry.name === name).value;
	return { feedPath: value('feedPath'), snapshotPath: value('snapshotPath') };
}

/**
 * The editor's "Execute workflow" from the Manual Trigger, inside the running n8n (template 02
 * keeps its run history in a Data Table, which `n8n execute` runs without; and each `n8n execute`
 * boots another n8n).
 */
async function executeInServer(n8n, workflowId, trigger, progress) {
	const started = Date.now();
	const timer = setInterval(
		() => progress(`${seconds(started)} elapsed`).catch(() => {}),
		PROGRESS_MS,
	);
	try {
		const { executionId } = await n8n.rest('POST', `/rest/workflows/${workflowId}/run`, {
			triggerToStartFrom: { name: trigger },
		});
		for (;;) {
			const execution = await n8n.getExecution(executionId).catch(() => undefined);
			if (execution && !['new', 'running', 'waiting'].includes(execution.status))
				return {
					run: { status: execution.status, data: execution.data },
					seconds: (Date.now() - started) / 1000,
				};
			await new Promise((done) => setTimeout(done, 1000));
		}
	} finally {
		clearInterval(timer);
	}
}

/** The `json` of a node's items on one output (last run), or [] when it did not run. */
function outputOf(run, nodeName, output = 0) {
	const runs = run.data.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[output] ?? []).map((item) => item.json);
}

const percent = (value) => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : 'n/a');
const reasons = (byReason = {}) =>
	Object.entries(byReason)
		.filter(([, count]) => count > 0)
		.map(([reason, count]) => `${reason.replaceAll('_', ' ')} ${count}`)
		.join(', ') || 'none';

/** Lines about what one template's run synced, excluded and wrote, read from its node outputs. */
function describeRun(file, run) {
	const lines = [];
	const summaries = (node) =>
		outputOf(run, node, 1)
			.filter((item) => item.summary)
			.map((item) => item.summary);
	const pushSummary = (node) => outputOf(run, node).find((item) => item.summary)?.summary;
	if (file.startsWith('01-')) {
		const profile = outputOf(run, 'Get loyalty profile')[0];
		if (profile) {
			lines.push(
				`sample event for ${profile.loyaltyId}: contact upserted (${profile.currentTier}, ${profile.availablePoints} points), event sent`,
			);
		}
	}
	const nightly = outputOf(run, 'Run result')[0];
	if (nightly) {
		lines.push(
			`member feed ${nightly.sourceFile}: ${nightly.rowsRead} rows (${nightly.rowsRejected} rejected) → ${nightly.newMembers} new, ${nightly.changedMembers} changed, ${nightly.removedMembers} removed, ${nightly.unchangedMembers} unchanged; ${nightly.accepted} of ${nightly.sent} sent accepted by Ometria; run ${nightly.status}, recorded in loyalty_sync_runs${nightly.status === 'success' ? ', snapshot stored' : ''}`,
		);
	}
	const upsert = pushSummary('Upsert loyalty contacts');
	if (upsert) {
		lines.push(
			`${upsert.accepted} of ${upsert.items} loyalty contacts upserted to Ometria (${upsert.rejected} rejected, ${upsert.requests} requests, ${upsert.throttled429} answered 429)`,
		);
	}
	const health = outputOf(run, 'Sync health report')[0];
	if (health) {
		lines.push(
			`sync health: success rate ${percent(health.push?.successRate)}, consistency score ${percent(health.reconciliation?.consistencyScore)} over ${health.reconciliation?.sourceMembers} sampled members`,
		);
	}
	const campaign = outputOf(run, 'Campaign log')[0];
	if (campaign?.message) lines.push(campaign.message);
	const entered = outputOf(run, 'Add to Lapsed Platinum segment').length;
	if (campaign) lines.push(`segment: ${entered} added, ${campaign.exited?.length ?? 0} removed`);
	for (const [node, label] of [
		['Key dates due today', 'key-date care'],
		['Points expiring soon', 'points expiring'],
	]) {
		for (const summary of summaries(node)) {
			const steps = Object.entries(summary.keyDateSteps ?? {})
				.map(([step, count]) => `${step} ${count}`)
				.join(', ');
			lines.push(
				`${label}: ${summary.audience} members${steps ? ` (${steps})` : ''}; excluded ${summary.excluded}: ${reasons(summary.excludedByReason)}; SMS withheld from ${summary.suppressedByChannel?.sms ?? 0} unsubscribed`,
			);
		}
	}
	const coupons = outputOf(run, 'Assign birthday coupon').length;
	if (file.startsWith('04-')) lines.push(`birthday coupons assigned in Annex Cloud: ${coupons}`);
	return lines;
}

function printTable(rows) {
	const headers = [
		'workflow',
		'status',
		'duration',
		'sandbox requests',
		'Ometria records',
		'Annex writes',
	];
	const cells = rows.map((row) => [
		row.name,
		row.status,
		row.duration,
		row.requests,
		String(row.ometriaRecords),
		String(row.annexWrites),
	]);
	const widths = headers.map((header, i) =>
		Math.max(header.length, ...cells.map((cell) => cell[i].length)),
	);
	const line = (values) => values.map((value, i) => value.padEnd(widths[i])).join('  ');
	console.log(`\n${line(headers)}\n${line(widths.map((width) => '-'.repeat(width)))}`);
	for (const cell of cells) console.log(line(cell));
}

async function main() {
	const started = Date.now();
	const cleanup = [];
	const shutdown = async () => {
		for (const close of cleanup.reverse()) await close();
	};
	process.on('SIGINT', () => shutdown().then(() => process.exit(130)));

	try {
		if (args.has('--skip-build')) step('build skipped (--skip-build)');
		else if (isBuildFresh(packageDir)) step('build: dist/ is newer than every source, kept');
		else {
			step(`npm run build in ${relative(process.cwd(), packageDir) || '.'}`);
			const mark = Date.now();
			await withProgress('build', () => buildInBackground(packageDir));
			console.error(`  built in ${seconds(mark)}`);
		}

		step('sandbox');
		const sandbox = await startSandboxProcess();
		cleanup.push(() => sandbox.close());
		console.error(
			`  ${sandbox.url}  (Annex ${sandbox.annexBaseUrl}, Ometria ${sandbox.ometriaBaseUrl})`,
		);

		step('n8n: provision (cached) and start');
		let mark = Date.now();
		const provisioned = await withProgress('provision', () => provision());
		console.error(
			`  n8n ${provisioned.n8n.version} on Node ${provisioned.node.version}, provisioned in ${seconds(mark)}`,
		);
		mark = Date.now();
		// A fresh user folder each time: a workflow left published by an earlier demo would hold
		// template 01's webhook path.
		const userFolder = join(REPO_ROOT, '.n8n-e2e', 'demo');
		rmSync(userFolder, { recursive: true, force: true });
		const n8n = await withProgress('n8n start', () =>
			startN8n({ provisioned, packageDir, userFolder }),
		);
		cleanup.push(() => n8n.stop());
		console.error(
			`  ${n8n.url} ready in ${seconds(mark)} with ${n8n.installedPackage.name}@${n8n.installedPackage.version}`,
		);

		step('import credentials and workflows');
		const credentials = await withProgress('import credentials', () =>
			n8n.importCredentials(loadJson(SANDBOX_CREDENTIALS, { SANDBOX_URL: sandbox.url })),
		);
		const templateDir = join(REPO_ROOT, 'workflows-templates');
		mkdirSync(REPORT_FOLDER, { recursive: true });
		const templates = existsSync(templateDir)
			? readdirSync(templateDir)
					.filter((file) => file.endsWith('.json'))
					.sort()
			: [];
		const workflows = [
			{ file: SMOKE_WORKFLOW, workflow: loadJson(SMOKE_WORKFLOW, { SANDBOX_URL: sandbox.url }) },
			...templates.map((file) => {
				const workflow = pointReportsAt(
					bindCredentials(loadJson(join('workflows-templates', file)), credentials),
					REPORT_FOLDER,
				);
				if (file === NIGHTLY) setNightlySettings(workflow);
				return { file: join('workflows-templates', file), template: file, workflow };
			}),
		];
		const ids = await withProgress('import workflows', () =>
			importWorkflows(
				n8n,
				workflows.map(({ workflow }) => workflow),
			),
		);
		const toRun = [];
		const imported = new Map();
		for (const [index, { file, template, workflow }] of workflows.entries()) {
			const id = ids[index];
			const trigger = manualTrigger(workflow);
			if (template) imported.set(template, { id, workflow });
			if (template === NIGHTLY) {
				const { feedPath, snapshotPath } = nightlyFiles(workflow);
				rmSync(snapshotPath, { force: true });
				const feed = (nextDay) => async () => {
					const written = await withProgress('member feed', () =>
						fetch(`${sandbox.url}/_sandbox/feed`, {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify({ path: feedPath, nextDay }),
						}).then((response) => response.json()),
					);
					console.error(
						`  member feed ${feedPath}: ${written.rows} rows${nextDay ? ` (${written.changed} changed, ${written.optedOut} opted out, ${written.new} new)` : ''}`,
					);
				};
				toRun.push({
					file,
					template,
					id,
					trigger,
					label: 'day one: first sync of every member',
					prepare: feed(undefined),
				});
				toRun.push({
					file,
					template,
					id,
					trigger,
					label: 'day two: only what changed',
					prepare: feed(NEXT_DAY),
				});
			} else if (!template || DEMO_TEMPLATES.includes(template))
				toRun.push({ file, template, id, trigger });
		}
		for (const file of DEMO_TEMPLATES.filter((listed) => !templates.includes(listed))) {
			throw new Error(`DEMO_TEMPLATES lists ${file}, which is not in workflows-templates/`);
		}
		console.error(
			`  2 credentials, ${1 + templates.length} workflows (${templates.length} templates)`,
		);

		step(`run ${toRun.length} workflow(s) inside n8n (${members} generated members)`);
		const rows = [];
		const notes = [];
		for (const { file, template, id, trigger, label, prepare } of toRun) {
			if (prepare) await prepare();
			const before = await sandboxStats(sandbox);
			const name = `${loadJson(file, { SANDBOX_URL: sandbox.url }).name ?? file}${label ? ` (${label})` : ''}`;
			const progress = async (elapsed) => {
				const now = await sandboxStats(sandbox);
				console.error(
					`  … ${name}: ${elapsed}, ${now.ometria.recordsAccepted - before.ometria.recordsAccepted} records accepted by Ometria so far`,
				);
			};
			const { run, seconds: took } = await executeInServer(n8n, id, trigger, progress);
			const summary = summarizeRun(run);
			const after = await sandboxStats(sandbox);
			rows.push({
				name,
				status:
					summary.status === 'success'
						? 'success'
						: `${summary.status}: ${summary.error ?? ''} (${summary.lastNode})`,
				duration: `${took.toFixed(1)} s`,
				...sandboxDelta(before, after),
			});
			if (template) notes.push({ name, lines: describeRun(template, run) });
			console.error(`  ${name}: ${summary.status} in ${took.toFixed(1)} s`);
		}

		const realTime = imported.get('01-real-time-loyalty-sync.json');
		if (realTime && DEMO_TEMPLATES.includes('01-real-time-loyalty-sync.json')) {
			step(
				`publish template 01; the sandbox posts ${DEMO_WEBHOOKS.count} Annex Cloud events and ${DEMO_WEBHOOKS.replay} replays`,
			);
			const before = await sandboxStats(sandbox);
			const started = Date.now();
			await n8n.publishWorkflow(realTime.id);
			const trigger = realTime.workflow.nodes.find(
				(node) => node.type === 'n8n-nodes-loyalty-sync.annexCloudTrigger',
			);
			const sent = await fetch(`${sandbox.url}/_sandbox/webhooks/send`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					url: n8n.productionWebhookUrl(`${trigger.webhookId}/webhook`),
					...DEMO_WEBHOOKS,
				}),
			}).then((response) => response.json());
			let finished = [];
			while (Date.now() - started < 180_000) {
				finished = (await n8n.listExecutions(realTime.id)).filter(
					(execution) =>
						execution.mode === 'webhook' &&
						!['new', 'running', 'waiting'].includes(execution.status),
				);
				if (finished.length >= DEMO_WEBHOOKS.count) break;
				await new Promise((done) => setTimeout(done, 500));
			}
			const failedRuns = finished.filter((execution) => execution.status !== 'success').length;
			const after = await sandboxStats(sandbox);
			const name = `${realTime.workflow.name} (published, webhooks)`;
			rows.push({
				name,
				status: failedRuns ? `${failedRuns} failed` : 'success',
				duration: `${seconds(started)}`,
				...sandboxDelta(before, after),
			});
			notes.push({
				name,
				lines: [
					`${sent.counts?.valid ?? '?'} events delivered, ${finished.length} executions; ${sent.counts?.replay ?? 0} replays answered "ignored" and started nothing`,
				],
			});
		}
		printTable(rows);

		const state = await fetch(`${sandbox.url}/_sandbox/state?summary=1`).then((response) =>
			response.json(),
		);
		console.log('\nWhat the templates did');
		for (const { name, lines } of notes) {
			if (!lines.length) continue;
			console.log(`  ${name}`);
			for (const line of lines) console.log(`    - ${line}`);
		}
		const lists = state.ometria.lists
			.filter((list) => list.size > 0)
			.map((list) => `${list.title} ${list.size}`)
			.join(', ');
		console.log(
			`\nOmetria now holds ${state.ometria.collectionSizes.loyalty ?? 0} loyalty contacts, ${state.ometria.eventCount} events (${state.ometria.duplicateEvents} repeats ignored), segments: ${lists || 'none'}`,
		);
		console.log(
			`Annex Cloud: ${state.annex.assignments.length} coupons assigned, ${state.annex.redemptions.length} rewards redeemed`,
		);
		const reports = readdirSync(REPORT_FOLDER, { recursive: true })
			.map((file) => join(REPORT_FOLDER, file))
			.filter((file) => statSync(file).isFile() && statSync(file).mtimeMs >= started)
			.sort();
		console.log(`\nReports written by this run (PDF, HTML, CSV) under ${REPORT_FOLDER}:`);
		for (const report of reports) console.log(`  ${report}`);
		const failed = rows.filter((row) => row.status !== 'success').length;
		console.log(
			`\n${rows.length - failed}/${rows.length} succeeded; demo took ${seconds(started)}.`,
		);

		if (keep) {
			console.log(`\nn8n editor: ${n8n.url}\n  login ${OWNER.email} / ${OWNER.password}`);
			console.log(`sandbox:    ${sandbox.url}/_sandbox/stats\nCtrl-C stops both.`);
			await new Promise(() => {});
		}
		await shutdown();
		process.exitCode = failed > 0 ? 1 : 0;
	} catch (error) {
		await shutdown();
		throw error;
	}
}

main().catch((error) => {
	console.error(`\ndemo failed: ${error.stack ?? error}`);
	process.exit(1);
});
