/**
 * Template 10 (full resync across workers) in a queue-mode topology: a generated members file on
 * the shared volume, the template imported with its Settings pointed at it, the parent run from
 * the CLI, and what the slices did read back from PostgreSQL, the workers' logs and the sandbox.
 * Used by the queue-mode suite and by bench/queue.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';

import type { Sandbox } from '../../../sandbox';
import type { CredentialRef } from '../../e2e/support/n8n';
import { loadTemplate } from '../../e2e/support/templates';
import { waitForFinished, waitForWebhook, type Topology } from './topology';

export const RESYNC_TEMPLATE = '10-full-resync-across-workers.json';
const SLICE_PATH = 'loyalty-sync-resync-slice';
const TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum'];

/** A members file as an Annex Cloud export would give it, with loyalty-profile column names. */
export function writeMembersFile(folder: string, count: number): { file: string; ids: string[] } {
	const ids = Array.from(
		{ length: count },
		(_, index) => `resync-${String(index).padStart(7, '0')}`,
	);
	const lines = ids.map(
		(id, index) =>
			`${id},${id}@example.com,Member,${index},${TIERS[index % TIERS.length]},${(index * 37) % 5000}`,
	);
	const file = join(folder, `members-${count}.csv`);
	writeFileSync(
		file,
		['loyaltyId,email,firstName,lastName,currentTier,availablePoints', ...lines].join('\n') + '\n',
	);
	return { file, ids };
}

/** Imports the slice token credential and template 10, publishes it; returns its id. */
export async function publishResync(
	topology: Topology,
	credentials: CredentialRef[],
	settings: { membersFile: string; parallelSlices: number },
): Promise<string> {
	const token = await topology.main.importCredentials([
		{
			id: 'resyncSliceToken01',
			name: 'Resync slice token',
			type: 'httpHeaderAuth',
			data: { name: 'X-Resync-Token', value: 'queue-suite-not-a-secret' },
		},
	]);
	const sliceWebhookUrl = topology.webhookUrl(SLICE_PATH);
	const template = loadTemplate(RESYNC_TEMPLATE, [...credentials, ...token], {
		settings: { ...settings, sliceWebhookUrl, accountRequestsPerSecond: 8 },
	});
	const id = await topology.main.importWorkflow(template);
	await topology.main.publishWorkflow(id);
	await waitForWebhook(sliceWebhookUrl);
	return id;
}

export interface ResyncOutcome {
	/** From starting the parent to the last slice finished. */
	seconds: number;
	/** From Ometria's first push request of the run to its last. */
	pushSeconds: number;
	slices: number;
	/** Slice executions each worker started. */
	perWorker: Record<string, number>;
	statuses: Record<string, number>;
	pushRequests: number;
	rateLimited429: number;
	contactsWritten: number;
}

/** Runs the parent from the CLI and waits for every slice; Ometria's counters are read after. */
export async function runResync(
	topology: Topology,
	sandbox: Sandbox,
	workflowId: string,
	ids: string[],
	slices: number,
): Promise<ResyncOutcome> {
	const before = topology.executions(workflowId).length;
	const counters = { ...sandbox.state.ometria.counters };
	const started = Date.now();
	// When Ometria saw the run's first and last push request.
	const pushes = { first: 0, last: 0, seen: counters.pushRequests };
	const sampler = setInterval(() => {
		const now = sandbox.state.ometria.counters.pushRequests;
		if (now === pushes.seen) return;
		pushes.seen = now;
		pushes.last = Date.now();
		pushes.first ||= pushes.last;
	}, 50);
	let all;
	try {
		const parent = await topology.main.cli(['execute', `--id=${workflowId}`]);
		if (parent.code !== 0) throw new Error(`resync parent failed: ${parent.stderr.slice(-2000)}`);
		all = await waitForFinished(topology, workflowId, before + slices + 1, 900_000);
		await sandbox.state.ometria.whenIdle();
	} finally {
		clearInterval(sampler);
	}
	const seconds = (Date.now() - started) / 1000;
	const run = all.slice(before).filter((execution) => execution.mode === 'webhook');
	const sliceIds = new Set(run.map((execution) => execution.id));
	const perWorker = Object.fromEntries(
		Object.entries(topology.executionsPerWorker()).map(([worker, started]) => [
			worker,
			[...started].filter((id) => sliceIds.has(id)).length,
		]),
	);
	const statuses: Record<string, number> = {};
	for (const execution of run) statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
	const now = sandbox.state.ometria.counters;
	return {
		seconds,
		pushSeconds: (pushes.last - pushes.first) / 1000,
		slices: run.length,
		perWorker,
		statuses,
		pushRequests: now.pushRequests - counters.pushRequests,
		rateLimited429:
			now.rateLimited429 + now.queueFull429 - counters.rateLimited429 - counters.queueFull429,
		contactsWritten: ids.filter((id) => sandbox.state.ometria.contact(id, 'loyalty')).length,
	};
}
