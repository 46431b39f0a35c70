/**
 * Real-time bursts as Annex Cloud would send them: distinct events at a steady rate, some sent
 * twice at the same instant, some repeated later, and whatever was not answered 200 redelivered
 * until it is. Every answer is timed. Used by the queue suite and bench/queue.
 */
import { deterministicEventId } from '../../../nodes/Ometria/logic/eventMapping';
import type { Sandbox } from '../../../sandbox';
import {
	buildWebhookEvent,
	type WebhookEvent,
	type WebhookMember,
} from '../../../sandbox/webhookSender';
import type { CredentialRef } from '../../e2e/support/n8n';
import { loadTemplate, SANDBOX_WEBHOOK_TOKEN_HEADERS } from '../../e2e/support/templates';
import { waitForWebhook, type Topology } from './topology';

/** The sandbox's business date the queue suites run on. */
export const SANDBOX_AS_OF = '2025-06-15';
/** The Annex Cloud events the real-time templates are fed with. */
export const REAL_TIME_EVENTS = [
	'loy_opt_in',
	'loy_point_accrual',
	'loy_point_redeem',
	'tier_upgrade',
];

export type AnswerKind = 'first' | 'twin' | 'later' | 'redelivery';

export interface Answer {
	eventId: string;
	kind: AnswerKind;
	/** HTTP status, or the network error's code. */
	status: number | string;
	ms: number;
}

export interface BurstPlan {
	url: string;
	events: WebhookEvent[];
	ratePerSecond: number;
	/** Events posted twice at the same instant. */
	twiceAtOnce: number;
	/** Events posted again once the burst is over. */
	repeatedLater: number;
	timeoutMs: number;
	/** Called once the first deliveries are under way, with how many were started. */
	onProgress?: (started: number) => void;
}

export interface BurstResult {
	answers: Answer[];
	/** From the first delivery to the last first-time delivery started. */
	burstSeconds: number;
	/** Distinct events sent per second. */
	ratePerSecond: number;
	/** When the first delivery was sent (ms). */
	startedAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function burstEvents(
	sandbox: Sandbox,
	members: WebhookMember[],
	names: string[],
	count: number,
	seed: number,
): WebhookEvent[] {
	return Array.from({ length: count }, (_, index) =>
		buildWebhookEvent(names[index % names.length], members[index % members.length], {
			seed,
			index,
			siteId: sandbox.options.annex.siteId,
		}),
	);
}

/** Posts one event as Annex Cloud would: its answer's status (or network error) and time. */
export async function deliver(
	url: string,
	event: WebhookEvent,
	kind: AnswerKind,
	timeoutMs: number,
): Promise<Answer> {
	const started = Date.now();
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...SANDBOX_WEBHOOK_TOKEN_HEADERS },
			body: JSON.stringify(event),
			signal: AbortSignal.timeout(timeoutMs),
		});
		await response.arrayBuffer();
		return { eventId: event.eventId, kind, status: response.status, ms: Date.now() - started };
	} catch (error) {
		const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
		return { eventId: event.eventId, kind, status: code, ms: Date.now() - started };
	}
}

/** Deliveries a redelivering sender has in flight at once. */
const REDELIVERY_CONCURRENCY = 10;

/** Sends the burst, the later repeats, then redelivers what no answer accepted (for up to 5 minutes). */
export async function sendBurst(plan: BurstPlan): Promise<BurstResult> {
	const { url, events, timeoutMs } = plan;
	const twins = new Set(
		events
			.filter((_, index) => index % Math.round(events.length / plan.twiceAtOnce) === 1)
			.slice(0, plan.twiceAtOnce),
	);
	const interval = 1000 / plan.ratePerSecond;
	const startedAt = Date.now();
	let lastStart = startedAt;
	const answers = (
		await Promise.all(
			events.map(async (event, index) => {
				await sleep(Math.max(0, startedAt + index * interval - Date.now()));
				lastStart = Date.now();
				if (index % 100 === 0) plan.onProgress?.(index);
				const sent = [deliver(url, event, 'first', timeoutMs)];
				if (twins.has(event)) sent.push(deliver(url, event, 'twin', timeoutMs));
				return await Promise.all(sent);
			}),
		)
	).flat();
	const burstSeconds = (lastStart - startedAt) / 1000;
	const later = events.filter(
		(_, index) => index % Math.round(events.length / plan.repeatedLater) === 0,
	);
	const repeatStart = Date.now();
	answers.push(
		...(await Promise.all(
			later.slice(0, plan.repeatedLater).map(async (event, index) => {
				await sleep(Math.max(0, repeatStart + index * interval - Date.now()));
				return await deliver(url, event, 'later', timeoutMs);
			}),
		)),
	);
	const accepted = () => new Set(answers.filter((a) => a.status === 200).map((a) => a.eventId));
	const deadline = Date.now() + 300_000;
	for (;;) {
		const done = accepted();
		const missing = events.filter((event) => !done.has(event.eventId));
		if (missing.length === 0 || Date.now() > deadline) break;
		await sleep(2_000);
		// Redelivered REDELIVERY_CONCURRENCY at a time: a sender retrying one by one would take
		// longer than the burst's whole budget when most first answers timed out.
		let next = 0;
		await Promise.all(
			Array.from({ length: REDELIVERY_CONCURRENCY }, async () => {
				while (next < missing.length) {
					const event = missing[next++];
					answers.push(await deliver(url, event, 'redelivery', timeoutMs));
				}
			}),
		);
	}
	return {
		answers,
		burstSeconds,
		ratePerSecond: Number((events.length / Math.max(0.001, burstSeconds)).toFixed(1)),
		startedAt,
	};
}

/** The Ometria event id templates 01 and 18 give an Annex Cloud event (their event type rule). */
export function ometriaEventId(event: { eventName: string; eventId: string }): string {
	const eventType =
		event.eventName === 'loy_point_redeem'
			? 'Annex_loy_point_redemption'
			: `annex_${event.eventName}`;
	return deterministicEventId({ eventType, sourceEventId: event.eventId });
}

/** Waits until Ometria holds every one of the events; when the last arrived (ms). */
export async function waitForOmetria(
	sandbox: Sandbox,
	events: WebhookEvent[],
	timeoutMs: number,
): Promise<{ complete: boolean; lastReceivedAt: number; missing: number }> {
	const ids = events.map(ometriaEventId);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const stored = sandbox.state.ometria.events;
		const missing = ids.filter((id) => !stored.has(id)).length;
		if (missing === 0 || Date.now() > deadline) {
			const lastReceivedAt = Math.max(
				0,
				...ids.map((id) => Date.parse(stored.get(id)?.receivedAt ?? '') || 0),
			);
			return { complete: missing === 0, lastReceivedAt, missing };
		}
		await sleep(1_000);
	}
}

/** Answer times of the given answers: median, 95th and 99th percentile and the slowest, ms. */
export function answerTimes(answers: Answer[]) {
	const sorted = answers.map((answer) => answer.ms).sort((a, b) => a - b);
	const at = (share: number) =>
		sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
	return {
		count: sorted.length,
		p50: at(0.5),
		p95: at(0.95),
		p99: at(0.99),
		max: sorted[sorted.length - 1] ?? 0,
		overOneSecond: sorted.filter((ms) => ms > 1000).length,
	};
}

/** The rows of an n8n Data Table, read from PostgreSQL (table by name). */
export function dataTableRows(
	query: (sql: string) => string,
	table: string,
	columns: string[],
): Array<Record<string, string>> {
	const id = query(`select id from data_table where name = '${table}'`);
	if (!id) return [];
	const text = query(
		`select ${['id', ...columns].map((column) => `coalesce("${column}"::text, '')`).join(', ')} from "data_table_user_${id}" order by id`,
	);
	return text
		? text.split('\n').map((line) => {
				const values = line.split('|');
				return Object.fromEntries(
					['id', ...columns].map((column, index) => [column, values[index]]),
				);
			})
		: [];
}

export const BATCHED_TEMPLATE = '18-real-time-batched.json';
export const QUEUE_TABLE = 'loyalty_realtime_queue';

/** The first `count` sandbox members as webhook payloads carry them. */
export function webhookMembers(sandbox: Sandbox, count = 40): WebhookMember[] {
	return [...sandbox.state.annex.members.values()].slice(0, count).map((member) => ({
		id: member.id,
		email: member.email,
		firstName: member.firstName,
		lastName: member.lastName,
		tier: member.tier,
	}));
}

/**
 * Imports and publishes template 18; returns its trigger's production URL once the webhook
 * process serves it and one delivery has created the queue table (n8n's "create if not exists"
 * is not safe for two first runs at the same instant).
 */
export async function publishBatched(
	topology: Topology,
	sandbox: Sandbox,
	credentials: CredentialRef[],
	settings: Record<string, number> = {},
): Promise<{ url: string; workflowId: string }> {
	const template = loadTemplate(BATCHED_TEMPLATE, credentials, { settings });
	const trigger = template.nodes.find((node) => node.name === 'Annex Cloud Trigger')!;
	const id = await topology.main.importWorkflow(template);
	await topology.main.publishWorkflow(id);
	const url = topology.webhookUrl(`${trigger.webhookId}/webhook`);
	await waitForWebhook(url);
	const [warmUp] = burstEvents(sandbox, webhookMembers(sandbox, 1), ['loy_opt_in'], 1, 1800);
	for (let attempt = 0; attempt < 15; attempt++) {
		const answer = await deliver(url, warmUp, 'first', 30_000);
		if (answer.status === 200) return { url, workflowId: id };
		process.stderr.write(`[queue] template 18's first delivery: ${JSON.stringify(answer)}\n`);
		await sleep(2_000);
	}
	throw new Error('template 18 did not store a first delivery');
}
