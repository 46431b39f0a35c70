import type { INodeProperties } from 'n8n-workflow';

import type { AnnexCloudOperations } from '../node.type';
import * as getMany from './getMany.operation';
import * as getWeeklySummary from './getWeeklySummary.operation';

export const operations: AnnexCloudOperations<'activity'> = { getMany, getWeeklySummary };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activity'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Get a member's activity ledger",
				action: 'Get many activities',
			},
			{
				name: 'Get Weekly Summary',
				value: 'getWeeklySummary',
				description: 'Get activity counts and points per ISO week',
				action: 'Get a weekly activity summary',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getWeeklySummary.description,
];
