/**
 * The nightly member sync in a real n8n: template 02 as shipped (Settings changed only) on the
 * sandbox's member feed, against the sandbox's Ometria at its documented 8 push requests/s
 * (800 records/s).
 *
 * Scenarios (one table row each):
 *   - changes: a feed of `--members` (default 1,000,000) the day after the snapshot, `--changed`
 *     (default 2%) of them changed. Target: ≤ 120 s plus Ometria's floor (changed / 800 s), 0 Annex
 *     Cloud calls, peak RSS of the n8n process ≤ 1.5 GB.
 *   - full resync of `--full` (default 200,000) and of `--full-small` (default 50,000) members.
 *     Target: ≥ 90% of 800 records/s; peak RSS at the larger size within 10% of the smaller.
 *   - side by side on one feed of `--plain-members` (default 100,000, same change share): the
 *     flow a capable n8n user builds without the package (Read Files from Disk, Extract from File,
 *     Compare Datasets, Loop Over Items of 100, Aggregate, HTTP Request with a JSON array body,
 *     Wait) and template 02.
 *
 * Peak RSS: the n8n main process (found by its N8N_USER_FOLDER), sampled every 200 ms during the
 * run; its baseline before the run is printed too. Runs start like the editor's "Execute workflow"
 * (REST), times are n8n's own (execution start to stop).
 *
 * Run: node scripts/run-ts.mjs bench/nightly/index.ts [--members 1000000] [--changed 0.02]
 *      [--full 200000] [--full-small 50000] [--plain-members 100000] [--skip-plain] [--skip-full]
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { writeGeneratedFeed } from '../../sandbox/feed';

const CEILING = 800;
const AS_OF = '2025-06-15';
const CREDENTIAL = { id: 'ometriaNightly01', name: 'Ometria (bench)', type: 'ometriaApi' };

interface Instance {
	userFolder: string;
	importCredentials(list: object[]): Promise<unknown>;
	importWorkflow(workflow: object): Promise<string>;
	rest<T>(method: string, path: string, body?: unknown): Promise<T>;
	getExecution(id: string): Promise<{
		status: string;
		startedAt?: string;
		stoppedAt?: string;
		data: { resultData: { runData: Record<string, NodeRun[]>; error?: { message: string } } };
	}>;
	stop(): Promise<void>;
}

interface NodeRun {
	executionTime?: number;
	error?: { message: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

interface Core {
	REPO_ROOT: string;
	isBuildFresh(): boolean;
	buildPackage(): number;
	startN8n(options: { userFolder?: string; log?: (...args: unknown[]) => void }): Promise<Instance>;
}

interface Row {
	scenario: string;
	members: number;
	toSend: number;
	seconds: number;
	pushSeconds: number | null;
	recordsPerSecond: number | null;
	shareOfCeiling: string;
	annexCalls: number;
	stored: number;
	baselineMb: number | null;
	peakMb: number | null;
	status: string;
}

function argument(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? Number(process.argv[index + 1]) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const log = (line: string) => process.stderr.write(`[nightly] ${line}\n`);

/**
 * The n8n processes of this user folder, found through their environment: `n8n start` and the
 * small watchdog that launched it (a few MB), so the largest of them is n8n's main process.
 */
function n8nPids(userFolder: string): string[] {
	const pids: string[] = [];
	for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (!cmdline.includes('n8n') || !cmdline.includes('start')) continue;
			const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (environ.includes(`N8N_USER_FOLDER=${userFolder}`)) pids.push(pid);
		} catch {
			// Gone, or not ours to read.
		}
	}
	return pids;
}

function rssMb(pids: string[]): number | null {
	let largest: number | null = null;
	for (const pid of pids) {
		try {
			const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (match) largest = Math.max(largest ?? 0, Math.round(Number(match[1]) / 1024));
		} catch {
			// The process ended.
		}
	}
	return largest;
}

async function runWorkflow(
	instance: Instance,
	workflow: object,
	trigger: string,
): Promise<{
	seconds: number;
	runData: Record<string, NodeRun[]>;
	status: string;
	baselineMb: number | null;
	peakMb: number | null;
	error?: string;
}> {
	const pids = n8nPids(instance.userFolder);
	const id = await instance.importWorkflow(workflow);
	const baselineMb = rssMb(pids);
	let peakMb = baselineMb ?? 0;
	const timer = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pids) ?? 0)), 200);
	try {
		const { executionId } = await instance.rest<{ executionId: string }>(
			'POST',
			`/rest/workflows/${id}/run`,
			{ triggerToStartFrom: { name: trigger } },
		);
		for (let failures = 0; ; ) {
			// A loaded machine may drop a polling request; the run goes on inside n8n.
			const execution = await instance.getExecution(executionId).catch((error: Error) => {
				if (++failures > 10) throw error;
				return undefined;
			});
			if (!execution) {
				await new Promise((resolve) => setTimeout(resolve, 2000));
				continue;
			}
			if (!['new', 'running', 'waiting'].includes(execution.status)) {
				const seconds =
					(Date.parse(execution.stoppedAt ?? '') - Date.parse(execution.startedAt ?? '')) / 1000;
				return {
					seconds,
					runData: execution.data.resultData.runData,
					status: execution.status,
					baselineMb,
					peakMb: pids.length ? peakMb : null,
					error: execution.data.resultData.error?.message,
				};
			}
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	} finally {
		clearInterval(timer);
	}
}

function template02(settings: Record<string, unknown>): object {
	const template = JSON.parse(
		readFileSync(
			join(__dirname, '../../workflows-templates/02-nightly-reconciliation.json'),
			'utf8',
		),
	) as {
		id?: string;
		nodes: Array<{
			name: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, unknown>;
		}>;
	};
	delete template.id;
	for (const node of template.nodes) {
		if (node.credentials?.ometriaApi)
			node.credentials.ometriaApi = { id: CREDENTIAL.id, name: CREDENTIAL.name };
		if (node.name !== 'Settings') continue;
		const list = (
			node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
		).assignments;
		for (const [name, value] of Object.entries(settings)) {
			const entry = list.find((candidate) => candidate.name === name);
			if (!entry) throw new Error(`Settings has no ${name}`);
			entry.value = value;
		}
	}
	return template;
}

/** What a capable n8n user builds without the package, on the same files and the same Ometria. */
function plainWorkflow(feedPath: string, snapshotPath: string, sandbox: Sandbox): object {
	const node = (
		name: string,
		type: string,
		version: number,
		parameters: object,
		x: number,
		y = 0,
	) => ({
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type,
		typeVersion: version,
		position: [x, y],
		parameters,
	});
	const body = `={{ JSON.stringify($json.records.map((member) => ({ '@type': 'contact', '@collection': 'loyalty', '@merge': true, id: member['User ID'], email: member['Email'], firstname: member['Name'].split(' ')[0], properties: { annex_loyalty_id: member['User ID'], annex_current_tier: member['Tier'], annex_available_points: String(member['Current Balance']), annex_user_opt_in_status: member['Opt in Status'] } }))) }}`;
	const nodes = [
		node('Run', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
		node(
			'Read feed',
			'n8n-nodes-base.readWriteFile',
			1,
			{ fileSelector: feedPath, options: {} },
			220,
			-120,
		),
		node(
			'Extract feed',
			'n8n-nodes-base.extractFromFile',
			1.1,
			{ operation: 'csv', options: {} },
			440,
			-120,
		),
		node(
			'Read snapshot',
			'n8n-nodes-base.readWriteFile',
			1,
			{ fileSelector: snapshotPath, options: {} },
			220,
			120,
		),
		node(
			'Extract snapshot',
			'n8n-nodes-base.extractFromFile',
			1.1,
			{ operation: 'csv', options: {} },
			440,
			120,
		),
		node(
			'Compare Datasets',
			'n8n-nodes-base.compareDatasets',
			2.3,
			{
				mergeByFields: { values: [{ field1: 'User ID', field2: 'User ID' }] },
				resolve: 'preferInput1',
				options: {},
			},
			660,
		),
		node('New and changed', 'n8n-nodes-base.merge', 3, {}, 880),
		node(
			'Loop Over Items',
			'n8n-nodes-base.splitInBatches',
			3,
			{ batchSize: 100, options: {} },
			1100,
		),
		node(
			'Aggregate',
			'n8n-nodes-base.aggregate',
			1,
			{
				aggregate: 'aggregateAllItemData',
				destinationFieldName: 'records',
				options: {},
			},
			1320,
		),
		node(
			'Push',
			'n8n-nodes-base.httpRequest',
			4.2,
			{
				method: 'POST',
				url: `${sandbox.ometriaBaseUrl}/push`,
				sendHeaders: true,
				headerParameters: {
					parameters: [{ name: 'X-Ometria-Auth', value: sandbox.options.ometria.apiKey }],
				},
				sendBody: true,
				specifyBody: 'json',
				jsonBody: body,
				options: {},
			},
			1540,
		),
		node('Wait', 'n8n-nodes-base.wait', 1.1, { amount: 0.125 }, 1760),
	];
	const to = (name: string, index = 0) => ({ node: name, type: 'main', index });
	return {
		name: 'Nightly sync without the package (bench)',
		nodes,
		connections: {
			Run: { main: [[to('Read feed'), to('Read snapshot')]] },
			'Read feed': { main: [[to('Extract feed')]] },
			'Extract feed': { main: [[to('Compare Datasets', 0)]] },
			'Read snapshot': { main: [[to('Extract snapshot')]] },
			'Extract snapshot': { main: [[to('Compare Datasets', 1)]] },
			// In A only (new) and Different (changed; input A's values).
			'Compare Datasets': {
				main: [[to('New and changed', 0)], [], [to('New and changed', 1)], []],
			},
			'New and changed': { main: [[to('Loop Over Items')]] },
			'Loop Over Items': { main: [[], [to('Aggregate')]] },
			Aggregate: { main: [[to('Push')]] },
			Push: { main: [[to('Wait')]] },
			Wait: { main: [[to('Loop Over Items')]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const annexCalls = (sandbox: Sandbox) =>
	Object.entries(sandbox.stats().requests as Record<string, number>)
		.filter(([key]) => key.startsWith('annex.'))
		.reduce((sum, [, count]) => sum + count, 0);

async function main(): Promise<void> {
	const members = argument('members', 1_000_000);
	const changed = argument('changed', 0.02);
	const fullSizes = [argument('full-small', 50_000), argument('full', 200_000)];
	const plainMembers = argument('plain-members', 100_000);
	const core = require('../../scripts/n8n/core.cjs') as Core;
	if (!core.isBuildFresh() && core.buildPackage() !== 0) throw new Error('npm run build failed');
	const folder = join(homedir(), '.n8n-files', 'loyalty-sync-bench', `nightly-${process.pid}`);
	mkdirSync(folder, { recursive: true });
	const sandbox = await startSandbox({ members: 0, asOf: AS_OF, ometria: { processDelayMs: 0 } });
	const instance = await core.startN8n({
		userFolder: join(core.REPO_ROOT, '.n8n-e2e', 'bench-nightly'),
		log: (...args) => log(args.join(' ')),
	});
	await instance.importCredentials([
		{
			...CREDENTIAL,
			data: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl },
		},
	]);
	const rows: Row[] = [];

	/** Day one is the snapshot (the template stores the feed's accepted rows as written). */
	const prepare = async (name: string, count: number, nextDay: boolean) => {
		const snapshotPath = join(folder, `${name}-snapshot.csv`);
		const feedPath = join(folder, `${name}-feed.csv`);
		const started = Date.now();
		await writeGeneratedFeed(snapshotPath, { members: count, asOf: AS_OF });
		if (nextDay)
			await writeGeneratedFeed(feedPath, {
				members: count,
				asOf: AS_OF,
				nextDay: { changed, optedOut: 0, new: 0 },
			});
		else copyFileSync(snapshotPath, feedPath);
		log(
			`${name}: feeds of ${count} members written in ${Math.round((Date.now() - started) / 1000)} s`,
		);
		return { feedPath, snapshotPath };
	};

	const runTemplate = async (
		scenario: string,
		count: number,
		settings: Record<string, unknown>,
	) => {
		const before = {
			annex: annexCalls(sandbox),
			stored: sandbox.state.ometria.counters.recordsAccepted,
		};
		const run = await runWorkflow(
			instance,
			template02({ reportFolder: folder, ...settings }),
			'Run now (manual)',
		);
		await sandbox.state.ometria.whenIdle();
		const summary =
			run.runData['Compare with last snapshot']?.[0]?.data?.main?.[1]?.[0]?.json ?? {};
		const push = (run.runData['Upsert changed contacts']?.[0]?.data?.main?.[0] ?? []).find(
			(item) => item.json.summary,
		)?.json.summary as { durationMs?: number; sent?: number } | undefined;
		const pushSeconds = push?.durationMs ? push.durationMs / 1000 : null;
		const rate = pushSeconds ? Math.round((push!.sent ?? 0) / pushSeconds) : null;
		rows.push({
			scenario,
			members: count,
			toSend: Number(summary.toSend ?? 0),
			seconds: Math.round(run.seconds * 10) / 10,
			pushSeconds: pushSeconds && Math.round(pushSeconds * 10) / 10,
			recordsPerSecond: rate,
			shareOfCeiling: rate ? `${Math.round((rate / CEILING) * 100)}%` : '',
			annexCalls: annexCalls(sandbox) - before.annex,
			stored: sandbox.state.ometria.counters.recordsAccepted - before.stored,
			baselineMb: run.baselineMb,
			peakMb: run.peakMb,
			status: run.error ? `${run.status}: ${run.error}` : run.status,
		});
		console.table(rows.slice(-1));
	};

	try {
		const nightly = await prepare('changes', members, true);
		await runTemplate(`changes, ${changed * 100}% changed`, members, {
			...nightly,
			maxMembersPerRun: members,
		});
		if (!flag('skip-full'))
			for (const size of fullSizes) {
				const full = await prepare(`full-${size}`, size, false);
				await runTemplate('full resync', size, {
					...full,
					syncMode: 'full',
					maxMembersPerRun: size,
				});
			}
		if (!flag('skip-plain')) {
			const side = await prepare('side-by-side', plainMembers, true);
			const plain = await runWorkflow(
				instance,
				plainWorkflow(side.feedPath, side.snapshotPath, sandbox),
				'Run',
			);
			await sandbox.state.ometria.whenIdle();
			const pushRuns = plain.runData.Push ?? [];
			rows.push({
				scenario: 'plain n8n (Extract from File, Compare Datasets, Loop, HTTP, Wait)',
				members: plainMembers,
				toSend: (plain.runData['New and changed']?.[0]?.data?.main?.[0] ?? []).length,
				seconds: Math.round(plain.seconds * 10) / 10,
				pushSeconds: null,
				recordsPerSecond: null,
				shareOfCeiling: '',
				annexCalls: 0,
				stored: pushRuns.length,
				baselineMb: plain.baselineMb,
				peakMb: plain.peakMb,
				status: plain.error ? `${plain.status}: ${plain.error}` : plain.status,
			});
			// The same feed through template 02 (the snapshot is day one, as for the plain flow).
			await runTemplate('template 02 on the same feed', plainMembers, {
				...side,
				maxMembersPerRun: plainMembers,
			});
			const [plainRow, packageRow] = rows.slice(-2);
			console.log(
				`\nSide by side on ${plainMembers} members: plain n8n ${plainRow.seconds} s / ${plainRow.peakMb} MB, template 02 ${packageRow.seconds} s / ${packageRow.peakMb} MB → ${(plainRow.seconds / packageRow.seconds).toFixed(1)}× the time, ${((plainRow.peakMb ?? 0) / (packageRow.peakMb ?? 1)).toFixed(1)}× the memory`,
			);
		}
	} finally {
		console.log('\nNightly member sync in a real n8n (sandbox Ometria at 800 records/s)');
		console.table(rows);
		mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
		writeFileSync(
			join(__dirname, '..', 'results', 'nightly.json'),
			JSON.stringify(rows, null, '\t'),
		);
		await instance.stop();
		await sandbox.close();
		rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error: Error) => {
	console.error(error);
	process.exitCode = 1;
});
