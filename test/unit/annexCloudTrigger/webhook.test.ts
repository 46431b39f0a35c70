import { createHmac } from 'node:crypto';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { AnnexCloudTrigger } from '../../../nodes/AnnexCloudTrigger/AnnexCloudTrigger.node';

/**
 * The trigger's webhook() with a small fake of what n8n hands it. The full path (n8n's HTTP
 * server, body parsing, executions) is covered by test/e2e/annexCloudTrigger.test.ts.
 */
interface Delivery {
	body: string;
	headers?: Record<string, string>;
	params?: IDataObject;
	staticData?: IDataObject;
	nodeId?: string;
	mode?: string;
}

let nodeCounter = 0;

async function deliver(delivery: Delivery) {
	const trigger = new AnnexCloudTrigger();
	const reply: { status?: number; body?: unknown } = {};
	const response = {
		status(code: number) {
			reply.status = code;
			return response;
		},
		json(body: unknown) {
			reply.body = body;
			return response;
		},
	};
	const headers = Object.fromEntries(
		Object.entries({ 'content-type': 'application/json', ...delivery.headers }).map(([k, v]) => [
			k.toLowerCase(),
			v,
		]),
	);
	const params = delivery.params ?? {};
	const staticData = delivery.staticData ?? {};
	const context = {
		getRequestObject: () => ({ rawBody: Buffer.from(delivery.body), headers }),
		getHeaderData: () => headers,
		getBodyData: () => ({}),
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in params ? params[name] : fallback,
		getResponseObject: () => response,
		getMode: () => delivery.mode ?? 'webhook',
		getWorkflow: () => ({ id: 'wf-1' }),
		getNode: () => ({ id: delivery.nodeId ?? 'node-1' }),
		getWorkflowStaticData: () => staticData,
		logger: { debug: () => {} },
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
	} as unknown as IWebhookFunctions;
	const result = await trigger.webhook.call(context);
	return { result, reply, staticData };
}

const SECRET = 'whsec-test';
const hmacParams = {
	authentication: 'hmac',
	hmacSecret: SECRET,
	signatureHeader: 'X-Annex-Signature',
	signatureEncoding: 'hex',
	timestampHeader: 'X-Annex-Timestamp',
	signedContent: 'timestampDotBody',
	toleranceSeconds: 300,
};

function signed(body: string, at = Math.floor(Date.now() / 1000), secret = SECRET) {
	return {
		'X-Annex-Timestamp': String(at),
		'X-Annex-Signature': createHmac('sha256', secret).update(`${at}.${body}`).digest('hex'),
	};
}

const uniqueNode = () => `node-${++nodeCounter}`;
const event = (eventId: string, name = 'loy_point_accrual') =>
	JSON.stringify({
		event: name,
		eventId,
		memberId: 'zhang-min',
		email: 'zhang.min@example.com',
		points: 120,
		tier: 'Gold',
	});

describe('AnnexCloudTrigger.webhook', () => {
	it('starts the workflow with one normalised item for a signed event', async () => {
		const body = event('evt-1');
		const { result } = await deliver({
			body,
			headers: signed(body),
			params: hmacParams,
			nodeId: uniqueNode(),
		});
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.workflowData?.[0][0].json).toMatchObject({
			eventName: 'loy_point_accrual',
			eventId: 'evt-1',
			memberId: 'zhang-min',
			email: 'zhang.min@example.com',
			points: 120,
			tier: 'Gold',
			payload: JSON.parse(body),
		});
	});

	it.each([
		['a wrong signature', (body: string) => signed(body, undefined, 'forged')],
		['a missing signature', () => ({ 'X-Annex-Timestamp': String(Math.floor(Date.now() / 1000)) })],
		['a stale timestamp', (body: string) => signed(body, Math.floor(Date.now() / 1000) - 3600)],
	])('answers 401 and starts nothing for %s', async (_name, headersOf) => {
		const body = event('evt-2');
		const { result, reply } = await deliver({
			body,
			headers: headersOf(body),
			params: hmacParams,
			nodeId: uniqueNode(),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(reply).toEqual({ status: 401, body: { status: 'rejected', message: 'Unauthorized' } });
	});

	it('answers 400 to a body that is not JSON', async () => {
		const body = 'event=loy_opt_in';
		const { result, reply } = await deliver({
			body,
			headers: signed(body),
			params: hmacParams,
			nodeId: uniqueNode(),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(reply.status).toBe(400);
	});

	it('checks authentication before parsing: a forged non-JSON body gets 401', async () => {
		const { reply } = await deliver({
			body: 'garbage',
			headers: signed('garbage', undefined, 'x'),
			params: hmacParams,
			nodeId: uniqueNode(),
		});
		expect(reply.status).toBe(401);
	});

	it('starts the workflow once for an event ID delivered twice, across processes via static data', async () => {
		const nodeId = uniqueNode();
		const staticData: IDataObject = {};
		const body = event('evt-3');
		const first = await deliver({
			body,
			headers: signed(body),
			params: hmacParams,
			nodeId,
			staticData,
		});
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		expect(staticData.recentEventIds).toEqual(['evt-3']);

		const again = await deliver({
			body,
			headers: signed(body),
			params: hmacParams,
			nodeId,
			staticData,
		});
		expect(again.result).toEqual({
			webhookResponse: { status: 'ignored', accepted: 0, ignored: 0, repeated: 1 },
		});

		// Another process (empty in-process memory) still knows the id from static data.
		const elsewhere = await deliver({
			body,
			headers: signed(body),
			params: hmacParams,
			nodeId: uniqueNode(),
			staticData,
		});
		expect(elsewhere.result.workflowData).toBeUndefined();
	});

	it('catches concurrent duplicates before static data is saved', async () => {
		const nodeId = uniqueNode();
		const body = event('evt-4');
		const results = await Promise.all(
			[0, 1, 2].map(
				async () =>
					await deliver({
						body,
						headers: signed(body),
						params: hmacParams,
						nodeId,
						staticData: {},
					}),
			),
		);
		expect(results.filter(({ result }) => result.workflowData).length).toBe(1);
	});

	it('passes only the chosen events and answers 200 for the rest', async () => {
		const params = { events: ['tier_upgrade'], customEvents: 'birthday_reward' };
		const nodeId = uniqueNode();
		const ignored = await deliver({ body: event('evt-5', 'loy_opt_in'), params, nodeId });
		expect(ignored.result).toEqual({
			webhookResponse: { status: 'ignored', accepted: 0, ignored: 1, repeated: 0 },
		});
		const custom = await deliver({ body: event('evt-6', 'Birthday Reward'), params, nodeId });
		expect(custom.result.workflowData?.[0][0].json).toMatchObject({ eventName: 'birthday_reward' });
	});

	it('splits a batch into one item per event and de-duplicates inside it', async () => {
		const body = JSON.stringify([
			JSON.parse(event('evt-7')),
			JSON.parse(event('evt-8', 'tier_upgrade')),
			JSON.parse(event('evt-7')),
		]);
		const { result } = await deliver({ body, nodeId: uniqueNode() });
		expect(result.workflowData?.[0].map((item) => item.json.eventId)).toEqual(['evt-7', 'evt-8']);
	});

	it('keeps test deliveries out of static data and can switch de-duplication off', async () => {
		const staticData: IDataObject = {};
		const body = event('evt-9');
		await deliver({ body, nodeId: uniqueNode(), mode: 'manual', staticData });
		expect(staticData.recentEventIds).toBeUndefined();
		const nodeId = uniqueNode();
		const params = { options: { deduplicate: false } };
		await deliver({ body, nodeId, params });
		const second = await deliver({ body, nodeId, params });
		expect(second.result.workflowData?.[0]).toHaveLength(1);
	});

	it('checks header tokens and basic auth', async () => {
		const token = {
			authentication: 'headerToken',
			headerName: 'X-Annex-Token',
			headerToken: 'tok',
		};
		expect(
			(
				await deliver({
					body: event('t-1'),
					params: token,
					headers: { 'X-Annex-Token': 'tok' },
					nodeId: uniqueNode(),
				})
			).result.workflowData,
		).toBeDefined();
		expect(
			(
				await deliver({
					body: event('t-2'),
					params: token,
					headers: { 'X-Annex-Token': 'nope' },
					nodeId: uniqueNode(),
				})
			).reply.status,
		).toBe(401);
		const basic = { authentication: 'basicAuth', basicUsername: 'annex', basicPassword: 'pw' };
		const authorization = `Basic ${Buffer.from('annex:pw').toString('base64')}`;
		expect(
			(
				await deliver({
					body: event('b-1'),
					params: basic,
					headers: { Authorization: authorization },
					nodeId: uniqueNode(),
				})
			).result.workflowData,
		).toBeDefined();
		expect(
			(await deliver({ body: event('b-2'), params: basic, nodeId: uniqueNode() })).reply.status,
		).toBe(401);
	});

	it('registers nothing remotely: setup is manual', async () => {
		const { webhookMethods, description } = new AnnexCloudTrigger();
		const hooks = webhookMethods.default;
		await expect(hooks.checkExists.call({} as never)).resolves.toBe(true);
		await expect(hooks.create.call({} as never)).resolves.toBe(true);
		await expect(hooks.delete.call({} as never)).resolves.toBe(true);
		expect(description.description).toMatch(/paste this node's URL/);
	});
});
