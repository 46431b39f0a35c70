import type { INodeProperties } from 'n8n-workflow';

import type { AnnexCloudOperations } from '../node.type';
import * as assign from './assign.operation';
import * as getAvailable from './getAvailable.operation';
import * as getHistory from './getHistory.operation';
import * as redeem from './redeem.operation';

export const operations: AnnexCloudOperations<'reward'> = {
	assign,
	getAvailable,
	getHistory,
	redeem,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['reward'] } },
		options: [
			{
				name: 'Assign',
				value: 'assign',
				description: 'Give a member a reward without debiting points',
				action: 'Assign a reward',
			},
			{
				name: 'Get Available',
				value: 'getAvailable',
				description: 'Get the rewards a member can redeem',
				action: 'Get available rewards',
			},
			{
				name: 'Get History',
				value: 'getHistory',
				description: 'Get the rewards a member used or was given',
				action: 'Get reward history',
			},
			{
				name: 'Redeem',
				value: 'redeem',
				description: 'Redeem a reward for points, after checking the member may take it',
				action: 'Redeem a reward',
			},
		],
		default: 'getAvailable',
	},
	...assign.description,
	...getAvailable.description,
	...getHistory.description,
	...redeem.description,
];
