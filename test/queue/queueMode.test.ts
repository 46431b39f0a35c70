/**
 * The templates in n8n's queue mode, on one topology (Redis, PostgreSQL, main, two workers, a
 * webhook process): template 01's Annex Cloud Trigger deliveries go to the webhook process and run
 * on both workers; template 10 splits a full resync into slices both workers take; then the
 * faults: a worker killed outright mid-run, Redis and PostgreSQL stopped for 10 s. The sandbox's
 * Ometria is the judge.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { buildWebhookEvent, type WebhookMember } from '../../sandbox/webhookSender';
import type { CredentialRef } from '../e2e/support/n8n';
import { loadTemplate, SANDBOX_WEBHOOK_SIGNING } from '../e2e/support/templates';
import {
	burstEvents,
	deliver as deliverEvent,
	ometriaEventId,
	REAL_TIME_EVENTS,
	SANDBOX_AS_OF,
	webhookMembers,
} from './support/burst';
import { publishResync, runResync, writeMembersFile } from './support/resync';
import {
	countBy,
	FAST_FAILOVER_ENV,
	importSandboxCredentials,
	startTopologyForTests,
	waitForFinished,
	waitForWebhook,
	type Topology,
} from './support/topology';

/** Genuine deliveries per batch, and repeats of them sent later (answered, starting nothing). */
const DELIVERIES = 40;
const REPEATS = 8;
/** Deliveries started per second: what this shared 2-core machine answers without timeouts. */
const RATE = 10;
const ANSWER_TIMEOUT_MS = 30_000;
/** Members in the resync file (10 s of Ometria's 800 records/s) and slices it is cut into. */
const RESYNC_MEMBERS = 8_000;
const RESYNC_SLICES = 4;
/**
 * How long template 01's trigger remembers an event id (its "Forget Event IDs After"): Annex
 * Cloud's redeliveries come later than this (its retry delay is not public; docs/queue-mode.md).
 */
const FORGET_AFTER_SECONDS = 30;

let sandbox: Sandbox;
let topology: Topology;
let workflowId: string;
let url: string;
let members: WebhookMember[];
let credentials: CredentialRef[];
/** Executions the tests already retried (an outage test must not retry another's again). */
const retriedIds = new Set<string>();

beforeAll(async () => {
	sandbox = await startSandbox({ members: 0, asOf: SANDBOX_AS_OF });
	topology = await startTopologyForTests('queue-real-time-sync', {
		env: FAST_FAILOVER_ENV,
	});
	credentials = await importSandboxCredentials(topology, sandbox);
	const template = loadTemplate('01-real-time-loyalty-sync.json', credentials);
	const trigger = template.nodes.find((node) => node.name === 'Annex Cloud Trigger')!;
	expect(trigger.parameters.options).toEqual({ forgetAfterSeconds: FORGET_AFTER_SECONDS });
	workflowId = await topology.main.importWorkflow(template);
	await topology.main.publishWorkflow(workflowId);
	url = topology.webhookUrl(`${trigger.webhookId}/webhook`);
	members = webhookMembers(sandbox);
	await waitForWebhook(url);
	// Five n8n processes start in minutes on a loaded machine, more than jest's default for a hook.
}, 1_500_000);

afterAll(async () => {
	await topology?.stop();
	await sandbox?.close();
});

/** Deliveries per answer, with the first few failures spelled out when there are any. */
function answers(sent: Awaited<ReturnType<Sandbox['sendWebhooks']>>) {
	const failures = sent.sent
		.filter((delivery) => delivery.status !== 200)
		.slice(0, 3)
		.map((delivery) => `${delivery.status ?? delivery.error} ${delivery.responseBody ?? ''}`);
	return failures.length > 0 ? { ...sent.byStatus, failures } : sent.byStatus;
}

/** Ometria events that template 01 sent (`annex_*`), by event id. */
function annexEvents() {
	return [...sandbox.state.ometria.events.values()].filter((event) =>
		/^annex_/i.test(String(event.record.event_type)),
	);
}

/** Ids of the Ometria events template 01 sent (derived from the Annex Cloud event ids). */
function sentEventIds(): Set<string> {
	return new Set(annexEvents().map((event) => String(event.id)));
}

describe('template 01 in queue mode', () => {
	it('deliveries through the webhook process reach Ometria once per distinct event, run by both workers', async () => {
		const sent = await sandbox.sendWebhooks({
			url,
			signing: SANDBOX_WEBHOOK_SIGNING,
			events: REAL_TIME_EVENTS,
			count: DELIVERIES,
			replay: REPEATS,
			ratePerSecond: RATE,
			timeoutMs: ANSWER_TIMEOUT_MS,
			members,
			seed: 1101,
		});
		// On an overloaded machine n8n's database check can fail for a moment and the webhook
		// process answers 503 ("Database is not ready!") before the trigger runs: Annex Cloud
		// redelivers those. Every event answered 200 at least once runs once and reaches Ometria.
		expect(
			sent.sent.filter((delivery) => delivery.status !== 200 && delivery.status !== 503),
		).toEqual([]);
		const accepted = new Set(
			sent.sent.filter((delivery) => delivery.status === 200).map((delivery) => delivery.eventId),
		);
		process.stderr.write(`[queue] deliveries: ${JSON.stringify(answers(sent))}\n`);
		const executions = await waitForFinished(topology, workflowId, accepted.size);
		await sandbox.state.ometria.whenIdle();

		// Repeats were answered 200 and started nothing; every accepted event ran once, successfully.
		expect(executions).toHaveLength(accepted.size);
		expect(countBy(executions, (execution) => execution.status)).toEqual({
			success: accepted.size,
		});
		const events = annexEvents();
		expect(events).toHaveLength(accepted.size);
		expect(events.filter((event) => event.duplicates > 0)).toEqual([]);

		// Both workers took part (their logs name the executions they started).
		const perWorker = topology.executionsPerWorker();
		const ids = new Set(executions.map((execution) => execution.id));
		for (const [worker, started] of Object.entries(perWorker)) {
			const own = [...started].filter((id) => ids.has(id));
			expect({ worker, ran: own.length > 0 }).toEqual({ worker, ran: true });
		}
		const total = Object.values(perWorker).reduce((sum, started) => sum + started.size, 0);
		expect(total).toBe(accepted.size);
	});

	it('template 10: a full resync in slices runs on both workers, every member reaches Ometria, under 2% answered 429', async () => {
		const { file, ids } = writeMembersFile(topology.filesDir, RESYNC_MEMBERS);
		const resyncId = await publishResync(topology, credentials, {
			membersFile: file,
			parallelSlices: RESYNC_SLICES,
		});
		const outcome = await runResync(topology, sandbox, resyncId, ids, RESYNC_SLICES);
		process.stderr.write(`[queue] full resync: ${JSON.stringify(outcome)}\n`);
		expect(outcome.statuses).toEqual({ success: RESYNC_SLICES });
		expect(outcome.contactsWritten).toBe(RESYNC_MEMBERS);
		expect(Object.values(outcome.perWorker).every((slices) => slices > 0)).toBe(true);
		expect(outcome.rateLimited429 / outcome.pushRequests).toBeLessThan(0.02);
	});

	it('a worker killed with SIGKILL mid-run loses nothing: Annex Cloud redelivers the batch, every event reaches Ometria, none sent is sent again', async () => {
		const before = topology.executions(workflowId).length;
		const events = burstEvents(sandbox, members, REAL_TIME_EVENTS, DELIVERIES, 1102);
		const started = Date.now();
		const sending = Promise.all(
			events.map(async (event, index) => {
				await sleep(Math.max(0, started + (index * 1000) / RATE - Date.now()));
				return await deliverEvent(url, event, 'first', ANSWER_TIMEOUT_MS);
			}),
		);
		// Kill worker 1 as soon as it is running executions of this batch.
		const deadline = Date.now() + 60_000;
		for (;;) {
			const known = new Set(
				topology
					.executions(workflowId)
					.slice(before)
					.map((execution) => execution.id),
			);
			const running = [...topology.executionsPerWorker()['worker-1']].filter((id) => known.has(id));
			if (running.length >= 2) break;
			if (Date.now() > deadline) throw new Error('worker-1 started nothing of the batch');
			await sleep(100);
		}
		await topology.killWorker(0);
		const answers = await sending;
		expect(countBy(answers, (answer) => String(answer.status))).toEqual({ 200: DELIVERIES });
		await topology.workers[0].start();

		// The stalled jobs fail, the main's recovery marks their executions crashed.
		const settled = await waitForFinished(topology, workflowId, before + DELIVERIES, 180_000);
		const broken = settled
			.slice(before)
			.filter((execution) => execution.status !== 'success').length;
		expect(broken).toBeGreaterThan(0);
		const sentBefore = new Set(
			events.map(ometriaEventId).filter((id) => sandbox.state.ometria.events.has(id)),
		);

		// Annex Cloud redelivers the batch once the trigger has forgotten it: the events a dead
		// worker never sent go out, those already sent stop at "Not sent before".
		await sleep(Math.max(0, started + FORGET_AFTER_SECONDS * 1000 - Date.now()));
		const redelivered = await Promise.all(
			events.map(async (event) => await deliverEvent(url, event, 'redelivery', ANSWER_TIMEOUT_MS)),
		);
		expect(countBy(redelivered, (answer) => String(answer.status))).toEqual({ 200: DELIVERIES });
		await waitForFinished(topology, workflowId, before + 2 * DELIVERIES, 240_000);
		await sandbox.state.ometria.whenIdle();

		const stored = sandbox.state.ometria.events;
		const ids = events.map(ometriaEventId);
		const sentTwice = ids.filter((id) => stored.get(id)?.duplicates);
		process.stderr.write(
			`[queue] killed worker: ${broken} executions broken, ${sentBefore.size} of ${DELIVERIES} events in Ometria before the redelivery, ${ids.filter((id) => stored.has(id)).length} after, ${sentTwice.length} sent twice\n`,
		);
		expect(ids.filter((id) => !stored.has(id))).toEqual([]);
		// Sent before the redelivery and recorded: never sent again. Only a run killed between the
		// send and its record can send twice, and Ometria keeps one event per id.
		expect(sentTwice.length).toBeLessThanOrEqual(broken);
	});

	describe.each([
		['Redis', () => topology.redis, 'SIGTERM'],
		['PostgreSQL', () => topology.postgres, 'SIGINT'],
	] as const)('%s stopped for 10 s during deliveries', (name, service, signal) => {
		it('answers 5xx while it cannot store or queue a delivery; a delivery answered 200 reaches Ometria or a failed execution shows it', async () => {
			const seed = name === 'Redis' ? 1103 : 1104;
			const eventsBefore = sentEventIds();
			const before = topology.executions(workflowId).length;
			const events = Array.from({ length: 20 }, (_, index) =>
				buildWebhookEvent(
					REAL_TIME_EVENTS[index % REAL_TIME_EVENTS.length],
					members[index % members.length],
					{
						seed,
						index,
						siteId: sandbox.options.annex.siteId,
					},
				),
			);
			// One delivery every half second: 5 before the outage, 20 s of deliveries in all.
			const stopped = (async () => {
				await sleep(2_500);
				await service().stop(signal);
				await sleep(10_000);
				service().start();
				await service().ready();
			})();
			const first: Array<{ id: string; status: number | string }> = [];
			let slowestAnswerMs = 0;
			for (const event of events) {
				const sentAt = Date.now();
				const answer = await deliverEvent(url, event, 'first', ANSWER_TIMEOUT_MS);
				slowestAnswerMs = Math.max(slowestAnswerMs, Date.now() - sentAt);
				first.push({ id: event.eventId, status: answer.status });
				await sleep(500);
			}
			await stopped;
			const refused = events.filter((_, index) => first[index].status !== 200);
			expect(
				first.filter(({ status }) => typeof status === 'number' && status !== 200 && status < 500),
			).toEqual([]);

			// Annex Cloud redelivers what was not answered 2xx, later than the trigger remembers it
			// (a delivery refused after the trigger ran is in its memory), until it is answered 2xx.
			await sleep(FORGET_AFTER_SECONDS * 1000);
			const redelivered = new Map<string, string>();
			const deadline = Date.now() + 120_000;
			while (redelivered.size < refused.length && Date.now() < deadline) {
				for (const event of refused.filter((candidate) => !redelivered.has(candidate.eventId))) {
					const answer = await deliverEvent(url, event, 'redelivery', ANSWER_TIMEOUT_MS);
					if (answer.status === 200) redelivered.set(event.eventId, String(answer.status));
				}
				await sleep(2_000);
			}
			expect(redelivered.size).toBe(refused.length);

			// Once every execution has settled (the recovery check marks the ones the outage broke
			// as crashed), the operator retries the broken ones.
			const settled = () =>
				topology
					.executions(workflowId)
					.every((execution) => !['new', 'running'].includes(execution.status));
			await waitUntil(settled, 180_000);
			const broken = topology
				.executions(workflowId)
				.filter((execution) => ['crashed', 'error'].includes(execution.status));
			for (const execution of broken.filter((execution) => !retriedIds.has(execution.id))) {
				retriedIds.add(execution.id);
				await topology.main
					.rest('POST', `/rest/executions/${execution.id}/retry`, { loadWorkflow: false })
					.catch(() => undefined);
			}
			await waitUntil(settled, 180_000);
			await sandbox.state.ometria.whenIdle();

			// A delivery answered 200 at once reaches Ometria, or a failed execution shows it.
			const answeredAtOnce = events.filter((_, index) => first[index].status === 200);
			const failed = topology
				.executions(workflowId)
				.slice(before)
				.filter((execution) => execution.status !== 'success').length;
			const storedNow = new Set(newEventIds(eventsBefore));
			const missing = answeredAtOnce.filter((event) => !storedNow.has(ometriaEventId(event)));
			const lost = refused.filter((event) => !storedNow.has(ometriaEventId(event)));
			process.stderr.write(
				`[queue] ${name} outage: ${missing.length} of ${answeredAtOnce.length} answered 200 missing, ${failed} failed executions; first answers ${JSON.stringify(countBy(first, ({ status }) => String(status)))}, slowest ${slowestAnswerMs} ms; ${refused.length - lost.length} of ${refused.length} refused deliveries reached Ometria after redelivery\n`,
			);
			// What did not reach Ometria is shown by a failed execution.
			expect(missing.length + lost.length).toBeLessThanOrEqual(failed);
		});
	});
});

function newEventIds(before: Set<string>): string[] {
	return [...sentEventIds()].filter((id) => !before.has(id));
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs / 1000} s`);
		await sleep(1000);
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
