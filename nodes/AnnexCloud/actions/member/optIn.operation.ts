import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { patchMember } from '../../helpers/member';
import { dateParameter, memberIdOf } from '../../helpers/parameters';
import { formatAnnexDate } from '../../logic/dates';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';
import { optionsCollection } from '../../../shared/descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['optIn'] } },
	[
		memberIdProperty,
		optionsCollection([
			{
				displayName: 'Opt-In Date',
				name: 'optInDate',
				type: 'dateTime',
				default: '',
				description: 'When the member opted in. Empty means now.',
			},
		]),
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const at = dateParameter(options.optInDate, this, itemIndex, 'Opt-In Date') ?? Date.now();
	return await patchMember.call(
		this,
		memberId,
		{ optInStatus: 'YES', optInDate: formatAnnexDate(at) },
		itemIndex,
	);
}
