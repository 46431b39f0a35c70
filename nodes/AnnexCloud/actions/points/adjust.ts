import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { memberIdOf } from '../../helpers/parameters';
import { ACTION_IDS } from '../../logic/activity';
import { idempotencyKeyProperty, postPointsOnce } from '../../helpers/writeOnce';
import { memberIdProperty } from '../../descriptions/parameters';
import { additionalFieldsCollection } from '../../../shared/descriptions';

/** Award and Deduct share their parameters and differ only in the ledger direction. */
export function adjustProperties(direction: 'CREDIT' | 'DEBIT'): INodeProperties[] {
	return [
		memberIdProperty,
		{
			displayName: 'Points',
			name: 'points',
			type: 'number',
			typeOptions: { minValue: 1 },
			required: true,
			default: 1,
			description: direction === 'CREDIT' ? 'Points to award' : 'Points to deduct',
		},
		{
			displayName: 'Action ID',
			name: 'actionId',
			type: 'number',
			default: 100,
			description:
				'The Annex Cloud action the points are booked under (100 is a manual adjustment; action IDs are configured per site)',
		},
		{
			displayName: 'Reason',
			name: 'reason',
			type: 'string',
			default: '',
			description: "Shown in the member's activity ledger",
		},
		idempotencyKeyProperty,
		additionalFieldsCollection([
			{
				displayName: 'Order ID',
				name: 'orderId',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'string',
				default: '',
				placeholder: 'e.g. n8n',
			},
		]),
	];
}

/** `POST /points` with `activity` CREDIT or DEBIT, keyed so that it books once. */
export async function adjustPoints(
	this: IExecuteFunctions,
	itemIndex: number,
	direction: 'CREDIT' | 'DEBIT',
): Promise<IDataObject> {
	const memberId = memberIdOf(this, itemIndex);
	const points = Number(this.getNodeParameter('points', itemIndex));
	const actionId = Number(this.getNodeParameter('actionId', itemIndex, ACTION_IDS.manual));
	const reason = String(this.getNodeParameter('reason', itemIndex, '') ?? '');
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		id: memberId,
		actionId,
		activity: direction,
		[direction === 'CREDIT' ? 'credit' : 'debit']: points,
	};
	if (reason) body.reason = reason;
	if (extra.orderId) body.orderId = extra.orderId;
	if (extra.source) body.source = extra.source;
	return await postPointsOnce.call(
		this,
		itemIndex,
		direction === 'CREDIT' ? 'award' : 'deduct',
		body,
		String(this.getNodeParameter('idempotencyKey', itemIndex, '') ?? ''),
	);
}
