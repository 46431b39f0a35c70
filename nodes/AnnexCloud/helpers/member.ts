import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { annexRequest, memberPath } from '../transport';

/**
 * `PATCH /users/{id}` carrying the id in the body too, as Annex Cloud's SAP connector does.
 * Setting fields to given values is idempotent, so it is retried like a read.
 */
export async function patchMember(
	this: IExecuteFunctions,
	memberId: string,
	fields: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const answer = await annexRequest.call(this, 'PATCH', memberPath('/users/{id}', memberId), {
		itemIndex,
		body: { id: memberId, ...fields },
		idempotent: true,
	});
	return { id: memberId, ...answer } as IDataObject;
}
