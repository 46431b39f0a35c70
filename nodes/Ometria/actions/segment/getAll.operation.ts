import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { fetchSegments } from '../../helpers/lists';
import { returnAllAndLimit } from '../../../shared/descriptions';

const properties: INodeProperties[] = [
	...returnAllAndLimit(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Status',
				name: 'mode',
				type: 'options',
				options: [
					{ name: 'Active', value: 'active' },
					{ name: 'All', value: 'all' },
					{ name: 'Archived', value: 'archived' },
				],
				default: 'active',
			},
			{
				displayName: 'Title Contains',
				name: 'title',
				type: 'string',
				default: '',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['segment'], operation: ['getAll'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		mode?: string;
		title?: string;
	};
	const needle = (filters.title ?? '').trim().toLowerCase();
	const segments = (await fetchSegments.call(this, filters.mode ?? 'active', itemIndex)).filter(
		(segment) =>
			!needle ||
			String(segment.title ?? '')
				.toLowerCase()
				.includes(needle),
	);
	if (returnAll) return segments;
	return segments.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
}
