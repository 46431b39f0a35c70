import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_DATE_FORMATS } from '../logic/feedSchema';
import { optionsCollection } from '../../shared/descriptions';

/** The settings every operation that reads a feed shares: how the file is written. */
export const feedFormatOptions: INodeProperties = {
	displayName: 'Feed Format',
	name: 'feedFormat',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	options: [
		{
			displayName: 'Column Map',
			name: 'columnMap',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'Customer No=loyaltyId\nPoints=availablePoints',
			description:
				'One "Header=field" per line, added to (or replacing) the default Member Report header names. Fields are the names Get Loyalty Profile uses.',
		},
		{
			displayName: 'Date Formats',
			name: 'dateFormats',
			type: 'string',
			default: DEFAULT_DATE_FORMATS.join(' | '),
			description:
				'Luxon formats tried in order, separated by "|"; ISO 8601 is always accepted. A date that matches none rejects the row.',
		},
		{
			displayName: 'Delimiter',
			name: 'delimiter',
			type: 'string',
			default: ',',
			description: 'One character; use \\t for tab',
		},
		{
			displayName: 'Known Tiers',
			name: 'knownTiers',
			type: 'string',
			default: '',
			placeholder: 'Bronze, Silver, Gold, Platinum',
			description:
				'Comma-separated tier names; a row with another tier is rejected. Empty: any tier.',
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'string',
			default: 'UTC',
			description: 'Zone of dates written without an offset (IANA name)',
		},
	],
};

export const rejectListLimit: INodeProperties = {
	displayName: 'Rejected Rows Listed',
	name: 'rejectListLimit',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 1000,
	description:
		'How many rejected rows the summary lists one by one with line and reason (all are counted, and all are in the rejects CSV)',
};

/** The operation's Options collection, Rejected Rows Listed included. */
export function operationOptions(...options: INodeProperties[]): INodeProperties[] {
	return [
		feedFormatOptions,
		optionsCollection(
			[...options, rejectListLimit].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		),
	];
}
