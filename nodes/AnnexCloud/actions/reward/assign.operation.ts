import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { memberIdOf } from '../../helpers/parameters';
import { annexRequest, memberPath } from '../../transport';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';
import { rewardIdProperty } from './rewardId';
import { optionsCollection } from '../../../shared/descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['reward'], operation: ['assign'] } },
	[
		memberIdProperty,
		rewardIdProperty,
		optionsCollection([
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				default: '',
				description: 'Why the reward is given, kept with the issuance',
			},
			{
				displayName: 'Source Name',
				name: 'sourceName',
				type: 'string',
				default: 'n8n',
			},
			{
				displayName: 'Source Type',
				name: 'sourceType',
				type: 'options',
				default: 'manual',
				options: [
					{ name: 'Manual', value: 'manual' },
					{ name: 'Journey', value: 'journey' },
				],
			},
		]),
	],
);

/** Gives the member a reward without debiting points (Rewards V2 assign), e.g. a birthday coupon. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const rewardId = String(this.getNodeParameter('rewardId', itemIndex)).trim();
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		reward_id: rewardId,
		user_id: memberId,
		issuance_details: {
			source_type: options.sourceType ?? 'manual',
			source_details: {
				source_name: options.sourceName ?? 'n8n',
				...(options.notes ? { notes: options.notes } : {}),
			},
		},
	};
	const answer = await annexRequest.call(
		this,
		'POST',
		memberPath('/rewards/{reward}/users/{id}/assign', memberId, { reward: rewardId }),
		{ itemIndex, body, idempotent: false },
	);
	return { ...answer, memberId, rewardId } as IDataObject;
}
