import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * What the Annex Cloud Trigger checks on each delivery. The secrets live here, encrypted by n8n,
 * not in the trigger's parameters, so they never travel inside exported workflow JSON. Annex
 * Cloud publishes no signature scheme (docs/security.md), so every part of it is a field.
 */
export class AnnexCloudWebhookApi implements ICredentialType {
	name = 'annexCloudWebhookApi';

	displayName = 'Annex Cloud Webhook API';

	icon: Icon = { light: 'file:annexCloud.svg', dark: 'file:annexCloud.dark.svg' };

	documentationUrl = 'https://annex-cloud.helpjuice.com/en_US/webhooks';

	properties: INodeProperties[] = [
		{
			displayName: 'Scheme',
			name: 'scheme',
			type: 'options',
			default: 'headerToken',
			description: 'How Annex Cloud proves a delivery is its own; set the same on both sides',
			options: [
				{ name: 'Header Token', value: 'headerToken' },
				{ name: 'HMAC Signature', value: 'hmac' },
				{ name: 'Basic Auth', value: 'basicAuth' },
			],
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Webhook-Token',
			displayOptions: { show: { scheme: ['headerToken'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'At least 16 characters, random (e.g. `openssl rand -hex 32`). "Bearer <token>" is accepted too.',
			displayOptions: { show: { scheme: ['headerToken'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			displayOptions: { show: { scheme: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'At least 16 characters, random',
			displayOptions: { show: { scheme: ['basicAuth'] } },
		},
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The shared secret the HMAC is keyed with: at least 16 characters, random',
			displayOptions: { show: { scheme: ['hmac'] } },
		},
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			default: 'X-AnnexCloud-Signature',
			description: 'Header carrying the signature (a "sha256=" prefix is accepted)',
			displayOptions: { show: { scheme: ['hmac'] } },
		},
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			default: 'sha256',
			options: [
				{ name: 'SHA-1', value: 'sha1' },
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			displayOptions: { show: { scheme: ['hmac'] } },
		},
		{
			displayName: 'Signature Encoding',
			name: 'encoding',
			type: 'options',
			default: 'hex',
			options: [
				{ name: 'Hex', value: 'hex' },
				{ name: 'Base64', value: 'base64' },
			],
			displayOptions: { show: { scheme: ['hmac'] } },
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: 'X-AnnexCloud-Timestamp',
			description:
				'Header carrying the send time (Unix seconds, milliseconds or ISO). The signature then covers `${timestamp}.${rawBody}` and deliveries outside the tolerance are refused, which stops replays. Empty: the body alone is signed and replays are caught only by event ID.',
			displayOptions: { show: { scheme: ['hmac'] } },
		},
		{
			displayName: 'Tolerance (Seconds)',
			name: 'toleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description: 'How far the timestamp may be from now',
			displayOptions: { show: { scheme: ['hmac'] } },
		},
	];
}
