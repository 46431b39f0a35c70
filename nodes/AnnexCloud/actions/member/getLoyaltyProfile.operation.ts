import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { fetchLoyaltyProfile } from '../../helpers/profile';
import { memberIdOf, readActivitySummaryOptions } from '../../helpers/parameters';
import { activitySummaryOptions, memberIdProperty } from '../common.descriptions';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['getLoyaltyProfile'] } },
	[
		memberIdProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				...activitySummaryOptions(
					'The moment the profile describes: the weekly summary ends with the last complete week before it, and the next expiry is the first one after it. Empty means now.',
				),
				{
					displayName: 'Include Raw Responses',
					name: 'includeRaw',
					type: 'boolean',
					default: false,
					description: 'Whether to add the five API answers the profile was built from under "raw"',
				},
				{
					displayName: 'Weeks of Activity',
					name: 'weeks',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 12,
					description: 'How many ISO weeks the weekly activity summary covers',
				},
			],
		},
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { profile, raw } = await fetchLoyaltyProfile.call(this, memberId, itemIndex, {
		...readActivitySummaryOptions(this, itemIndex, options),
		weeks: Number(options.weeks ?? 12),
	});
	const json = profile as unknown as IDataObject;
	return options.includeRaw ? { ...json, raw: raw as unknown as IDataObject } : json;
}
