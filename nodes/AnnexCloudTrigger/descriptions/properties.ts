import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_FIELD_PATHS, type FieldPaths } from '../logic/events';
import { optionsCollection } from '../../shared/descriptions';

export const FIELD_SETTINGS: Array<[keyof FieldPaths, string, string]> = [
	['eventName', 'eventNameField', 'Event Name Field'],
	['eventId', 'eventIdField', 'Event ID Field'],
	['memberId', 'memberIdField', 'Member ID Field'],
	['email', 'emailField', 'Email Field'],
	['occurredAt', 'occurredAtField', 'Occurred At Field'],
	['points', 'pointsField', 'Points Field'],
	['tier', 'tierField', 'Tier Field'],
];

export const WEBHOOK_CREDENTIAL = 'annexCloudWebhookApi';

export const triggerProperties: INodeProperties[] = [
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
		default: WEBHOOK_CREDENTIAL,
		description:
			'How Annex Cloud proves a delivery is its own. Deliveries that fail are answered 401 and start nothing.',
		options: [
			{
				name: 'Annex Cloud Webhook Credential',
				value: WEBHOOK_CREDENTIAL,
				description: 'Header token, HMAC signature or basic auth, kept in a credential',
			},
			{
				name: 'None (Not Recommended)',
				value: 'none',
				description:
					'Anyone who learns the URL can start the workflow; only behind your own gateway',
			},
		],
	},
	{
		displayName:
			'Without authentication anyone who finds the URL can start this workflow with any payload.',
		name: 'noAuthNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'] } },
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
	optionsCollection([
		{
			displayName: 'Forget Event IDs After (Seconds)',
			name: 'forgetAfterSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'A repeat arriving later than this starts the workflow again, so an event whose run failed can be redelivered; the workflow then checks its own record of what it sent. 0 remembers until newer IDs push it out.',
		},
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
			description:
				'Whether to add the request headers to each item (authorization, cookies and any header carrying the secret are masked)',
		},
		{
			displayName: 'Remembered Event IDs',
			name: 'memorySize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1000,
			description:
				'How many recent event IDs each process keeps to recognise repeats (the writes downstream carry their own idempotency keys)',
		},
	]),
];
