import type { INodeProperties } from 'n8n-workflow';

/** Return All and Limit for a Get Many operation; `maxLimit` when the API returns at most that. */
export function returnAllAndLimit(maxLimit?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, ...(maxLimit ? { maxValue: maxLimit } : {}) },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	];
}

/** Options of every date rule: the clock can be moved and members live in time zones. */
export const asOfOption: INodeProperties = {
	displayName: 'As Of',
	name: 'asOf',
	type: 'dateTime',
	default: '',
	description:
		'The date to evaluate on; empty means now. A date without a time zone is that date in every member’s time zone, so a campaign can be checked on a chosen day.',
};

export function feb29Option(description: string): INodeProperties {
	return {
		displayName: 'February 29 Dates',
		name: 'feb29Rule',
		type: 'options',
		options: [
			{ name: 'Celebrate on February 28', value: 'feb28' },
			{ name: 'Celebrate on March 1', value: 'mar1' },
		],
		default: 'feb28',
		description,
	};
}

export const timeZoneOption: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'string',
	default: 'UTC',
	placeholder: 'e.g. Europe/London',
	description: 'IANA time zone for members without one of their own',
};

/**
 * The two collections of optional parameters n8n's nodes use, under the names (`options`,
 * `additionalFields`) that saved workflows and templates hold; `extra` adds e.g. displayOptions.
 */
function collection(
	displayName: string,
	name: string,
	placeholder: string,
	options: INodeProperties[],
	extra: Partial<INodeProperties>,
): INodeProperties {
	return { displayName, name, type: 'collection', placeholder, default: {}, ...extra, options };
}

/** Settings of how a node or an operation works, which most runs leave as they are. */
export function optionsCollection(
	options: INodeProperties[],
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return collection('Options', 'options', 'Add Option', options, extra);
}

/** Further fields of the record an operation writes. */
export function additionalFieldsCollection(options: INodeProperties[]): INodeProperties {
	return collection('Additional Fields', 'additionalFields', 'Add Field', options, {});
}
