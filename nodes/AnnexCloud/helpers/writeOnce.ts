import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { isDuplicateRefusal, transactionKey, type PointsWriteKind } from '../logic/idempotency';
import { annexRequest } from '../transport';

export const idempotencyKeyProperty: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: "e.g. {{ $json.orderId }} or {{ $json.memberId + ':' + $today.toISODate() }}",
	description:
		'Sent to Annex Cloud as customId: a second write with the same key is refused, so a re-run, replay or simultaneous duplicate books once. Build it from the source (order ID, event ID, member + date + step). Empty: derived from the Order ID; a write with neither is refused.',
};

/**
 * `POST /points` with `customId` and `retry: "NO"`. Because Annex Cloud refuses the key a second
 * time, the write is retried after a 5xx like a read; a refusal as already booked becomes an item
 * error that says so, and nothing is booked twice.
 */
export async function postPointsOnce(
	this: IExecuteFunctions,
	itemIndex: number,
	kind: PointsWriteKind,
	body: IDataObject,
	explicitKey: string,
): Promise<IDataObject> {
	const memberId = String(body.id);
	const orderId = typeof body.orderId === 'string' ? body.orderId : '';
	const customId = transactionKey(kind, memberId, explicitKey, orderId);
	if (customId === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`No idempotency key for the ${kind} of member ${memberId}`,
			{
				itemIndex,
				description:
					'Set "Idempotency Key" (or an Order ID) from the source of the write, so a re-run or a repeated request cannot book it twice',
			},
		);
	}
	const keyed: IDataObject = { ...body, customId, retry: 'NO' };
	const answer = await annexRequest
		.call(this, 'POST', '/points', { itemIndex, body: keyed, idempotent: true })
		.catch((error: unknown) => {
			const duplicate =
				error instanceof NodeApiError &&
				isDuplicateRefusal(error.httpCode ?? undefined, error.message);
			throw duplicate
				? new NodeOperationError(
						this.getNode(),
						`Already booked: the ${kind} with key "${customId}" for member ${memberId} was done before`,
						{
							itemIndex,
							description: 'Annex Cloud refused the repeated key; nothing was booked again.',
						},
					)
				: error;
		});
	return { ...answer, customId };
}
