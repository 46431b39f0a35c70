import type { IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { memberIdOf } from '../../helpers/parameters';
import { annexRequest, memberPath } from '../../transport';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['get'] } },
	[memberIdProperty],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	return await annexRequest.call(this, 'GET', memberPath('/users/{id}', memberId), { itemIndex });
}
