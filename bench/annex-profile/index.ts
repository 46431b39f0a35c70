/**
 * Loyalty profiles per second: the Annex Cloud node's Member > Get Loyalty Profile (five reads per
 * member, the activity ledger paged) against the sandbox, at several Concurrency settings.
 *
 * The sandbox answers from memory, so each Annex request is delayed by `--latency` ms (sandbox
 * `rateSlow` fault) to stand in for the network round trip a real tenant has; without it the
 * numbers only measure this machine's CPU.
 *
 * Modes:
 *   real n8n (default): the built package in a real n8n (scripts/n8n/core.cjs); one `n8n execute`
 *     per setting, timed by n8n's own `executionTime` of the profile node (read from the stored
 *     execution).
 *   --in-process: the same workflow through n8n-core's WorkflowExecute (test/workflow harness).
 *
 * Run: node scripts/run-ts.mjs bench/annex-profile/index.ts [--members 400] [--latency 20]
 *      [--concurrency 1,5,10,20] [--in-process]
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { reportProgress } from '../progress';

export interface ProfileBenchRow {
	mode: 'n8n' | 'in-process';
	concurrency: number;
	members: number;
	latencyMs: number;
	seconds: number;
	profilesPerSecond: number;
	annexRequests: number;
	errors: number;
}

export interface ProfileBenchOptions {
	/** Generated members besides the 102 fixtures. */
	members?: number;
	latencyMs?: number;
	concurrency?: number[];
	inProcess?: boolean;
	log?: (line: string) => void;
}

const AS_OF = '2025-06-18';
const PROFILE_NODE = 'Profiles';
const MEMBERS_NODE = 'Members';
const CREDENTIAL = { id: 'annexBench000001', name: 'Annex Cloud (bench)', type: 'annexCloudApi' };

/** Manual Trigger → every member (date-window search) → one profile each. */
export function profileWorkflow(concurrency: number) {
	const annexNode = (name: string, x: number, parameters: Record<string, unknown>) => ({
		id: name.toLowerCase(),
		name,
		type: 'n8n-nodes-loyalty-sync.annexCloud',
		typeVersion: 1,
		position: [x, 0] as [number, number],
		parameters,
		credentials: { annexCloudApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
	});
	return {
		name: `Annex profile bench (concurrency ${concurrency})`,
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: {},
			},
			annexNode(MEMBERS_NODE, 240, {
				resource: 'member',
				operation: 'search',
				splitBy: 'createDate',
				windowStart: '2015-01-01T00:00:00Z',
				windowEnd: `${AS_OF}T23:59:59Z`,
				windowDays: 180,
				returnAll: true,
			}),
			annexNode(PROFILE_NODE, 480, {
				resource: 'member',
				operation: 'getLoyaltyProfile',
				memberId: '={{ $json.id }}',
				options: { asOf: `${AS_OF}T12:00:00Z` },
				concurrency,
			}),
		],
		connections: {
			Start: { main: [[{ node: MEMBERS_NODE, type: 'main', index: 0 }]] },
			[MEMBERS_NODE]: { main: [[{ node: PROFILE_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function credentialData(sandbox: Sandbox) {
	const { siteId, siteName, secretKey } = sandbox.options.annex;
	return { baseUrl: sandbox.annexBaseUrl, siteId, siteName, secretKey };
}

interface NodeRunLike {
	executionTime?: number;
	error?: { message?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

function profileNodeResult(runData: Record<string, NodeRunLike[]>) {
	const run = runData[PROFILE_NODE]?.[0];
	if (!run) throw new Error(`${PROFILE_NODE} did not run`);
	if (run.error) throw new Error(`${PROFILE_NODE} failed: ${run.error.message}`);
	const items = run.data?.main?.[0] ?? [];
	return {
		seconds: (run.executionTime ?? 0) / 1000,
		items: items.length,
		errors: items.filter((item) => item.json.error !== undefined).length,
	};
}

function annexRequests(sandbox: Sandbox): number {
	const requests = sandbox.stats().requests as Record<string, number>;
	return Object.entries(requests)
		.filter(([key]) => key.startsWith('annex.') && key !== 'annex.users.search')
		.reduce((sum, [, count]) => sum + count, 0);
}

type Runner = (concurrency: number) => Promise<{ seconds: number; items: number; errors: number }>;

async function inProcessRunner(sandbox: Sandbox): Promise<Runner> {
	const { runWorkflow } = await import('../../test/workflow/support/runWorkflow');
	return async (concurrency) => {
		const run = await runWorkflow(profileWorkflow(concurrency) as never, {
			credentials: { annexCloudApi: credentialData(sandbox) },
		});
		if (run.error) throw run.error;
		return profileNodeResult(run.run.data.resultData.runData as never);
	};
}

interface Core {
	REPO_ROOT: string;
	isBuildFresh(dir?: string): boolean;
	/** Throws when the build fails; returns its seconds. */
	buildPackage(dir?: string): number;
	startN8n(options: { userFolder?: string; log?: (...args: unknown[]) => void }): Promise<{
		importCredentials(list: object[]): Promise<unknown>;
		importWorkflow(workflow: object): Promise<string>;
		cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
		listExecutions(workflowId: string): Promise<Array<{ id: string }>>;
		getExecution(
			id: string,
		): Promise<{ data: { resultData: { runData: Record<string, NodeRunLike[]> } } }>;
		stop(): Promise<void>;
	}>;
}

async function n8nRunner(
	sandbox: Sandbox,
	log: (line: string) => void,
): Promise<{ run: Runner; stop: () => Promise<void> }> {
	const core = require('../../scripts/n8n/core.cjs') as Core;
	if (!core.isBuildFresh()) {
		log('building the package (dist/ is stale)');
		core.buildPackage();
	}
	const instance = await core.startN8n({
		userFolder: join(core.REPO_ROOT, '.n8n-e2e', 'bench-annex-profile'),
		log: (...args) => log(args.join(' ')),
	});
	await instance.importCredentials([{ ...CREDENTIAL, data: credentialData(sandbox) }]);
	return {
		run: async (concurrency) => {
			const id = await instance.importWorkflow(profileWorkflow(concurrency));
			// The printed run of hundreds of profiles is megabytes; read the stored execution instead.
			const { code, stderr } = await instance.cli(['execute', `--id=${id}`]);
			const [execution] = await instance.listExecutions(id);
			if (!execution)
				throw new Error(`n8n execute exited ${code} without an execution: ${stderr.slice(-2000)}`);
			const { data } = await instance.getExecution(execution.id);
			return profileNodeResult(data.resultData.runData);
		},
		stop: async () => await instance.stop(),
	};
}

export async function benchAnnexProfile(
	options: ProfileBenchOptions = {},
): Promise<ProfileBenchRow[]> {
	const log = options.log ?? ((line: string) => process.stderr.write(`[annex-profile] ${line}\n`));
	const latencyMs = options.latencyMs ?? 20;
	const sandbox = await startSandbox({ asOf: AS_OF, members: options.members ?? 400, seed: 11 });
	const rows: ProfileBenchRow[] = [];
	let stop = async () => {};
	try {
		let run: Runner;
		if (options.inProcess) run = await inProcessRunner(sandbox);
		else ({ run, stop } = await n8nRunner(sandbox, log));
		for (const concurrency of options.concurrency ?? [1, 5, 10, 20]) {
			sandbox.reset();
			if (latencyMs > 0) sandbox.setFaults({ 'annex.*': { rateSlow: 1, slowMs: latencyMs } });
			const stopProgress = reportProgress({
				label: `concurrency ${concurrency}`,
				total: sandbox.state.annex.members.size,
				unit: 'profiles',
				// Each profile reads the member once (`GET /users/{id}`).
				done: () => (sandbox.stats().requests as Record<string, number>)['annex.users.get'] ?? 0,
				log,
			});
			const result = await run(concurrency).finally(stopProgress);
			rows.push({
				mode: options.inProcess ? 'in-process' : 'n8n',
				concurrency,
				members: result.items,
				latencyMs,
				seconds: Math.round(result.seconds * 100) / 100,
				profilesPerSecond: Math.round((result.items / result.seconds) * 10) / 10,
				annexRequests: annexRequests(sandbox),
				errors: result.errors,
			});
			log(`concurrency ${concurrency}: ${rows[rows.length - 1].profilesPerSecond} profiles/s`);
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

// Run directly (also through scripts/run-ts.mjs, which sets argv[1] to this file).
if (process.argv[1] === __filename) {
	void (async () => {
		const rows = await benchAnnexProfile({
			members: argument('members') === undefined ? undefined : Number(argument('members')),
			latencyMs: argument('latency') === undefined ? undefined : Number(argument('latency')),
			concurrency: argument('concurrency')?.split(',').map(Number),
			inProcess: process.argv.includes('--in-process'),
		});
		console.table(rows);
		const dir = join(__dirname, '..', 'results');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'annex-profile.json'), `${JSON.stringify(rows, null, 2)}\n`);
	})().catch((error: Error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
