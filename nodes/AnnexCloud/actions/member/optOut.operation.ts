import type { IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { patchMember } from '../../helpers/member';
import { memberIdOf } from '../../helpers/parameters';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['optOut'] } },
	[memberIdProperty],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	return await patchMember.call(this, memberId, { optInStatus: 'NO' }, itemIndex);
}
