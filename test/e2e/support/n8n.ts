/**
 * Jest helpers that drive a real n8n (see scripts/n8n/core.cjs for how, and why CommonJS).
 * In every test file:
 *
 *   beforeAll(() => startN8nForTests());
 *   afterAll(() => stopN8n());
 *
 * The e2e project starts one n8n for all its suites (jest globalSetup, startSharedN8n below):
 * booting n8n on a fresh database takes one to three minutes, most of it migrations. Each suite's
 * startN8nForTests() attaches to it and clears what earlier suites left (executions, workflows,
 * Data Tables), so a suite sees a fresh n8n apart from credentials, which suites import by id.
 * A suite that restarts n8n or needs another package asks for its own with `{ fresh: true }`;
 * the security and editor projects start their own.
 *
 * Env: LOYALTY_SYNC_PACKAGE_DIR installs another built package instead of this repo;
 * E2E_SKIP_BUILD=1 never runs `npm run build` (by default it runs when dist/ is older than the
 * sources); N8N_VERSION pins the n8n version provision.mjs installs; E2E_SHARED_N8N=0 gives every
 * suite its own n8n again.
 */
import { rmSync } from 'fs';
import { basename, join } from 'path';

/** A credential to store: a fixture's id is kept; without one, n8n picks it. */
export type NewCredential = Omit<CredentialImport, 'id'> & { id?: string };

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	/** Plain values; n8n encrypts them on import. */
	data: Record<string, unknown>;
}

export interface CredentialRef {
	id: string;
	name: string;
	type: string;
}

export interface NodeError {
	message?: string;
	description?: string;
	httpCode?: string;
	node?: { name?: string };
	[key: string]: unknown;
}

export interface NodeRun {
	executionStatus?: string;
	error?: NodeError;
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

/** The part of n8n's IRun (a stored execution) that tests read. */
export interface RunLike {
	status?: string;
	mode?: string;
	startedAt?: string;
	stoppedAt?: string;
	data: {
		resultData: {
			runData: Record<string, NodeRun[]>;
			error?: NodeError;
			lastNodeExecuted?: string;
		};
	};
}

export interface NodeRunSummary {
	status: string;
	items: number;
	error?: string;
	httpCode?: string;
}

export interface ExecutionResult {
	/** The run succeeded (exitCode 0) and has no error. */
	ok: boolean;
	exitCode: number;
	/** Wall time from the run request to the stored execution. */
	seconds: number;
	status: string;
	error?: string;
	/** HTTP status of the failing request, when a node failed on one (n8n keeps it as a string). */
	httpCode?: string;
	failedNode?: string;
	nodes: Record<string, NodeRunSummary>;
	run: RunLike;
}

/** One row of `GET /rest/executions`. */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	startedAt: string;
	stoppedAt: string | null;
	[key: string]: unknown;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface Provisioned {
	cacheDir: string;
	node: { bin: string; binDir: string; version: string };
	n8n: { version: string; dir: string; bin: string };
	seconds: number;
}

/** A running n8n as core.cjs returns it. */
export interface N8nHandle {
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	startSeconds: number;
	provisioned: Provisioned;
	owner: { email: string; password: string; firstName: string; lastName: string };
	installedPackage: { name: string; version: string; dir: string; files: number };
	stop(): Promise<void>;
	restart(): Promise<void>;
	cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; seconds: number }>;
	importCredentials(credentials: NewCredential[]): Promise<CredentialRef[]>;
	importWorkflow(workflow: object): Promise<string>;
	executeWorkflow(
		workflowId: string,
		options?: { triggerName?: string; timeoutMs?: number },
	): Promise<{ exitCode: number; seconds: number; run: RunLike }>;
	rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	publishWorkflow(
		workflowId: string,
	): Promise<{ id: string; active: boolean; activeVersionId?: string }>;
	productionWebhookUrl(path: string): string;
	/** Set on an n8n another process started (attachN8n): stop() leaves it running. */
	shared?: boolean;
	connection(): N8nConnection;
	clearSuiteState(): Promise<void>;
	listExecutions(workflowId: string): Promise<ExecutionSummary[]>;
	getExecution(executionId: string): Promise<ExecutionSummary & { data: RunLike['data'] }>;
	testCredential(credential: {
		id: string;
		name?: string;
		type: string;
		data?: Record<string, unknown>;
	}): Promise<CredentialTestResult>;
}

/** What attachN8n needs to drive an n8n another process started. */
export interface N8nConnection {
	provisioned: Provisioned;
	userFolder: string;
	port: number;
	brokerPort: number;
	startSeconds: number;
	installedPackage: N8nHandle['installedPackage'];
}

interface Core {
	REPO_ROOT: string;
	provision(options?: { log?: (...args: unknown[]) => void }): Promise<Provisioned>;
	startN8n(options: {
		provisioned?: Provisioned;
		packageDir?: string;
		userFolder?: string;
		port?: number;
		brokerPort?: number;
		timeoutMs?: number;
		log?: (...args: unknown[]) => void;
	}): Promise<N8nHandle>;
	attachN8n(connection: N8nConnection, options?: { log?: (...args: unknown[]) => void }): N8nHandle;
	isBuildFresh(packageDir?: string): boolean;
	buildPackage(packageDir?: string): number;
	loadJson<T = unknown>(file: string, replacements?: Record<string, string>): T;
	summarizeRun(run: RunLike): {
		status: string;
		error?: string;
		lastNode?: string;
		nodes: Record<string, NodeRunSummary>;
	};
}

const core = require('../../../scripts/n8n/core.cjs') as Core;

export const REPO_ROOT = core.REPO_ROOT;

let current: N8nHandle | undefined;

const log = (...args: unknown[]) => process.stderr.write(`[e2e n8n] ${args.join(' ')}\n`);

/** The instance started by startN8nForTests() in this test file. */
export function n8n(): N8nHandle {
	if (!current) throw new Error('n8n is not running: call startN8nForTests() in beforeAll');
	return current;
}

/** Where the shared n8n's connection travels from jest's globalSetup to the suites. */
const SHARED_N8N_ENV = 'LOYALTY_SYNC_SHARED_N8N';
const SHARED_N8N_GLOBAL = '__loyaltySyncSharedN8n';

/**
 * Provisions n8n (cached; minutes only on a fresh machine), builds the package when dist/ is
 * stale, installs it into a fresh user folder under .n8n-e2e/<name> (left in place after the
 * run for post-mortems: n8n.log, database.sqlite) and starts n8n.
 */
async function startOwnN8n(name: string, packageDir: string): Promise<N8nHandle> {
	if (process.env.E2E_SKIP_BUILD !== '1' && !core.isBuildFresh(packageDir)) {
		log(`building ${packageDir} (dist/ is missing or older than the sources)`);
		core.buildPackage(packageDir);
	}
	const userFolder = join(REPO_ROOT, '.n8n-e2e', name);
	rmSync(userFolder, { recursive: true, force: true });
	const provisioned = await core.provision({ log });
	// A fresh database runs every migration first: minutes on a loaded machine.
	const instance = await core.startN8n({
		provisioned,
		packageDir,
		userFolder,
		log,
		timeoutMs: 600_000,
	});
	log(
		`n8n ${provisioned.n8n.version} ready at ${instance.url} in ${instance.startSeconds.toFixed(1)} s`,
	);
	return instance;
}

/**
 * The n8n of this test file: the e2e suites' shared one, cleared of what earlier suites left, or
 * (with `fresh`, another `packageDir`, or no shared n8n running) one of its own. Call from
 * beforeAll.
 */
export async function startN8nForTests(
	options: { name?: string; packageDir?: string; fresh?: boolean } = {},
): Promise<N8nHandle> {
	if (current) return current;
	const shared = process.env[SHARED_N8N_ENV];
	if (shared && !options.fresh && !options.packageDir) {
		current = core.attachN8n(JSON.parse(shared) as N8nConnection, { log });
		await current.clearSuiteState();
		log(`suite attached to the shared n8n at ${current.url}`);
		return current;
	}
	const testPath = expect.getState().testPath;
	const name =
		options.name ??
		(testPath ? basename(testPath).replace(/\.test\.ts$/, '') : `run-${process.pid}`);
	const packageDir = options.packageDir ?? process.env.LOYALTY_SYNC_PACKAGE_DIR ?? REPO_ROOT;
	current = await startOwnN8n(name, packageDir);
	return current;
}

/** jest globalSetup of the e2e project: one n8n for every suite (E2E_SHARED_N8N=0: none). */
export async function startSharedN8n(): Promise<void> {
	if (process.env.E2E_SHARED_N8N === '0') return;
	const packageDir = process.env.LOYALTY_SYNC_PACKAGE_DIR ?? REPO_ROOT;
	const instance = await startOwnN8n('shared', packageDir);
	(globalThis as Record<string, unknown>)[SHARED_N8N_GLOBAL] = instance;
	// Suites run after globalSetup, in this process (--runInBand) or in workers started now.
	process.env[SHARED_N8N_ENV] = JSON.stringify(instance.connection());
}

/** jest globalTeardown of the e2e project. */
export async function stopSharedN8n(): Promise<void> {
	const instance = (globalThis as Record<string, unknown>)[SHARED_N8N_GLOBAL] as
		| N8nHandle
		| undefined;
	delete process.env[SHARED_N8N_ENV];
	await instance?.stop();
}

export async function stopN8n(): Promise<void> {
	const instance = current;
	current = undefined;
	await instance?.stop();
}

/** Stores credentials in the running n8n; the same id again overwrites (how tests swap in a wrong secret). */
export async function importCredentials(credentials: NewCredential[]): Promise<CredentialRef[]> {
	return await n8n().importCredentials(credentials);
}

/** Saves a workflow in the running n8n; returns the id (the JSON's own, or a generated one). */
export async function importWorkflow(workflow: object): Promise<string> {
	return await n8n().importWorkflow(workflow);
}

/**
 * Runs the workflow from its Manual Trigger (or the trigger named) inside the running n8n (the
 * editor's "Execute workflow") and returns the run. A failed run resolves too (ok: false, with the error and the
 * failing node's HTTP code).
 */
export async function executeWorkflow(
	workflowId: string,
	triggerName?: string,
): Promise<ExecutionResult> {
	const { exitCode, seconds, run } = await n8n().executeWorkflow(workflowId, { triggerName });
	const summary = core.summarizeRun(run);
	const failed = Object.entries(summary.nodes).find(([, node]) => node.status === 'error');
	const error = run.data.resultData.error;
	return {
		ok: exitCode === 0 && summary.status === 'success',
		exitCode,
		seconds,
		status: summary.status,
		error: summary.error,
		httpCode: error?.httpCode ?? failed?.[1].httpCode,
		failedNode: error?.node?.name ?? failed?.[0],
		nodes: summary.nodes,
		run,
	};
}

/** The `json` of every item a node output (first output, last run). */
export function nodeOutput(run: RunLike, nodeName: string): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[nodeName] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/**
 * Imports a workflow with a Webhook trigger and publishes it inside the running server (internal
 * REST API as the owner), so its production webhook is live at once.
 */
export async function publishWebhookWorkflow(
	workflow: object,
): Promise<{ id: string; productionUrl(path: string): string }> {
	const instance = n8n();
	const id = await instance.importWorkflow(workflow);
	await instance.publishWorkflow(id);
	return { id, productionUrl: (path: string) => instance.productionWebhookUrl(path) };
}

export async function postWebhook(
	url: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// Not JSON: keep the text.
	}
	return { status: response.status, body: parsed };
}

/**
 * Executions n8n stored for a workflow, newest first (`GET /rest/executions`), whichever way they
 * ran: `mode` is 'manual' for executeWorkflow(), 'webhook' for production webhooks, 'trigger' for
 * polling and schedule triggers.
 */
export async function listExecutions(workflowId: string): Promise<ExecutionSummary[]> {
	return await n8n().listExecutions(workflowId);
}

/** The executions that did not succeed, each as `id node: error` (empty when all did). */
export async function failedRuns(executions: ExecutionSummary[]): Promise<string[]> {
	const failed = executions.filter((execution) => execution.status !== 'success');
	return await Promise.all(
		failed.map(async ({ id, status }) => {
			const error = (await n8n().getExecution(id)).data?.resultData?.error;
			return `${id} ${status} ${error?.node?.name ?? ''}: ${error?.message ?? ''}`;
		}),
	);
}

/** Waits until `count` executions of the workflow have finished (webhooks run asynchronously). */
export async function waitForExecutions(
	workflowId: string,
	count: number,
	timeoutMs = 60_000,
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const executions = await listExecutions(workflowId);
		const finished = executions.filter(
			(execution) => !['new', 'running', 'waiting'].includes(execution.status),
		);
		if (finished.length >= count) return finished;
		if (Date.now() > deadline) {
			throw new Error(
				`${finished.length}/${count} executions of ${workflowId} finished within ${timeoutMs} ms`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The editor's credential "Test" button (`POST /rest/credentials/test`) for a stored credential. */
export async function testCredential(credential: {
	id: string;
	name?: string;
	type: string;
	data?: Record<string, unknown>;
}): Promise<CredentialTestResult> {
	return await n8n().testCredential(credential);
}

/** A JSON fixture with `__NAME__` placeholders filled (see test/e2e/fixtures). */
export function loadFixture<T = unknown>(
	file: string,
	replacements: Record<string, string> = {},
): T {
	return core.loadJson<T>(join('test', 'e2e', 'fixtures', file), replacements);
}
