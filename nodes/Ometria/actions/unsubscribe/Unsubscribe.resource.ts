import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['unsubscribe'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description:
					'Get unsubscribes made in Ometria (preference centre, unsubscribe links, SMS stop words)',
				action: 'Get many unsubscribes',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
