import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['pushError'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: "Get Ometria's recent push validation errors",
				action: 'Get many push errors',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
