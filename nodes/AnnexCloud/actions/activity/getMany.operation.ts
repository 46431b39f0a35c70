import type { IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { limitOf, memberIdOf } from '../../helpers/parameters';
import { ACTIVITY_LIST_KEYS } from '../../helpers/profile';
import { annexRequestAllPages, memberPath } from '../../transport';
import { returnAllAndLimit } from '../../../shared/descriptions';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['activity'], operation: ['getMany'] } },
	[memberIdProperty, ...returnAllAndLimit()],
);

/** The member's ledger (`/users/{id}/activity`), newest first, one item per line. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const { lines } = await annexRequestAllPages.call(
		this,
		memberPath('/users/{id}/activity', memberId),
		ACTIVITY_LIST_KEYS,
		{ itemIndex, limit: limitOf(this, itemIndex) },
	);
	return lines.map((line) => ({ memberId, ...line }));
}
