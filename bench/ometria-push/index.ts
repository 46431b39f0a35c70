/**
 * Ometria push throughput: 20,000 loyalty contacts into the sandbox's Ometria at its documented
 * 8 requests/s, and again into an older account limited to 4 requests/s with the node left at its
 * default 8 (it must learn the lower limit: target under 2% 429s), through this package's Ometria node and through n8n's own HTTP Request node the
 * way a user without the package would (one request per item; and one per item with the node's
 * Batching option set to 8 items per second).
 *
 * Reported per variant: contacts stored, seconds (n8n's own `executionTime` of the pushing node),
 * records per second and its share of the ceiling (8 requests/s × 100 records = 800 records/s),
 * push requests and the share answered 429, and the peak resident memory of the `n8n execute`
 * process that ran the workflow. Target for the package: ≥ 95% of the ceiling, < 1% 429s.
 *
 * Run: node scripts/run-ts.mjs bench/ometria-push/index.ts [--contacts 20000]
 *      [--batched-contacts 1600] [--skip-http] [--with-verify] [--in-process]
 * The batched HTTP variant is bound to 8 contacts per second, so by default it pushes the first
 * 1,600 contacts (200 s) rather than all 20,000 (42 min); `--batched-contacts 20000` runs them all.
 * `--in-process` runs only the package through n8n-core's WorkflowExecute (no real n8n).
 */
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { reportProgress } from '../progress';

const PUSH_NODE = 'Push';
const CREDENTIAL = { id: 'ometriaBench0001', name: 'Ometria (bench)', type: 'ometriaApi' };

export interface PushBenchRow {
	variant: string;
	/** The Ometria account's push limit in the sandbox, requests per second. */
	accountRate: number;
	contacts: number;
	stored: number;
	seconds: number;
	recordsPerSecond: number;
	shareOfCeiling: number;
	requests: number;
	share429: number;
	peakMemoryMb: number | null;
	/** The package only: records per second of the push phase, from its summary item. */
	pushPhaseShareOfCeiling: number | null;
}

type Variant = 'package' | 'package+verify' | 'http' | 'http-batched';

/** The members a loyalty sync would push, in the Annex Cloud node's profile shape. */
function membersCode(count: number): string {
	return `return Array.from({ length: ${count} }, (_, index) => ({ json: {
	loyaltyId: 'bench-' + index,
	email: 'member' + index + '@example.com',
	firstName: 'Member',
	lastName: 'No ' + index,
	availablePoints: index % 5000,
	currentTier: ['Bronze', 'Silver', 'Gold', 'Platinum'][index % 4],
	optInDate: '2024-08-08T07:00:12+0000',
} }));`;
}

function pushNode(variant: Variant) {
	const credentials = { ometriaApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } };
	if (variant === 'package' || variant === 'package+verify') {
		return {
			id: 'push',
			name: PUSH_NODE,
			type: 'n8n-nodes-loyalty-sync.ometria',
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				resource: 'contact',
				operation: 'upsert',
				options: { includeSummary: true, verify: variant === 'package+verify' },
			},
			credentials,
		};
	}
	const record =
		'{ "@type": "contact", "@collection": "loyalty", "@merge": true, id: $json.loyaltyId, email: $json.email, ' +
		'firstname: $json.firstName, lastname: $json.lastName, properties: { annex_current_tier: $json.currentTier, ' +
		'annex_available_points: String($json.availablePoints) } }';
	return {
		id: 'push',
		name: PUSH_NODE,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [440, 0],
		parameters: {
			method: 'POST',
			url: '__OMETRIA__/push',
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'ometriaApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify([${record}]) }}`,
			options:
				variant === 'http-batched'
					? { batching: { batch: { batchSize: 8, batchInterval: 1000 } } }
					: {},
		},
		credentials,
		// A user would keep the run going past 429s rather than lose the whole batch.
		onError: 'continueRegularOutput',
	};
}

export function pushWorkflow(variant: Variant, contacts: number, ometriaBaseUrl: string) {
	const node = JSON.parse(JSON.stringify(pushNode(variant)).replace('__OMETRIA__', ometriaBaseUrl));
	return {
		name: `Ometria push bench (${variant}, ${contacts})`,
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'members',
				name: 'Members',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: membersCode(contacts) },
			},
			node,
		],
		connections: {
			Start: { main: [[{ node: 'Members', type: 'main', index: 0 }]] },
			Members: { main: [[{ node: PUSH_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

interface NodeRunLike {
	executionTime?: number;
	error?: { message?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

interface NodeResult {
	seconds: number;
	/** The package's summary item: `durationMs` is its push phase (after mapping). */
	summary?: { durationMs?: number; sent?: number; throttled429?: number; retries?: number };
}

/**
 * Peak resident memory (VmHWM) of the processes whose command line matches, sampled from /proc
 * every 100 ms; the high-water mark only grows, so the last sample before exit is the peak.
 */
function watchPeakMemory(matches: (cmdline: string) => boolean): () => number | null {
	let peakKb = 0;
	const sample = () => {
		let pids: string[] = [];
		try {
			pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
		} catch {
			return;
		}
		for (const pid of pids) {
			try {
				const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
				if (!matches(cmdline)) continue;
				const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
				if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
			} catch {
				// The process ended between listing and reading.
			}
		}
	};
	const timer = setInterval(sample, 100);
	sample();
	return () => {
		clearInterval(timer);
		return peakKb > 0 ? Math.round(peakKb / 1024) : null;
	};
}

function pushResponses(sandbox: Sandbox): { requests: number; throttled: number } {
	const responses =
		(sandbox.stats().responses as Record<string, Record<string, number>>)['ometria.push'] ?? {};
	const requests = Object.values(responses).reduce((sum, count) => sum + count, 0);
	return { requests, throttled: responses['429'] ?? 0 };
}

type Runner = (
	variant: Variant,
	contacts: number,
) => Promise<NodeResult & { peakMemoryMb: number | null }>;

interface Core {
	REPO_ROOT: string;
	isBuildFresh(dir?: string): boolean;
	buildPackage(dir?: string): number;
	startN8n(options: { userFolder?: string; log?: (...args: unknown[]) => void }): Promise<{
		importCredentials(list: object[]): Promise<unknown>;
		importWorkflow(workflow: object): Promise<string>;
		cli(
			args: string[],
			options?: { timeoutMs?: number },
		): Promise<{ code: number; stdout: string; stderr: string }>;
		listExecutions(workflowId: string): Promise<Array<{ id: string; status: string }>>;
		getExecution(
			id: string,
		): Promise<{ data: { resultData: { runData: Record<string, NodeRunLike[]> } } }>;
		stop(): Promise<void>;
	}>;
}

function nodeResult(runData: Record<string, NodeRunLike[]>): NodeResult {
	const run = runData[PUSH_NODE]?.[0];
	if (!run) throw new Error(`${PUSH_NODE} did not run`);
	if (run.error) throw new Error(`${PUSH_NODE} failed: ${run.error.message}`);
	const last = run.data?.main?.[0]?.at(-1)?.json;
	return {
		seconds: (run.executionTime ?? 0) / 1000,
		summary: last?.summary as NodeResult['summary'],
	};
}

async function n8nRunner(
	sandbox: Sandbox,
	log: (line: string) => void,
): Promise<{ run: Runner; stop: () => Promise<void> }> {
	const core = require('../../scripts/n8n/core.cjs') as Core;
	if (!core.isBuildFresh()) {
		log('building the package (dist/ is stale)');
		if (core.buildPackage() !== 0) throw new Error('npm run build failed');
	}
	const instance = await core.startN8n({
		userFolder: join(core.REPO_ROOT, '.n8n-e2e', 'bench-ometria-push'),
		log: (...args) => log(args.join(' ')),
	});
	await instance.importCredentials([
		{
			...CREDENTIAL,
			data: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl },
		},
	]);
	return {
		run: async (variant, contacts) => {
			const id = await instance.importWorkflow(
				pushWorkflow(variant, contacts, sandbox.ometriaBaseUrl),
			);
			const stopWatching = watchPeakMemory(
				(cmdline) => cmdline.includes(' execute ') && cmdline.includes(`--id=${id}`),
			);
			// `n8n execute` prints the whole run, which for 20,000 items is cut off when the process
			// exits; the stored execution is read back through the REST API instead.
			const result = await instance.cli(['execute', `--id=${id}`], { timeoutMs: 4 * 3600_000 });
			const peakMemoryMb = stopWatching();
			const [latest] = await instance.listExecutions(id);
			if (!latest)
				throw new Error(
					`n8n execute stored no execution (exit ${result.code}): ${result.stderr.slice(-2000)}`,
				);
			const execution = await instance.getExecution(latest.id);
			return { ...nodeResult(execution.data.resultData.runData), peakMemoryMb };
		},
		stop: async () => await instance.stop(),
	};
}

async function inProcessRunner(sandbox: Sandbox): Promise<Runner> {
	const { runWorkflow } = await import('../../test/workflow/support/runWorkflow');
	return async (variant, contacts) => {
		if (!variant.startsWith('package')) throw new Error('only the package runs in-process');
		const workflow = pushWorkflow(variant, contacts, sandbox.ometriaBaseUrl);
		workflow.nodes = workflow.nodes.filter((node) => node.name !== 'Members');
		workflow.connections = {
			Start: { main: [[{ node: PUSH_NODE, type: 'main', index: 0 }]] },
		} as never;
		const input = Array.from({ length: contacts }, (_, index) => ({
			loyaltyId: `bench-${index}`,
			email: `member${index}@example.com`,
			firstName: 'Member',
			lastName: `No ${index}`,
			availablePoints: index % 5000,
			currentTier: 'Gold',
			optInDate: '2024-08-08T07:00:12+0000',
		}));
		let peak = process.memoryUsage().rss;
		const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
		const run = await runWorkflow(workflow as never, {
			credentials: {
				ometriaApi: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl },
			},
			input,
		});
		clearInterval(timer);
		if (run.error) throw run.error;
		return {
			...nodeResult(run.run.data.resultData.runData as never),
			peakMemoryMb: Math.round(peak / 1024 / 1024),
		};
	};
}

export interface PushBenchOptions {
	contacts?: number;
	batchedContacts?: number;
	skipHttp?: boolean;
	withVerify?: boolean;
	inProcess?: boolean;
	log?: (line: string) => void;
}

export async function benchOmetriaPush(options: PushBenchOptions = {}): Promise<PushBenchRow[]> {
	const log = options.log ?? ((line: string) => process.stderr.write(`[ometria-push] ${line}\n`));
	const contacts = options.contacts ?? 20_000;
	const sandbox = await startSandbox({ ometria: { pushRatePerSecond: 8 } });
	const rows: PushBenchRow[] = [];
	let stop = async () => {};
	try {
		let run: Runner;
		if (options.inProcess) run = await inProcessRunner(sandbox);
		else ({ run, stop } = await n8nRunner(sandbox, log));
		// The node keeps its default 8 requests/s against an older account limited to 4.
		const variants: Array<[Variant, number, number]> = [
			['package', contacts, 8],
			['package', contacts, 4],
		];
		if (options.withVerify) variants.push(['package+verify', contacts, 8]);
		if (!options.skipHttp && !options.inProcess) {
			variants.push(
				['http', contacts, 8],
				['http-batched', Math.min(contacts, options.batchedContacts ?? 1600), 8],
			);
		}
		for (const [variant, count, accountRate] of variants) {
			sandbox.reset();
			await fetch(`${sandbox.url}/_sandbox/ometria/push-rate`, {
				method: 'POST',
				body: JSON.stringify({ ratePerSecond: accountRate }),
			});
			log(`${variant} against a ${accountRate}/s account: pushing ${count} contacts`);
			const stopProgress = reportProgress({
				label: variant,
				total: count,
				unit: 'contacts accepted by Ometria',
				done: () => sandbox.state.ometria.counters.recordsAccepted,
				log,
			});
			const result = await run(variant, count).finally(stopProgress);
			await sandbox.state.ometria.whenIdle();
			const stored = sandbox.state.ometria.contactsIn('loyalty').length;
			const { requests, throttled } = pushResponses(sandbox);
			const recordsPerSecond = stored / result.seconds;
			const ceiling = accountRate * 100;
			rows.push({
				variant,
				accountRate,
				contacts: count,
				stored,
				seconds: Math.round(result.seconds * 100) / 100,
				recordsPerSecond: Math.round(recordsPerSecond * 10) / 10,
				shareOfCeiling: Math.round((recordsPerSecond / ceiling) * 10_000) / 100,
				requests,
				share429: requests ? Math.round((throttled / requests) * 10_000) / 100 : 0,
				peakMemoryMb: result.peakMemoryMb,
				pushPhaseShareOfCeiling: result.summary?.durationMs
					? Math.round((stored / (result.summary.durationMs / 1000) / ceiling) * 10_000) / 100
					: null,
			});
			log(`${variant}: ${JSON.stringify(rows[rows.length - 1])}`);
		}
	} finally {
		await stop();
		await sandbox.close();
	}
	return rows;
}

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

export function printComparison(rows: PushBenchRow[]): void {
	console.table(
		rows.map((row) => ({
			variant: row.variant,
			'account req/s': row.accountRate,
			contacts: row.contacts,
			stored: row.stored,
			seconds: row.seconds,
			'records/s': row.recordsPerSecond,
			'% of ceiling (account × 100/s)': row.shareOfCeiling,
			requests: row.requests,
			'% 429': row.share429,
			'peak MB': row.peakMemoryMb,
			'push phase % of ceiling': row.pushPhaseShareOfCeiling ?? '',
		})),
	);
	const ours = rows.find((row) => row.variant === 'package' && row.accountRate === 8);
	if (!ours) return;
	for (const row of rows.filter((candidate) => candidate.variant.startsWith('http'))) {
		const ratio =
			row.recordsPerSecond > 0 ? (ours.recordsPerSecond / row.recordsPerSecond).toFixed(1) : '∞';
		console.log(`package vs ${row.variant}: ${ratio}× the records per second`);
	}
	const meets = ours.shareOfCeiling >= 95 && ours.share429 < 1;
	console.log(
		`target (≥ 95% of the ceiling, < 1% 429s): ${meets ? 'met' : 'NOT met'} (${ours.shareOfCeiling}%, ${ours.share429}% 429s)`,
	);
	const older = rows.find((row) => row.variant === 'package' && row.accountRate === 4);
	if (older) {
		console.log(
			`older 4/s account, node left at 8/s (target < 2% 429s): ${older.share429 < 2 ? 'met' : 'NOT met'} (${older.share429}% 429s, ${older.shareOfCeiling}% of its ceiling)`,
		);
	}
}

// Run directly (also through scripts/run-ts.mjs, which sets argv[1] to this file).
if (process.argv[1] === __filename) {
	void (async () => {
		const number = (name: string) =>
			argument(name) === undefined ? undefined : Number(argument(name));
		const rows = await benchOmetriaPush({
			contacts: number('contacts'),
			batchedContacts: number('batched-contacts'),
			skipHttp: process.argv.includes('--skip-http'),
			withVerify: process.argv.includes('--with-verify'),
			inProcess: process.argv.includes('--in-process'),
		});
		printComparison(rows);
		const dir = join(__dirname, '..', 'results');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'ometria-push.json'), `${JSON.stringify(rows, null, 2)}\n`);
	})().catch((error: Error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
