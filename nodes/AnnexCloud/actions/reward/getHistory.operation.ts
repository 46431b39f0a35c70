import type { IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { limitOf, memberIdOf } from '../../helpers/parameters';
import { annexRequestAllPages, memberPath } from '../../transport';
import { returnAllAndLimit } from '../../../shared/descriptions';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['reward'], operation: ['getHistory'] } },
	[memberIdProperty, ...returnAllAndLimit()],
);

/** Rewards the member used or was given (`/usedreward`), newest first, one item each. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const { lines } = await annexRequestAllPages.call(
		this,
		memberPath('/users/{id}/usedreward', memberId),
		['rewardDetail', 'usedRewards'],
		{ itemIndex, limit: limitOf(this, itemIndex) },
	);
	return lines.map((line) => ({ memberId, ...line }));
}
