import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { memberBody, memberIdOf } from '../../helpers/parameters';
import { patchMember } from '../../helpers/member';
import { memberFieldProperties, memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['update'] } },
	[
		memberIdProperty,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: memberFieldProperties(true),
		},
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const fields = memberBody(
		this,
		itemIndex,
		this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
	);
	if (!Object.keys(fields).length) {
		throw new NodeOperationError(this.getNode(), 'No fields to update', {
			itemIndex,
			description: 'Add at least one field under "Update Fields"',
		});
	}
	return await patchMember.call(this, memberId, fields, itemIndex);
}
