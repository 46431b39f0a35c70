import {
	NodeConnectionTypes,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { eventMemory } from './helpers/eventMemory';
import {
	DEFAULT_FIELD_PATHS,
	eventFilter,
	eventsOfBody,
	normalizeEvent,
	parsePathList,
	type FieldPaths,
	type Json,
} from './logic/events';
import { DEFAULT_CAPACITY } from './logic/recentIds';
import { verifyIncomingRequest, type HeaderBag, type IncomingAuth } from './logic/signature';

const FIELD_SETTINGS: Array<[keyof FieldPaths, string, string]> = [
	['eventName', 'eventNameField', 'Event Name Field'],
	['eventId', 'eventIdField', 'Event ID Field'],
	['memberId', 'memberIdField', 'Member ID Field'],
	['email', 'emailField', 'Email Field'],
	['occurredAt', 'occurredAtField', 'Occurred At Field'],
	['points', 'pointsField', 'Points Field'],
	['tier', 'tierField', 'Tier Field'],
];

function incomingAuth(context: IWebhookFunctions): IncomingAuth {
	const type = context.getNodeParameter('authentication', 'none') as IncomingAuth['type'];
	const text = (name: string, fallback = '') =>
		String(context.getNodeParameter(name, fallback) ?? '');
	switch (type) {
		case 'headerToken':
			return {
				type,
				headerName: text('headerName', 'X-Webhook-Token'),
				token: text('headerToken'),
			};
		case 'basicAuth':
			return { type, username: text('basicUsername'), password: text('basicPassword') };
		case 'hmac':
			return {
				type,
				secret: text('hmacSecret'),
				signatureHeader: text('signatureHeader', 'X-AnnexCloud-Signature'),
				algorithm: text('hmacAlgorithm', 'sha256') as 'sha256',
				encoding: text('signatureEncoding', 'hex') as 'hex',
				timestampHeader: text('timestampHeader').trim(),
				toleranceSeconds: Number(context.getNodeParameter('toleranceSeconds', 300)),
				signedContent: text('signedContent', 'timestampDotBody') as 'timestampDotBody',
			};
		default:
			return { type: 'none' };
	}
}

function fieldPaths(context: IWebhookFunctions): FieldPaths {
	const settings = context.getNodeParameter('payloadFields', {}) as IDataObject;
	const paths = { ...DEFAULT_FIELD_PATHS };
	for (const [field, setting] of FIELD_SETTINGS) {
		paths[field] = parsePathList(
			settings[setting] as string | undefined,
			DEFAULT_FIELD_PATHS[field],
		);
	}
	return paths;
}

function reject(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ status: 'rejected', message });
	return { noWebhookResponse: true };
}

export class AnnexCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Annex Cloud Trigger',
		name: 'annexCloudTrigger',
		icon: { light: 'file:annexCloud.svg', dark: 'file:annexCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			"Starts the workflow when Annex Cloud's webhook module posts a loyalty event. Setup is manual: paste this node's URL into Annex Cloud's Webhooks admin page.",
		defaults: { name: 'Annex Cloud Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'Annex Cloud has no public API for registering webhooks. Copy the Production URL above and add it in Annex Cloud\'s admin under Webhooks (Web 2.0), choose the events there, and set the same authentication on both sides. Use Annex Cloud\'s "Test" button to send a sample.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['*'],
				description: 'The events that start the workflow; others are answered 200 and ignored',
				options: [
					{ name: '*', value: '*', description: 'Every event' },
					{ name: 'Close to Tier Upgrade', value: 'close_to_tier_upgrade' },
					{ name: 'Opt In', value: 'loy_opt_in' },
					{ name: 'Opt Out', value: 'loy_opt_out' },
					{ name: 'Points Accrual', value: 'loy_point_accrual' },
					{ name: 'Points Redeem', value: 'loy_point_redeem' },
					{ name: 'Reward Issued', value: 'reward_issued' },
					{ name: 'Tier Anniversary', value: 'tier_anniversary' },
					{ name: 'Tier Downgrade', value: 'tier_downgrade' },
					{ name: 'Tier Upgrade', value: 'tier_upgrade' },
					{ name: 'User Created', value: 'user_created' },
					{ name: 'User Updated', value: 'user_updated' },
				],
			},
			{
				displayName: 'Other Event Names',
				name: 'customEvents',
				type: 'string',
				default: '',
				placeholder: 'e.g. birthday_reward, points_expiring',
				description:
					'Comma-separated event names to pass as well, as Annex Cloud sends them (matched case-insensitively)',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				default: 'none',
				description:
					'How Annex Cloud proves a request is its own; requests that fail are answered 401',
				options: [
					{ name: 'Basic Auth', value: 'basicAuth' },
					{ name: 'Header Token', value: 'headerToken' },
					{ name: 'HMAC Signature', value: 'hmac' },
					{ name: 'None', value: 'none' },
				],
			},
			{
				displayName: 'Header Name',
				name: 'headerName',
				type: 'string',
				default: 'X-Webhook-Token',
				displayOptions: { show: { authentication: ['headerToken'] } },
			},
			{
				displayName: 'Token',
				name: 'headerToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'The value the header must carry (a "Bearer " prefix is accepted)',
				displayOptions: { show: { authentication: ['headerToken'] } },
			},
			{
				displayName: 'Username',
				name: 'basicUsername',
				type: 'string',
				default: '',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
			{
				displayName: 'Password',
				name: 'basicPassword',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
			{
				displayName: 'Secret',
				name: 'hmacSecret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'The shared secret the HMAC is keyed with',
				displayOptions: { show: { authentication: ['hmac'] } },
			},
			{
				displayName: 'Signature Header',
				name: 'signatureHeader',
				type: 'string',
				default: 'X-AnnexCloud-Signature',
				description: 'Header carrying the signature (a "sha256=" prefix is accepted)',
				displayOptions: { show: { authentication: ['hmac'] } },
			},
			{
				displayName: 'Algorithm',
				name: 'hmacAlgorithm',
				type: 'options',
				default: 'sha256',
				options: [
					{ name: 'SHA-1', value: 'sha1' },
					{ name: 'SHA-256', value: 'sha256' },
					{ name: 'SHA-512', value: 'sha512' },
				],
				displayOptions: { show: { authentication: ['hmac'] } },
			},
			{
				displayName: 'Signature Encoding',
				name: 'signatureEncoding',
				type: 'options',
				default: 'hex',
				options: [
					{ name: 'Hex', value: 'hex' },
					{ name: 'Base64', value: 'base64' },
				],
				displayOptions: { show: { authentication: ['hmac'] } },
			},
			{
				displayName: 'Timestamp Header',
				name: 'timestampHeader',
				type: 'string',
				default: '',
				placeholder: 'e.g. X-AnnexCloud-Timestamp',
				description:
					'Header carrying the send time (Unix seconds, milliseconds or ISO). When set, older or future requests beyond the tolerance are refused, which stops replays. Empty: no timestamp check.',
				displayOptions: { show: { authentication: ['hmac'] } },
			},
			{
				displayName: 'Signed Content',
				name: 'signedContent',
				type: 'options',
				default: 'timestampDotBody',
				description: 'What the signature covers when a timestamp header is set',
				options: [
					{
						name: 'Timestamp, Dot, Raw Body',
						value: 'timestampDotBody',
						description: '`${timestamp}.${rawBody}`',
					},
					{ name: 'Raw Body Only', value: 'body' },
				],
				displayOptions: { show: { authentication: ['hmac'] } },
			},
			{
				displayName: 'Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'How far the timestamp may be from now',
				displayOptions: { show: { authentication: ['hmac'] } },
			},
			{
				displayName: 'Payload Fields',
				name: 'payloadFields',
				type: 'collection',
				placeholder: 'Add Field Path',
				default: {},
				description:
					'Where each output field is read from: comma-separated dot-paths, tried in order. The defaults below apply to any field not set.',
				options: FIELD_SETTINGS.map(([field, name, displayName]) => ({
					displayName,
					name,
					type: 'string' as const,
					default: DEFAULT_FIELD_PATHS[field].join(', '),
				})),
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Ignore Repeated Event IDs',
						name: 'deduplicate',
						type: 'boolean',
						default: true,
						description: 'Whether an event ID delivered again starts nothing',
					},
					{
						displayName: 'Include Headers',
						name: 'includeHeaders',
						type: 'boolean',
						default: false,
						description: 'Whether to add the request headers to each item',
					},
					{
						displayName: 'Remembered Event IDs',
						name: 'memorySize',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1000,
						description: 'How many recent event IDs are kept to recognise repeats',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// Annex Cloud's webhook registration API is not public (docs/annex-cloud.md, "Webhooks"): the
			// user pastes the URL into its Webhooks admin page. There is nothing remote to look up,
			// create or delete, so n8n treats the webhook as always registered.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const headers = this.getHeaderData() as HeaderBag;
		const rawBody: Buffer | undefined = request.rawBody;
		const auth = incomingAuth(this);
		if (auth.type === 'hmac' && rawBody === undefined) {
			return reject(this, 401, 'Unauthorized');
		}
		const bodyBytes = rawBody ?? Buffer.from(JSON.stringify(this.getBodyData() ?? {}));
		const verdict = verifyIncomingRequest(auth, { headers, rawBody: bodyBytes }, Date.now() / 1000);
		if (!verdict.ok) {
			this.logger.debug(`Annex Cloud Trigger refused a request: ${verdict.reason}`);
			return reject(this, 401, 'Unauthorized');
		}

		let body: Json;
		try {
			body = JSON.parse(bodyBytes.toString('utf8')) as Json;
		} catch {
			return reject(this, 400, 'The body is not JSON');
		}
		if (body === null || typeof body !== 'object')
			return reject(this, 400, 'The body is not a JSON object');

		const paths = fieldPaths(this);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const passes = eventFilter(
			this.getNodeParameter('events', ['*']) as string[],
			String(this.getNodeParameter('customEvents', '') ?? '').split(','),
		);
		const mode = this.getMode();
		const memory =
			options.deduplicate === false
				? undefined
				: eventMemory(
						`${this.getWorkflow().id ?? ''}:${this.getNode().id}:${mode}`,
						Number(options.memorySize ?? DEFAULT_CAPACITY),
						mode === 'manual' ? undefined : this.getWorkflowStaticData('node'),
					);

		const receivedAt = Date.now();
		const accepted: IDataObject[] = [];
		let ignored = 0;
		let repeated = 0;
		for (const payload of eventsOfBody(body, paths.eventName)) {
			const event = normalizeEvent(payload, paths, receivedAt);
			if (!passes(event.eventName)) {
				ignored++;
				continue;
			}
			if (memory && event.eventId !== null && !memory.claim(event.eventId)) {
				repeated++;
				continue;
			}
			accepted.push({
				...(event as unknown as IDataObject),
				...(options.includeHeaders ? { headers: headers as IDataObject } : {}),
			});
		}
		memory?.persist();

		if (!accepted.length) {
			return { webhookResponse: { status: 'ignored', accepted: 0, ignored, repeated } };
		}
		return { workflowData: [this.helpers.returnJsonArray(accepted)] };
	}
}
