import type { INodeProperties } from 'n8n-workflow';

import type { AnnexCloudOperations } from '../node.type';
import * as award from './award.operation';
import * as deduct from './deduct.operation';
import * as getBalance from './getBalance.operation';
import * as getExpirySchedule from './getExpirySchedule.operation';

export const operations: AnnexCloudOperations<'points'> = {
	award,
	deduct,
	getBalance,
	getExpirySchedule,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['points'] } },
		options: [
			{
				name: 'Award',
				value: 'award',
				description: 'Credit points to a member',
				action: 'Award points',
			},
			{
				name: 'Deduct',
				value: 'deduct',
				description: 'Debit points from a member',
				action: 'Deduct points',
			},
			{
				name: 'Get Balance',
				value: 'getBalance',
				description: "Get a member's available, earned, used, held and expired points",
				action: 'Get a points balance',
			},
			{
				name: 'Get Expiry Schedule',
				value: 'getExpirySchedule',
				description: "Get when a member's points expire",
				action: 'Get a points expiry schedule',
			},
		],
		default: 'getBalance',
	},
	...award.description,
	...deduct.description,
	...getBalance.description,
	...getExpirySchedule.description,
];
