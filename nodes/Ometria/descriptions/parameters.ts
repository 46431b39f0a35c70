import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RATE_PER_SECOND } from '../logic/rateLimiter';
import { optionsCollection } from '../../shared/descriptions';

/** Parameters shared by the operations: push options, segment locator, contact identity. */

/** Options › Time Zone: how text without an offset is read. */
export function timeZoneOption(more: string): INodeProperties {
	return {
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. Europe/London',
		description: `Time zone of times written without an offset, such as 2026-05-01 10:00 (IANA name). Empty: the workflow's time zone. ${more}`,
	};
}

/** The push options; `verify` is the default of Check for Rejections (off for segment changes). */
export function pushOptionsWith(verify: boolean): INodeProperties {
	return {
		...pushOptionFields,
		options: (pushOptionFields.options as INodeProperties[]).map((option) =>
			option.name === 'verify' ? { ...option, default: verify } : option,
		),
	};
}

const pushOptionFields: INodeProperties = optionsCollection([
	{
		displayName: 'Check for Rejections',
		name: 'verify',
		type: 'boolean',
		default: true,
		description:
			"Whether to read Ometria's push errors after sending and move each rejected record's item to the Rejected output. Ometria validates records after accepting them.",
	},
	{
		displayName: 'Include Summary Item',
		name: 'includeSummary',
		type: 'boolean',
		default: false,
		description:
			'Whether to add one item with the run totals (sent, accepted, rejected, requests, retries, time throttled) at the end of the Success output',
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 8 },
		default: 3,
		description: 'Requests in flight at once; the rate limiter still spaces their start times',
	},
	{
		displayName: 'Max Requests per Second',
		name: 'maxRequestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 2 },
		default: DEFAULT_MAX_RATE_PER_SECOND,
		description:
			"The account's push rate limit (8 by default at Ometria). The node aims slightly below it, slows down on 429 and creeps back up.",
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 7,
		description: 'Retries of one request after a 429, a 5xx, a timeout or a dropped connection',
	},
	{
		displayName: 'Max Retry Time (Seconds)',
		name: 'maxRetryTimeSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 120,
		description: 'Total back-off one request may spend before it is reported as failed',
	},
	{
		displayName: 'Records per Request',
		name: 'recordsPerRequest',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 100,
		description: 'Ometria takes at most 100 records per request',
	},
	{
		displayName: 'Rejection Check Wait (Seconds)',
		name: 'verifyWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 5,
		description:
			'How long to let Ometria process the last requests before reading its push errors (with Check for Rejections on)',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'A request without an answer in this time is retried',
	},
	timeZoneOption('Every output item shows the zone used.'),
]);

export const pushOptions = pushOptionsWith(true);

export const segmentLocator: INodeProperties = {
	displayName: 'Segment',
	name: 'segment',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A static segment (Ometria list)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSegments', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 8401',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[0-9]+$', errorMessage: 'A segment ID is a whole number' },
				},
			],
		},
	],
};

export const collectionField: INodeProperties = {
	displayName: 'Collection',
	name: 'collection',
	type: 'string',
	default: 'loyalty',
	description:
		'The contact collection (data source) in Ometria. A collection of its own keeps loyalty data from overwriting other sources.',
};

export const contactIdField: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.loyaltyId }}',
	description:
		'The contact listing ID within the collection, such as the loyalty ID. It must not contain personal data (no email or phone number).',
};

export const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@email.com',
	default: '',
};

export const customerIdField: INodeProperties = {
	displayName: 'Customer ID',
	name: 'customerId',
	type: 'string',
	default: '',
	description:
		'Your account or customer ID for the contact (no personal data). Ometria matches profiles on it first.',
};
