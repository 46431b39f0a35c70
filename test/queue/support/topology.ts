/**
 * Jest helpers for n8n in queue mode, started by scripts/n8n/queue.cjs (the same code as
 * `node scripts/n8n/queue.mjs start`): Redis, PostgreSQL, main, workers and webhook process.
 */
import { join } from 'path';

import type { Sandbox } from '../../../sandbox';
import type { CredentialRef, N8nHandle } from '../../e2e/support/n8n';

interface ServiceHandle {
	port: number;
	logFile: string;
	process?: unknown;
	start(): ServiceHandle;
	stop(signal?: string): Promise<void>;
	ready(): Promise<unknown>;
}

export interface ExecutionRecord {
	id: string;
	status: string;
	mode: string;
	stoppedAt: string;
}

export interface Topology {
	root: string;
	/** Folder every process may read and write (N8N_RESTRICT_FILE_ACCESS_TO): the shared volume. */
	filesDir: string;
	seconds: number;
	main: N8nHandle & { name: string };
	webhook: N8nHandle & { name: string };
	workers: Array<N8nHandle & { name: string; start(): Promise<unknown> }>;
	redis: ServiceHandle;
	postgres: ServiceHandle & { query(sql: string): string };
	webhookUrl(path: string): string;
	killWorker(index: number): Promise<void>;
	executions(workflowId: string): ExecutionRecord[];
	executionsPerWorker(): Record<string, Set<string>>;
	stop(): Promise<void>;
}

interface Core {
	REPO_ROOT: string;
	isBuildFresh(packageDir?: string): boolean;
	buildPackage(packageDir?: string): number;
	loadJson<T = unknown>(file: string, replacements?: Record<string, string>): T;
}

const core = require('../../../scripts/n8n/core.cjs') as Core;
const queue = require('../../../scripts/n8n/queue.cjs') as {
	startQueueTopology(options: {
		root?: string;
		workers?: number;
		concurrency?: number;
		env?: Record<string, string>;
		log?: (...args: unknown[]) => void;
	}): Promise<Topology>;
};

/**
 * A killed worker's job is declared stalled after its lock lapses (n8n's default 60 s lock, 30 s
 * check) and its execution marked crashed by the main's recovery check (default every 180 min, at
 * least 1): shortened so a test sees both within a minute or two. A lock much shorter than 30 s
 * makes a busy worker on a loaded machine miss its renewal and lose a healthy job as stalled.
 */
export const FAST_FAILOVER_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '30000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
	N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
};

const log = (...args: unknown[]) => process.stderr.write(`[queue] ${args.join(' ')}\n`);

/**
 * Builds the package when dist/ is stale and starts the topology in .n8n-e2e/<name> (left in place
 * for post-mortems: every process's n8n.log, redis.log, postgres.log).
 */
export async function startTopologyForTests(
	name: string,
	options: { workers?: number; env?: Record<string, string> } = {},
): Promise<Topology> {
	if (process.env.E2E_SKIP_BUILD !== '1' && !core.isBuildFresh()) core.buildPackage();
	return await queue.startQueueTopology({
		root: join(core.REPO_ROOT, '.n8n-e2e', name),
		log,
		...options,
	});
}

export async function importSandboxCredentials(
	topology: Topology,
	sandbox: Sandbox,
): Promise<CredentialRef[]> {
	return await topology.main.importCredentials(
		core.loadJson(join('test', 'e2e', 'fixtures', 'sandbox.credentials.json'), {
			SANDBOX_URL: sandbox.url,
		}),
	);
}

/** Waits until the workflow has `count` executions that are no longer new or running. */
export async function waitForFinished(
	topology: Topology,
	workflowId: string,
	count: number,
	timeoutMs = 240_000,
): Promise<ExecutionRecord[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const all = topology.executions(workflowId);
		const finished = all.filter((execution) => !['new', 'running'].includes(execution.status));
		if (finished.length >= count) return all;
		if (Date.now() > deadline) {
			const byStatus = countBy(all, (execution) => execution.status);
			throw new Error(
				`${finished.length}/${count} executions finished within ${timeoutMs / 1000} s: ${JSON.stringify(byStatus)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/**
 * The webhook process learns published workflows from the database: waits until `url` is
 * registered there (404 before). The probe's body is not JSON, so n8n refuses it (422) before any
 * workflow code runs and it starts nothing.
 */
export async function waitForWebhook(url: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: 'not json',
		}).catch(() => undefined);
		if (response?.status === 422) return;
		if (Date.now() > deadline) throw new Error(`webhook ${url} answered ${response?.status}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}
