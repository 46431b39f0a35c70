/**
 * Acceptance: the Annex Cloud Trigger in a real n8n. Workflows are published with the trigger
 * under each incoming-authentication scheme; the sandbox's webhook sender posts every event type,
 * plus forged and replayed deliveries, to the production URLs; the test reads which executions
 * n8n ran and which event each carried.
 */
import { createHmac } from 'crypto';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	WEBHOOK_EVENT_NAMES,
	type WebhookSendResult,
	type WebhookSigning,
} from '../../sandbox/webhookSender';
import {
	importCredentials,
	listExecutions,
	n8n,
	postWebhook,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	waitForExecutions,
	type RunLike,
} from './support/n8n';

const TRIGGER = 'Annex Cloud Trigger';
const SECRET = 'e2e-webhook-secret';
const TOKEN = 'e2e-token-0123456789abcdef';
const PASSWORD = 'e2e-password-0123456789';
const UNKNOWN_EVENT = 'points_expiring';
/** n8n answers in well under a second, but a shared 2-core machine can queue deliveries. */
const DELIVERY_TIMEOUT_MS = 60_000;

let sandbox: Sandbox;

interface Published {
	id: string;
	url: string;
}

let counter = 0;

/**
 * A workflow holding only the trigger, published, with its production URL. `credential` is the
 * data of its Annex Cloud Webhook credential (none selected when absent).
 */
async function publishTrigger(
	credential: Record<string, unknown> | undefined,
	parameters: Record<string, unknown> = {},
): Promise<Published> {
	counter++;
	const webhookId = `5f1c0a7e-0000-4000-8000-${String(counter).padStart(12, '0')}`;
	const credentials = credential
		? (
				await importCredentials([
					{
						name: `Annex Cloud webhook e2e ${counter}`,
						type: 'annexCloudWebhookApi',
						data: credential,
					},
				])
			).map(({ id, name }) => ({ annexCloudWebhookApi: { id, name } }))[0]
		: undefined;
	const { id, productionUrl } = await publishWebhookWorkflow({
		name: `Annex Cloud Trigger e2e ${counter}`,
		nodes: [
			{
				id: `trigger-${counter}`,
				name: TRIGGER,
				type: 'n8n-nodes-loyalty-sync.annexCloudTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters,
				...(credentials ? { credentials } : {}),
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	return { id, url: productionUrl(`${webhookId}/webhook`) };
}

/** The event IDs the trigger emitted, one per finished execution. */
async function executedEventIds(workflowId: string): Promise<string[]> {
	const executions = await listExecutions(workflowId);
	const ids: string[] = [];
	for (const execution of executions) {
		const full = await n8n().getExecution(execution.id);
		const runs = (full.data as RunLike['data']).resultData.runData[TRIGGER] ?? [];
		for (const item of runs[0]?.data?.main?.[0] ?? []) ids.push(String(item.json.eventId));
	}
	return ids.sort();
}

const validIds = (result: WebhookSendResult, names: readonly string[] = WEBHOOK_EVENT_NAMES) =>
	result.sent
		.filter((delivery) => delivery.kind === 'valid' && names.includes(delivery.eventName))
		.map((delivery) => delivery.eventId)
		.sort();

/** Executions started by webhooks land asynchronously; give stray ones a moment to appear. */
async function settle(workflowId: string, expected: number) {
	await waitForExecutions(workflowId, expected, 60_000);
	await new Promise((resolve) => setTimeout(resolve, 1500));
	return await listExecutions(workflowId);
}

beforeAll(async () => {
	sandbox = await startSandbox();
	await startN8nForTests();
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

describe('Annex Cloud Trigger in a real n8n', () => {
	it('HMAC with timestamp: every known event runs once; forged, replayed and unknown ones start nothing', async () => {
		const workflow = await publishTrigger(
			{
				scheme: 'hmac',
				secret: SECRET,
				signatureHeader: 'X-AnnexCloud-Signature',
				encoding: 'hex',
				timestampHeader: 'X-AnnexCloud-Timestamp',
				toleranceSeconds: 300,
			},
			{ events: [...WEBHOOK_EVENT_NAMES] },
		);
		const signing: WebhookSigning = {
			scheme: 'hmac',
			secret: SECRET,
			header: 'X-AnnexCloud-Signature',
			prefix: 'sha256=',
			timestampHeader: 'X-AnnexCloud-Timestamp',
			signTimestamp: true,
		};
		const result = await sandbox.sendWebhooks({
			url: workflow.url,
			events: [...WEBHOOK_EVENT_NAMES, UNKNOWN_EVENT],
			signing,
			forge: 3,
			replay: 4,
			ratePerSecond: 10,
			timeoutMs: DELIVERY_TIMEOUT_MS,
		});

		const statusOf = (kind: string) =>
			result.sent.filter((delivery) => delivery.kind === kind).map((d) => d.status);
		expect(statusOf('valid')).toEqual(Array(WEBHOOK_EVENT_NAMES.length + 1).fill(200));
		expect(statusOf('forged')).toEqual([401, 401, 401]);
		expect(statusOf('replay')).toEqual([200, 200, 200, 200]);
		const unknown = result.sent.find((delivery) => delivery.eventName === UNKNOWN_EVENT)!;
		expect(JSON.parse(unknown.responseBody ?? '{}')).toMatchObject({
			status: 'ignored',
			ignored: 1,
		});
		expect(
			result.sent
				.filter((delivery) => delivery.kind === 'replay')
				.map((d) => JSON.parse(d.responseBody ?? '{}')),
		).toEqual(Array(4).fill({ status: 'ignored', accepted: 0, ignored: 0, repeated: 1 }));

		const executions = await settle(workflow.id, WEBHOOK_EVENT_NAMES.length);
		expect(executions).toHaveLength(WEBHOOK_EVENT_NAMES.length);
		expect(
			executions.every(
				(execution) => execution.mode === 'webhook' && execution.status === 'success',
			),
		).toBe(true);
		expect(await executedEventIds(workflow.id)).toEqual(validIds(result));

		// The normalised item of one execution.
		const one = await n8n().getExecution(executions[0].id);
		const item = (one.data as RunLike['data']).resultData.runData[TRIGGER][0].data!.main![0]![0]
			.json;
		expect(Object.keys(item)).toEqual(
			expect.arrayContaining([
				'eventName',
				'eventId',
				'memberId',
				'email',
				'occurredAt',
				'points',
				'tier',
				'payload',
			]),
		);
		expect(WEBHOOK_EVENT_NAMES).toContain(item.eventName);
		expect(item.memberId).toEqual(expect.any(String));
	});

	it('HMAC: a stale timestamp is 401, and a signed body that is not JSON is 400; neither runs', async () => {
		const workflow = await publishTrigger({
			scheme: 'hmac',
			secret: SECRET,
			timestampHeader: 'X-AnnexCloud-Timestamp',
		});
		const post = async (body: string, at: number) =>
			await postWebhook(workflow.url, body, {
				'content-type': 'application/json',
				'X-AnnexCloud-Timestamp': String(at),
				'X-AnnexCloud-Signature': createHmac('sha256', SECRET)
					.update(`${at}.${body}`)
					.digest('hex'),
			});
		const now = Math.floor(Date.now() / 1000);
		const stale = await post(
			JSON.stringify({ eventName: 'loy_opt_in', eventId: 'evt-stale' }),
			now - 3600,
		);
		expect(stale.status).toBe(401);
		const notJson = await postWebhook(workflow.url, 'eventName=loy_opt_in', {
			'content-type': 'text/plain',
			'X-AnnexCloud-Timestamp': String(now),
			'X-AnnexCloud-Signature': createHmac('sha256', SECRET)
				.update(`${now}.eventName=loy_opt_in`)
				.digest('hex'),
		});
		expect(notJson.status).toBe(400);
		const fine = await post(
			JSON.stringify({ eventName: 'loy_opt_in', eventId: 'evt-fresh', member: { id: 'li-lei' } }),
			now,
		);
		expect(fine.status).toBe(200);
		const executions = await settle(workflow.id, 1);
		expect(executions).toHaveLength(1);
		expect(await executedEventIds(workflow.id)).toEqual(['evt-fresh']);
	});

	it('header token and basic auth: only genuine deliveries run', async () => {
		const tokenWorkflow = await publishTrigger({
			scheme: 'headerToken',
			headerName: 'X-Webhook-Token',
			token: TOKEN,
		});
		const basicWorkflow = await publishTrigger(
			{ scheme: 'basicAuth', username: 'annex', password: PASSWORD },
			{ events: ['loy_point_accrual', 'loy_point_redeem'] },
		);
		const [tokenResult, basicResult] = await Promise.all([
			sandbox.sendWebhooks({
				url: tokenWorkflow.url,
				count: 5,
				forge: 2,
				replay: 1,
				seed: 101,
				timeoutMs: DELIVERY_TIMEOUT_MS,
				signing: { scheme: 'header-token', token: TOKEN, header: 'X-Webhook-Token' },
			}),
			sandbox.sendWebhooks({
				url: basicWorkflow.url,
				count: 6,
				forge: 2,
				seed: 202,
				timeoutMs: DELIVERY_TIMEOUT_MS,
				signing: { scheme: 'basic', username: 'annex', password: PASSWORD },
			}),
		]);
		expect(tokenResult.byStatus).toEqual({ 200: 6, 401: 2 });
		expect(basicResult.byStatus).toEqual({ 200: 6, 401: 2 });

		await settle(tokenWorkflow.id, 5);
		expect(await executedEventIds(tokenWorkflow.id)).toEqual(validIds(tokenResult));
		const accrualOrRedeem = ['loy_point_accrual', 'loy_point_redeem'];
		const expectedBasic = validIds(basicResult, accrualOrRedeem);
		await settle(basicWorkflow.id, expectedBasic.length);
		expect(expectedBasic.length).toBeGreaterThan(0);
		expect(await executedEventIds(basicWorkflow.id)).toEqual(expectedBasic);
	});

	it('without a credential n8n will not publish it; with a short secret every delivery is answered 500 and nothing runs', async () => {
		await expect(publishTrigger(undefined)).rejects.toThrow(
			/Missing required credential: annexCloudWebhookApi/,
		);
		const short = await publishTrigger({ scheme: 'headerToken', token: 'replace-me' });
		const event = { eventName: 'loy_opt_in', eventId: 'evt-unset', member: { id: 'li-lei' } };
		const answer = await postWebhook(short.url, event, { 'X-Webhook-Token': 'replace-me' });
		expect(answer.status).toBe(500);
		expect((answer.body as { message: string }).message).toMatch(
			/the token is shorter than 16 characters\. Create an "Annex Cloud Webhook API" credential/,
		);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await listExecutions(short.id)).toHaveLength(0);
	});
});
