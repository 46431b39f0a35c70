import type { INodeProperties } from 'n8n-workflow';

import * as addMembers from './addMembers.operation';
import * as getAll from './getAll.operation';
import * as removeMembers from './removeMembers.operation';

export { addMembers, getAll, removeMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['segment'] } },
		options: [
			{
				name: 'Add Members',
				value: 'addMembers',
				description: 'Add contacts to a static segment',
				action: 'Add contacts to a segment',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List segments',
				action: 'Get many segments',
			},
			{
				name: 'Remove Members',
				value: 'removeMembers',
				description: 'Remove contacts from a static segment',
				action: 'Remove contacts from a segment',
			},
		],
		default: 'addMembers',
	},
	...addMembers.description,
	...removeMembers.description,
	...getAll.description,
];
