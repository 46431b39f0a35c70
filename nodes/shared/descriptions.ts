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
 * The Options collection of a node or an operation, under the one name (`options`) that saved
 * workflows and templates hold; `extra` adds e.g. its displayOptions.
 */
export function optionsCollection(
	options: INodeProperties[],
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		...extra,
		options,
	};
}
