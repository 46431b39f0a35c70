import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customEvent'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Send loyalty or custom events that can trigger Ometria automations',
				action: 'Send custom events',
			},
		],
		default: 'send',
	},
	...send.description,
];
