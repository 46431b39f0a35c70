/**
 * The templates in n8n's queue mode, on one topology (Redis, PostgreSQL, main, two workers, a
 * webhook process): template 01's Annex Cloud Trigger deliveries go to the webhook process and run
 * on both workers; template 10 splits a full resync into slices both workers take; then the
 * faults: a worker killed outright mid-run, Redis and PostgreSQL stopped for 10 s. The sandbox's
 * Ometria is the judge.
 */
import { deterministicEventId } from '../../nodes/Ometria/logic/eventMapping';
import { startSandbox, type Sandbox } from '../../sandbox';
import { buildWebhookEvent, type WebhookMember } from '../../sandbox/webhookSender';
import type { CredentialRef } from '../e2e/support/n8n';
import {
	loadTemplate,
	SANDBOX_WEBHOOK_SIGNING,
	SANDBOX_WEBHOOK_TOKEN_HEADERS,
} from '../e2e/support/templates';
import { publishResync, runResync, writeMembersFile } from './support/resync';
import {
	countBy,
	importSandboxCredentials,
	startTopologyForTests,
	waitForFinished,
	waitForWebhook,
	type Topology,
} from './support/topology';

const AS_OF = '2025-06-15';
const EVENTS = ['loy_opt_in', 'loy_point_accrual', 'loy_point_redeem', 'tier_upgrade'];
/** Genuine deliveries per batch, and repeats of them sent later (answered, starting nothing). */
const DELIVERIES = 40;
const REPEATS = 8;
/** Deliveries started per second: what this shared 2-core machine answers without timeouts. */
const RATE = 10;
const ANSWER_TIMEOUT_MS = 30_000;
/** Members in the resync file (10 s of Ometria's 800 records/s) and slices it is cut into. */
const RESYNC_MEMBERS = 8_000;
const RESYNC_SLICES = 4;

let sandbox: Sandbox;
let topology: Topology;
let workflowId: string;
let url: string;
let members: WebhookMember[];
let credentials: CredentialRef[];
/** Executions the tests already retried (an outage test must not retry another's again). */
const retriedIds = new Set<string>();

beforeAll(async () => {
	sandbox = await startSandbox({ members: 0, asOf: AS_OF });
	topology = await startTopologyForTests('queue-real-time-sync', {
		env: {
			// A killed worker's job is declared stalled after the lock lapses (default 60 s lock,
			// 30 s check) and its execution marked crashed by the main's recovery check (default
			// every 180 min, at least 1): shortened so the test sees both within a minute or two.
			// A lock much shorter than 30 s makes a busy worker on this shared machine miss its
			// renewal and lose a healthy job as stalled.
			QUEUE_WORKER_LOCK_DURATION: '30000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
		},
	});
	credentials = await importSandboxCredentials(topology, sandbox);
	const template = loadTemplate('01-real-time-loyalty-sync.json', credentials);
	const trigger = template.nodes.find((node) => node.name === 'Annex Cloud Trigger')!;
	workflowId = await topology.main.importWorkflow(template);
	await topology.main.publishWorkflow(workflowId);
	url = topology.webhookUrl(`${trigger.webhookId}/webhook`);
	members = [...sandbox.state.annex.members.values()].slice(0, 40).map((member) => ({
		id: member.id,
		email: member.email,
		firstName: member.firstName,
		lastName: member.lastName,
		tier: member.tier,
	}));
	await waitForWebhook(url);
});

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
			events: EVENTS,
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

	it('a worker killed with SIGKILL mid-run: its executions are recorded as failed and retried; an event is missing from Ometria only where a failed execution shows it', async () => {
		const before = topology.executions(workflowId).length;
		const eventsBefore = sentEventIds();
		const sending = sandbox.sendWebhooks({
			url,
			signing: SANDBOX_WEBHOOK_SIGNING,
			events: EVENTS,
			count: DELIVERIES,
			ratePerSecond: RATE,
			timeoutMs: ANSWER_TIMEOUT_MS,
			members,
			seed: 1102,
		});
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
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await topology.killWorker(0);
		const sent = await sending;
		expect(answers(sent)).toEqual({ 200: DELIVERIES });
		await topology.workers[0].start();

		// The stalled jobs fail, the main's recovery marks their executions crashed.
		const settled = await waitForFinished(topology, workflowId, before + DELIVERIES, 180_000);
		const batch = settled.slice(before);
		// Failed by the stall check (error) or found dangling by the recovery check (crashed).
		const crashed = batch.filter((execution) => execution.status !== 'success');
		expect(crashed.length).toBeGreaterThan(0);
		expect(crashed.filter((execution) => !['crashed', 'error'].includes(execution.status))).toEqual(
			[],
		);

		// What an operator does: retry each crashed execution (Executions list → Retry).
		for (const execution of crashed) {
			retriedIds.add(execution.id);
			await topology.main.rest('POST', `/rest/executions/${execution.id}/retry`, {
				loadWorkflow: false,
			});
		}
		await waitForFinished(topology, workflowId, before + DELIVERIES + crashed.length);
		await sandbox.state.ometria.whenIdle();
		const retried = topology.executions(workflowId).slice(before + DELIVERIES);
		expect(retried).toHaveLength(crashed.length);
		// Each broken execution is made good by its retry or stays failed in the run history: an
		// event is only missing from Ometria where a failed execution shows it.
		const retriesFailed = retried.filter((execution) => execution.status !== 'success').length;
		const newEvents = [...sentEventIds()].filter((id) => !eventsBefore.has(id));
		process.stderr.write(
			`[queue] killed worker: ${newEvents.length} of ${DELIVERIES} events in Ometria, ${retriesFailed} retries failed\n`,
		);
		expect(newEvents.length).toBeGreaterThanOrEqual(DELIVERIES - retriesFailed);
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
				buildWebhookEvent(EVENTS[index % EVENTS.length], members[index % members.length], {
					seed,
					index,
					siteId: sandbox.options.annex.siteId,
				}),
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
				const answer = await deliver(event);
				slowestAnswerMs = Math.max(slowestAnswerMs, Date.now() - sentAt);
				first.push({ id: event.eventId, status: answer.status });
				await sleep(500);
			}
			await stopped;
			const refused = events.filter((_, index) => first[index].status !== 200);
			expect(
				first.filter(({ status }) => typeof status === 'number' && status !== 200 && status < 500),
			).toEqual([]);

			// Annex Cloud redelivers what was not answered 2xx, until it is.
			const redelivered = new Map<string, string>();
			const deadline = Date.now() + 120_000;
			while (redelivered.size < refused.length && Date.now() < deadline) {
				for (const event of refused.filter((candidate) => !redelivered.has(candidate.eventId))) {
					const answer = await deliver(event);
					if (answer.status === 200) redelivered.set(event.eventId, answer.body);
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

/** Posts one event as Annex Cloud would: the answer's status (or the network error) and body. */
async function deliver(event: object): Promise<{ status: number | string; body: string }> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...SANDBOX_WEBHOOK_TOKEN_HEADERS },
			body: JSON.stringify(event),
			signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
		});
		return { status: response.status, body: await response.text() };
	} catch (error) {
		const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
		return { status: code, body: '' };
	}
}

/** The Ometria event id template 01 gives an Annex Cloud event (its Custom Event node's rule). */
function ometriaEventId(event: { eventName: string; eventId: string }): string {
	const eventType =
		event.eventName === 'loy_point_redeem'
			? 'Annex_loy_point_redemption'
			: `annex_${event.eventName}`;
	return deterministicEventId({ eventType, sourceEventId: event.eventId });
}

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
