import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { memberIdOf, readActivitySummaryOptions } from '../../helpers/parameters';
import { ACTIVITY_LIST_KEYS } from '../../helpers/profile';
import { weeklyActivitySummary } from '../../logic/activity';
import { annexRequestAllPages, memberPath } from '../../transport';
import { activitySummaryOptions, memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';
import { optionsCollection } from '../../../shared/descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getWeeklySummary'] } },
	[
		memberIdProperty,
		{
			displayName: 'Weeks',
			name: 'weeks',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 12,
			description:
				'How many ISO weeks to summarise, ending with the last complete week before "As Of"',
		},
		optionsCollection(activitySummaryOptions('The moment the summary describes. Empty means now.')),
	],
);

/**
 * One item per member: activity counts and points per ISO week (empty weeks included), with
 * the weeks since the last activity and the run of declining weeks for inactivity rules.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const weeks = Number(this.getNodeParameter('weeks', itemIndex, 12));
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { lines } = await annexRequestAllPages.call(
		this,
		memberPath('/users/{id}/activity', memberId),
		ACTIVITY_LIST_KEYS,
		{ itemIndex },
	);
	const summary = weeklyActivitySummary(lines, {
		...readActivitySummaryOptions(this, itemIndex, options),
		weeks,
	});
	return { memberId, ...summary } as unknown as IDataObject;
}
