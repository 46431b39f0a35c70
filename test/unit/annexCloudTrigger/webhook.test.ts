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
	/** The Annex Cloud Webhook credential; none selected when absent. */
	credentials?: IDataObject;
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
	const logged: string[] = [];
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
		getCredentials: async () => {
			if (!delivery.credentials) throw new Error('Node does not have any credentials set');
			return delivery.credentials;
		},
		logger: { debug: () => {}, error: (message: string) => logged.push(message) },
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
	} as unknown as IWebhookFunctions;
	const result = await trigger.webhook.call(context);
	return { result, reply, logged };
}

const SECRET = 'whsec-test-0123456789';
const hmacCredential = {
	scheme: 'hmac',
	secret: SECRET,
	signatureHeader: 'X-Annex-Signature',
	algorithm: 'sha256',
	encoding: 'hex',
	timestampHeader: 'X-Annex-Timestamp',
	toleranceSeconds: 300,
};
/** Tests of event handling, not authentication. */
const open = { authentication: 'none' };

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
			credentials: hmacCredential,
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
			credentials: hmacCredential,
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
			credentials: hmacCredential,
			nodeId: uniqueNode(),
		});
		expect(result).toEqual({ noWebhookResponse: true });
		expect(reply.status).toBe(400);
	});

	it('checks authentication before parsing: a forged non-JSON body gets 401', async () => {
		const { reply } = await deliver({
			body: 'garbage',
			headers: signed('garbage', undefined, 'x'),
			credentials: hmacCredential,
			nodeId: uniqueNode(),
		});
		expect(reply.status).toBe(401);
	});

	it('starts the workflow once for an event ID delivered twice', async () => {
		const nodeId = uniqueNode();
		const body = event('evt-3');
		const first = await deliver({
			body,
			headers: signed(body),
			credentials: hmacCredential,
			nodeId,
		});
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		const again = await deliver({
			body,
			headers: signed(body),
			credentials: hmacCredential,
			nodeId,
		});
		expect(again.result).toEqual({
			webhookResponse: { status: 'ignored', accepted: 0, ignored: 0, repeated: 1 },
		});
	});

	it('with "Forget Event IDs After", a repeat arriving later starts the workflow again', async () => {
		const nodeId = uniqueNode();
		const body = event('evt-forget');
		const params = { options: { forgetAfterSeconds: 0.05 } };
		const delivery = () =>
			deliver({ body, headers: signed(body), credentials: hmacCredential, nodeId, params });
		expect((await delivery()).result.workflowData?.[0]).toHaveLength(1);
		expect((await delivery()).result.workflowData).toBeUndefined();
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect((await delivery()).result.workflowData?.[0]).toHaveLength(1);
	});

	it('catches concurrent duplicates', async () => {
		const nodeId = uniqueNode();
		const body = event('evt-4');
		const results = await Promise.all(
			[0, 1, 2].map(
				async () =>
					await deliver({ body, headers: signed(body), credentials: hmacCredential, nodeId }),
			),
		);
		expect(results.filter(({ result }) => result.workflowData).length).toBe(1);
	});

	it('gives an event without an ID one derived from its content, so a repeat is recognised', async () => {
		const nodeId = uniqueNode();
		const first = await deliver({
			body: JSON.stringify({ event: 'loy_opt_in', memberId: 'li-lei', email: 'li@example.com' }),
			params: open,
			nodeId,
		});
		const item = first.result.workflowData?.[0][0].json;
		expect(item).toMatchObject({
			eventId: expect.stringMatching(/^content-[0-9a-f]{32}$/),
			eventIdSource: 'content',
		});
		// The same content in another key order is the same event.
		const reordered = await deliver({
			body: JSON.stringify({ email: 'li@example.com', memberId: 'li-lei', event: 'loy_opt_in' }),
			params: open,
			nodeId,
		});
		expect(reordered.result.webhookResponse).toMatchObject({ repeated: 1 });
	});

	it('refuses to run without a usable credential, answering 500 with how to set it', async () => {
		const none = await deliver({ body: event('c-1'), nodeId: uniqueNode() });
		expect(none.result).toEqual({ noWebhookResponse: true });
		expect(none.reply.status).toBe(500);
		expect((none.reply.body as { message: string }).message).toMatch(
			/no Annex Cloud Webhook API credential is selected\. Create an "Annex Cloud Webhook API" credential/,
		);
		const short = await deliver({
			body: event('c-2'),
			credentials: { scheme: 'headerToken', headerName: 'X-Token', token: 'replace-me' },
			headers: { 'X-Token': 'replace-me' },
			nodeId: uniqueNode(),
		});
		expect(short.reply.status).toBe(500);
		expect((short.reply.body as { message: string }).message).toMatch(
			/the token is shorter than 16 characters/,
		);
	});

	it('masks secrets in "Include Headers"', async () => {
		const token = 'tok-0123456789abcdef';
		const { result } = await deliver({
			body: event('h-1'),
			credentials: { scheme: 'headerToken', headerName: 'X-Annex-Token', token },
			params: { options: { includeHeaders: true } },
			headers: { 'X-Annex-Token': token, Cookie: 'sid=1', 'X-Request-Id': 'r-1' },
			nodeId: uniqueNode(),
		});
		const headers = result.workflowData?.[0][0].json.headers as IDataObject;
		expect(headers).toMatchObject({ 'x-annex-token': '***', cookie: '***', 'x-request-id': 'r-1' });
		expect(JSON.stringify(result.workflowData)).not.toContain(token);
	});

	it('passes only the chosen events and answers 200 for the rest', async () => {
		const params = { ...open, events: ['tier_upgrade'], customEvents: 'birthday_reward' };
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
		const { result } = await deliver({ body, params: open, nodeId: uniqueNode() });
		expect(result.workflowData?.[0].map((item) => item.json.eventId)).toEqual(['evt-7', 'evt-8']);
	});

	it('can switch de-duplication off', async () => {
		const body = event('evt-9');
		const nodeId = uniqueNode();
		const params = { ...open, options: { deduplicate: false } };
		await deliver({ body, nodeId, params });
		const second = await deliver({ body, nodeId, params });
		expect(second.result.workflowData?.[0]).toHaveLength(1);
	});

	it('checks header tokens and basic auth', async () => {
		const token = {
			scheme: 'headerToken',
			headerName: 'X-Annex-Token',
			token: 'tok-0123456789abcdef',
		};
		expect(
			(
				await deliver({
					body: event('t-1'),
					credentials: token,
					headers: { 'X-Annex-Token': 'tok-0123456789abcdef' },
					nodeId: uniqueNode(),
				})
			).result.workflowData,
		).toBeDefined();
		expect(
			(
				await deliver({
					body: event('t-2'),
					credentials: token,
					headers: { 'X-Annex-Token': 'nope' },
					nodeId: uniqueNode(),
				})
			).reply.status,
		).toBe(401);
		const basic = { scheme: 'basicAuth', username: 'annex', password: 'pw-0123456789abcdef' };
		const authorization = `Basic ${Buffer.from('annex:pw-0123456789abcdef').toString('base64')}`;
		expect(
			(
				await deliver({
					body: event('b-1'),
					credentials: basic,
					headers: { Authorization: authorization },
					nodeId: uniqueNode(),
				})
			).result.workflowData,
		).toBeDefined();
		expect(
			(await deliver({ body: event('b-2'), credentials: basic, nodeId: uniqueNode() })).reply
				.status,
		).toBe(401);
	});

	it("the credential's Test button checks the secret is set and long enough", async () => {
		const test = new AnnexCloudTrigger().methods.credentialTest.webhookSecretStrength;
		const run = async (data: Record<string, string>) =>
			await test.call({} as never, { id: 'c', name: 'c', type: 'annexCloudWebhookApi', data });
		expect(await run({ scheme: 'hmac', secret: 'short' })).toEqual({
			status: 'Error',
			message: 'The signing secret is shorter than 16 characters',
		});
		expect(await run({ scheme: 'headerToken', token: 'tok-0123456789abcdef' })).toMatchObject({
			status: 'OK',
		});
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
