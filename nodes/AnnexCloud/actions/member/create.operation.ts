import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { memberBody, memberIdOf } from '../../helpers/parameters';
import { annexRequest } from '../../transport';
import { memberFieldProperties, memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';
import { additionalFieldsCollection } from '../../../shared/descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['create'] } },
	[
		{
			...memberIdProperty,
			description: 'The unique ID the new member gets in Annex Cloud (often the email)',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			required: true,
			default: '',
		},
		additionalFieldsCollection(memberFieldProperties(false)),
	],
);

/** Enrolls a member (`POST /users`); opt-in defaults to YES as in Annex Cloud. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const id = memberIdOf(this, itemIndex);
	const email = String(this.getNodeParameter('email', itemIndex, '')).trim();
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		id,
		email,
		optInStatus: 'YES',
		...memberBody(this, itemIndex, fields),
	};
	// Enrollment is keyed by the member id: a repeated POST is refused as a duplicate, not doubled.
	return await annexRequest.call(this, 'POST', '/users', { itemIndex, body, idempotent: true });
}
