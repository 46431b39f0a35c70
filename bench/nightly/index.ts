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
 *   - side by side (run second, the shortest) on one feed of `--plain-members` (default
 *     100,000, same change share): the flow a capable n8n user builds without the package (Read Files from Disk, Extract from File,
 *     Compare Datasets, Loop Over Items of 100, Aggregate, HTTP Request with a JSON array body,
 *     Wait) and template 02.
 *
 * Peak RSS: the n8n process tree (the main process, found by its N8N_USER_FOLDER, and its
 * children such as the task runner), summed and sampled every 200 ms during the run; its baseline
 * before the run is printed too. The machine's 1-minute load average is sampled every second
 * during each run (mean and highest): on a shared machine every time is inflated by that load.
 * Runs start like the editor's "Execute workflow" (REST); times are n8n's own (first execution's
 * start to the last one's stop). Template 02 sends at most `maxMembersPerRun` members per run and
 * starts itself again for the rest, so a full resync of 200,000 at the default 50,000 is four
 * chained executions, all counted.
 *
 * Run: node scripts/run-ts.mjs bench/nightly/index.ts [--members 1000000] [--changed 0.02]
 *      [--full 200000] [--full-small 50000] [--per-run 50000] [--plain-members 100000]
 *      [--skip-plain] [--skip-full] [--feed-cache DIR]
 */
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'fs';
import { homedir, loadavg } from 'os';
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
	listExecutions(workflowId: string): Promise<Array<{ id: string; status: string }>>;
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
	/** Seconds the build took; throws when it fails. */
	buildPackage(): number;
	startN8n(options: {
		userFolder?: string;
		log?: (...args: unknown[]) => void;
		timeoutMs?: number;
	}): Promise<Instance>;
}

interface Row {
	scenario: string;
	members: number;
	runs: number;
	toSend: number;
	seconds: number;
	pushSeconds: number | null;
	/** Records per second while pushing (the push phases of all runs). */
	recordsPerSecond: number | null;
	shareOfCeiling: string;
	/** Records per second over the whole time, feed reading and snapshots included. */
	overallPerSecond: number | null;
	annexCalls: number;
	stored: number;
	baselineMb: number | null;
	peakMb: number | null;
	/** The machine's 1-minute load average during the run: mean / highest. */
	load: string;
	target: string;
	status: string;
}

function argument(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? Number(process.argv[index + 1]) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const log = (line: string) => process.stderr.write(`[nightly] ${line}\n`);

/** The n8n main process of this user folder (`n8n start`, found through its environment). */
function n8nMainPid(userFolder: string): string | undefined {
	const candidates: Array<{ pid: string; rss: number }> = [];
	for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (!cmdline.includes('n8n') || !cmdline.includes('start')) continue;
			const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			if (environ.includes(`N8N_USER_FOLDER=${userFolder}`))
				candidates.push({ pid, rss: rssKb(pid) });
		} catch {
			// Gone, or not ours to read.
		}
	}
	// The small watchdog that launched n8n has the same environment; n8n is the larger one.
	return candidates.sort((a, b) => b.rss - a.rss)[0]?.pid;
}

function rssKb(pid: string): number {
	try {
		const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}

/** RSS of a process and all its descendants (n8n's task runner among them), in MB. */
function treeRssMb(root: string): number | null {
	const children = new Map<string, string[]>();
	for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
			children.set(parent, [...(children.get(parent) ?? []), pid]);
		} catch {
			// The process ended.
		}
	}
	let total = 0;
	const queue = [root];
	while (queue.length) {
		const pid = queue.pop()!;
		total += rssKb(pid);
		queue.push(...(children.get(pid) ?? []));
	}
	return total ? Math.round(total / 1024) : null;
}

interface Execution {
	status: string;
	startedAt?: string;
	stoppedAt?: string;
	data: { resultData: { runData: Record<string, NodeRun[]>; error?: { message: string } } };
}

const FINISHED = (status: string) => !['new', 'running', 'waiting'].includes(status);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a workflow from its Manual Trigger and waits for it and every execution it started of
 * itself (template 02's follow-up runs); returns them in start order.
 */
async function runWorkflow(
	instance: Instance,
	workflow: object,
	trigger: string,
): Promise<{
	seconds: number;
	executions: Execution[];
	baselineMb: number | null;
	peakMb: number | null;
	load: string;
}> {
	const main = n8nMainPid(instance.userFolder);
	const id = await instance.importWorkflow(workflow);
	const baselineMb = main ? treeRssMb(main) : null;
	let peakMb = baselineMb ?? 0;
	const loads: number[] = [];
	const memory = setInterval(
		() => (peakMb = Math.max(peakMb, (main && treeRssMb(main)) || 0)),
		200,
	);
	const load = setInterval(() => loads.push(loadavg()[0]), 1000);
	// A loaded machine may drop a polling request; the run goes on inside n8n.
	const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
		for (let failures = 0; ; failures++) {
			try {
				return await call();
			} catch (error) {
				if (failures >= 10) throw error;
				await pause(2000);
			}
		}
	};
	try {
		await instance.rest('POST', `/rest/workflows/${id}/run`, {
			triggerToStartFrom: { name: trigger },
		});
		let list: Array<{ id: string; status: string }>;
		for (;;) {
			await pause(1000);
			list = await retrying(() => instance.listExecutions(id));
			if (list.length && list.every((execution) => FINISHED(execution.status))) {
				// A follow-up run is created while its parent is still running; give it a moment.
				await pause(3000);
				const again = await retrying(() => instance.listExecutions(id));
				if (again.length === list.length && again.every((execution) => FINISHED(execution.status)))
					break;
			}
		}
		const executions: Execution[] = [];
		for (const { id: executionId } of [...list].sort((a, b) => Number(a.id) - Number(b.id)))
			executions.push(await retrying(() => instance.getExecution(executionId)));
		const first = Math.min(...executions.map((execution) => Date.parse(execution.startedAt ?? '')));
		const last = Math.max(...executions.map((execution) => Date.parse(execution.stoppedAt ?? '')));
		const mean = loads.reduce((sum, value) => sum + value, 0) / Math.max(1, loads.length);
		return {
			seconds: (last - first) / 1000,
			executions,
			baselineMb,
			peakMb: main ? peakMb : null,
			load: `${mean.toFixed(1)} / ${Math.max(0, ...loads).toFixed(1)}`,
		};
	} finally {
		clearInterval(memory);
		clearInterval(load);
	}
}

const statusOf = (executions: Execution[]) =>
	executions
		.map((execution) =>
			execution.data.resultData.error
				? `${execution.status}: ${execution.data.resultData.error.message}`
				: execution.status,
		)
		.filter((status, index, all) => all.indexOf(status) === index)
		.join('; ');

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
	if (!core.isBuildFresh()) log(`npm run build: ${core.buildPackage().toFixed(0)} s`);
	const folder = join(homedir(), '.n8n-files', 'loyalty-sync-bench', `nightly-${process.pid}`);
	mkdirSync(folder, { recursive: true });
	const sandbox = await startSandbox({ members: 0, asOf: AS_OF, ometria: { processDelayMs: 0 } });
	const instance = await core
		.startN8n({
			userFolder: join(core.REPO_ROOT, '.n8n-e2e', 'bench-nightly'),
			log: (...args) => log(args.join(' ')),
			// A machine shared with other work can take minutes to boot n8n.
			timeoutMs: 900_000,
		})
		.catch(async (error: Error) => {
			await sandbox.close();
			throw error;
		});
	await instance.importCredentials([
		{
			...CREDENTIAL,
			data: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl },
		},
	]);
	const rows: Row[] = [];

	/** Day one is the snapshot (the template stores the feed's accepted rows as written). */
	/**
	 * A generated feed, taken from `--feed-cache DIR` when an earlier run left it there (the
	 * generator is deterministic: same seed, date and shares, same file).
	 */
	const cache = process.argv.includes('--feed-cache')
		? process.argv[process.argv.indexOf('--feed-cache') + 1]
		: undefined;
	const generated = async (path: string, count: number, nextDay: boolean) => {
		const cached = cache && join(cache, `members-${count}${nextDay ? `-next-${changed}` : ''}.csv`);
		if (cached && existsSync(cached)) return copyFileSync(cached, path);
		await writeGeneratedFeed(path, {
			members: count,
			asOf: AS_OF,
			nextDay: nextDay ? { changed, optedOut: 0, new: 0 } : undefined,
		});
		if (cached) {
			mkdirSync(cache!, { recursive: true });
			copyFileSync(path, cached);
		}
	};

	/** Day one is the snapshot (the template stores the feed's accepted rows as written). */
	const prepare = async (name: string, count: number, nextDay: boolean) => {
		const snapshotPath = join(folder, `${name}-snapshot.csv`);
		const feedPath = join(folder, `${name}-feed.csv`);
		const started = Date.now();
		await generated(snapshotPath, count, false);
		if (nextDay) await generated(feedPath, count, true);
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
		target: (row: Row) => string,
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
		let toSend = 0;
		let pushMs = 0;
		let sent = 0;
		for (const execution of run.executions) {
			const runData = execution.data.resultData.runData;
			toSend += Number(
				runData['Compare with last snapshot']?.[0]?.data?.main?.[1]?.[0]?.json.toSend ?? 0,
			);
			const push = (runData['Upsert changed contacts']?.[0]?.data?.main?.[0] ?? []).find(
				(item) => item.json.summary,
			)?.json.summary as { durationMs?: number; sent?: number } | undefined;
			pushMs += push?.durationMs ?? 0;
			sent += push?.sent ?? 0;
		}
		const rate = pushMs ? Math.round(sent / (pushMs / 1000)) : null;
		const stored = sandbox.state.ometria.counters.recordsAccepted - before.stored;
		const row: Row = {
			scenario,
			members: count,
			runs: run.executions.length,
			toSend,
			seconds: Math.round(run.seconds * 10) / 10,
			pushSeconds: pushMs ? Math.round(pushMs / 100) / 10 : null,
			recordsPerSecond: rate,
			shareOfCeiling: rate ? `${Math.round((rate / CEILING) * 100)}%` : '',
			overallPerSecond: run.seconds ? Math.round(stored / run.seconds) : null,
			annexCalls: annexCalls(sandbox) - before.annex,
			stored,
			baselineMb: run.baselineMb,
			peakMb: run.peakMb,
			load: run.load,
			target: '',
			status: statusOf(run.executions),
		};
		row.target = target(row);
		rows.push(row);
		console.table([row]);
		return row;
	};

	try {
		const nightly = await prepare('changes', members, true);
		const floor = Math.round((members * changed) / CEILING);
		await runTemplate(
			`changes, ${changed * 100}% changed`,
			members,
			{ ...nightly, maxMembersPerRun: members },
			(row) =>
				`≤ ${120 + floor} s: ${row.seconds <= 120 + floor ? 'met' : 'missed'}; 0 Annex calls: ${row.annexCalls === 0 ? 'met' : 'missed'}; ≤ 1,536 MB: ${row.peakMb !== null && row.peakMb <= 1536 ? 'met' : 'missed'}`,
		);
		if (!flag('skip-plain')) {
			const side = await prepare('side-by-side', plainMembers, true);
			const before = sandbox.state.ometria.counters.recordsAccepted;
			const plain = await runWorkflow(
				instance,
				plainWorkflow(side.feedPath, side.snapshotPath, sandbox),
				'Run',
			);
			await sandbox.state.ometria.whenIdle();
			const runData = plain.executions[0]?.data.resultData.runData ?? {};
			const stored = sandbox.state.ometria.counters.recordsAccepted - before;
			rows.push({
				scenario: 'plain n8n (Extract from File, Compare Datasets, Loop, HTTP, Wait)',
				members: plainMembers,
				runs: plain.executions.length,
				toSend: (runData['New and changed']?.[0]?.data?.main?.[0] ?? []).length,
				seconds: Math.round(plain.seconds * 10) / 10,
				pushSeconds: null,
				recordsPerSecond: null,
				shareOfCeiling: '',
				overallPerSecond: plain.seconds ? Math.round(stored / plain.seconds) : null,
				annexCalls: 0,
				stored,
				baselineMb: plain.baselineMb,
				peakMb: plain.peakMb,
				load: plain.load,
				target: '',
				status: statusOf(plain.executions),
			});
			console.table(rows.slice(-1));
			// The same feed through template 02 (the snapshot is day one, as for the plain flow).
			const packageRow = await runTemplate(
				'template 02 on the same feed',
				plainMembers,
				{ ...side, maxMembersPerRun: plainMembers },
				() => '',
			);
			const plainRow = rows[rows.length - 2];
			const ratio = `plain n8n takes ${(plainRow.seconds / packageRow.seconds).toFixed(1)}× the time and ${((plainRow.peakMb ?? 0) / (packageRow.peakMb ?? 1)).toFixed(1)}× the memory`;
			plainRow.target = ratio;
			packageRow.target = ratio;
			console.log(`\nSide by side on ${plainMembers} members: ${ratio}`);
		}
		if (!flag('skip-full')) {
			const resyncs: Row[] = [];
			for (const size of fullSizes) {
				const full = await prepare(`full-${size}`, size, false);
				resyncs.push(
					await runTemplate(
						'full resync',
						size,
						{ ...full, syncMode: 'full', maxMembersPerRun: argument('per-run', 50_000) },
						(row) =>
							`push ≥ 90% of 800/s: ${row.recordsPerSecond !== null && row.recordsPerSecond >= 0.9 * CEILING ? 'met' : 'missed'} (overall ${Math.round(((row.overallPerSecond ?? 0) / CEILING) * 100)}%)`,
					),
				);
			}
			const [small, large] = resyncs;
			if (small?.peakMb && large?.peakMb) {
				const growth = (large.peakMb - small.peakMb) / small.peakMb;
				large.target += `; peak RSS ${large.peakMb} MB vs ${small.peakMb} MB at ${small.members}: ${growth >= 0 ? '+' : ''}${Math.round(growth * 100)}% (≤ 10%: ${growth <= 0.1 ? 'met' : 'missed'})`;
			}
		}
	} finally {
		console.log(
			'\nNightly member sync in a real n8n (sandbox Ometria at 800 records/s; load = 1-minute load average, mean / highest)',
		);
		console.table(rows);
		console.log(markdownTable(rows));
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

/** The table as the README shows it. */
function markdownTable(rows: Row[]): string {
	const header = [
		'scenario',
		'members',
		'runs',
		'sent',
		'whole time',
		'push rate',
		'Annex calls',
		'peak RSS (n8n tree)',
		'load (mean / max)',
		'target',
	];
	const lines = rows.map((row) => [
		row.scenario,
		row.members.toLocaleString('en'),
		String(row.runs),
		row.stored.toLocaleString('en'),
		`${row.seconds} s`,
		row.recordsPerSecond === null ? '' : `${row.recordsPerSecond}/s (${row.shareOfCeiling})`,
		String(row.annexCalls),
		row.peakMb === null ? '' : `${row.peakMb} MB`,
		row.load,
		row.status === 'success' ? row.target : `${row.status}; ${row.target}`,
	]);
	return [header, header.map(() => '---'), ...lines]
		.map((cells) => `| ${cells.join(' | ')} |`)
		.join('\n');
}

main().catch((error: Error) => {
	console.error(error);
	process.exitCode = 1;
});
