import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { FIELD_SETTINGS, triggerProperties, WEBHOOK_CREDENTIAL } from './descriptions/properties';
import { eventMemory } from './helpers/eventMemory';
import { DEFAULT_CAPACITY } from './logic/recentIds';
import {
	DEFAULT_FIELD_PATHS,
	eventFilter,
	eventsOfBody,
	normalizeEvent,
	parsePathList,
	type FieldPaths,
	type Json,
} from './logic/events';
import {
	configurationProblem,
	maskHeaders,
	verifyIncomingRequest,
	type HeaderBag,
	type IncomingAuth,
} from './logic/signature';

/** Answered when the webhook cannot be protected: nothing runs until the credential is fixed. */
const SETUP_HINT =
	'Create an "Annex Cloud Webhook API" credential with a random secret of at least 16 characters (e.g. `openssl rand -hex 32`), select it in the trigger, and set the same in Annex Cloud\'s Webhooks admin.';

/** The scheme an Annex Cloud Webhook API credential describes. */
function authOfCredential(credentials: IDataObject): IncomingAuth {
	const text = (name: string, fallback = '') => String(credentials[name] ?? fallback);
	switch (text('scheme', 'headerToken')) {
		case 'basicAuth':
			return { type: 'basicAuth', username: text('username'), password: text('password') };
		case 'hmac':
			return {
				type: 'hmac',
				secret: text('secret'),
				signatureHeader: text('signatureHeader', 'X-AnnexCloud-Signature'),
				algorithm: text('algorithm', 'sha256') as 'sha256',
				encoding: text('encoding', 'hex') as 'hex',
				timestampHeader: text('timestampHeader').trim(),
				toleranceSeconds: Number(credentials.toleranceSeconds ?? 300),
			};
		default:
			return {
				type: 'headerToken',
				headerName: text('headerName', 'X-Webhook-Token'),
				token: text('token'),
			};
	}
}

/** The trigger's authentication, or why it cannot authenticate (no credential, a short secret). */
async function incomingAuth(
	context: IWebhookFunctions,
): Promise<{ auth: IncomingAuth } | { problem: string }> {
	if (context.getNodeParameter('authentication', WEBHOOK_CREDENTIAL) === 'none') {
		return { auth: { type: 'none' } };
	}
	let credentials: IDataObject;
	try {
		credentials = await context.getCredentials<IDataObject>(WEBHOOK_CREDENTIAL);
	} catch {
		return { problem: 'no Annex Cloud Webhook API credential is selected' };
	}
	const auth = authOfCredential(credentials);
	const problem = configurationProblem(auth);
	return problem ? { problem: `in the Annex Cloud Webhook API credential, ${problem}` } : { auth };
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

function context500(context: IWebhookFunctions, message: string): void {
	context.getResponseObject().status(500).json({ status: 'not configured', message });
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
		credentials: [
			{
				name: 'annexCloudWebhookApi',
				required: true,
				testedBy: 'webhookSecretStrength',
				displayOptions: { show: { authentication: [WEBHOOK_CREDENTIAL] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: {
			// Nothing remote can be asked (Annex Cloud only sends): the Test button checks that the
			// secret is set and long enough to protect the webhook.
			async webhookSecretStrength(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = configurationProblem(authOfCredential(credential.data ?? {}));
				return problem
					? { status: 'Error', message: `${problem[0].toUpperCase()}${problem.slice(1)}` }
					: { status: 'OK', message: 'The secret is set; configure the same in Annex Cloud' };
			},
		},
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
		const configured = await incomingAuth(this);
		if ('problem' in configured) {
			this.logger.error(`Annex Cloud Trigger refused a delivery: ${configured.problem}`);
			context500(this, `The webhook is not protected yet: ${configured.problem}. ${SETUP_HINT}`);
			return { noWebhookResponse: true };
		}
		const { auth } = configured;
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
						Number(options.forgetAfterSeconds ?? 0) * 1000,
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
			if (memory && !memory.claim(event.eventId)) {
				repeated++;
				continue;
			}
			accepted.push({
				...(event as unknown as IDataObject),
				...(options.includeHeaders ? { headers: maskHeaders(headers, auth) as IDataObject } : {}),
			});
		}

		if (!accepted.length) {
			return { webhookResponse: { status: 'ignored', accepted: 0, ignored, repeated } };
		}
		return { workflowData: [this.helpers.returnJsonArray(accepted)] };
	}
}
