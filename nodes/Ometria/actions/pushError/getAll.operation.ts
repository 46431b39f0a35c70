import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { pushErrorList } from '../../logic/pushErrors';
import { toIdList } from '../../logic/values';
import { ometriaGet } from '../../transport';
import { returnAllAndLimit } from '../../../shared/descriptions';

const properties: INodeProperties[] = [
	...returnAllAndLimit(100),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Request IDs',
				name: 'requestIds',
				type: 'string',
				default: '',
				description:
					"Comma-separated request IDs from push answers (the requestId of this node's outputs)",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['pushError'], operation: ['getAll'] } },
	properties,
);

/** Ometria's most recent push validation errors (it keeps 100), newest first as Ometria sends them. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { requestIds?: string };
	const requestIds = new Set(toIdList(filters.requestIds));
	const errors = pushErrorList(await ometriaGet.call(this, '/push/_errors', {}, itemIndex))
		.filter(
			(error) =>
				requestIds.size === 0 || (error.requestId !== undefined && requestIds.has(error.requestId)),
		)
		.map((error) => ({
			request_id: error.requestId ?? null,
			record_type: error.recordType ?? null,
			record_id: error.recordId ?? null,
			error_message: error.message,
			error_path: error.errorPath ?? null,
			field: error.field ?? null,
			timestamp: error.timestamp ?? null,
			record: (error.record ?? null) as IDataObject | null,
		}));
	if (returnAll) return errors;
	return errors.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
}
