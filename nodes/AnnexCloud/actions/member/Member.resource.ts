import type { INodeProperties } from 'n8n-workflow';

import type { AnnexCloudOperations } from '../node.type';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getLoyaltyProfile from './getLoyaltyProfile.operation';
import * as optIn from './optIn.operation';
import * as optOut from './optOut.operation';
import * as search from './search.operation';
import * as update from './update.operation';

export const operations: AnnexCloudOperations<'member'> = {
	create,
	get,
	getLoyaltyProfile,
	optIn,
	optOut,
	search,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['member'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Enroll a member',
				action: 'Enroll a member',
			},
			{ name: 'Get', value: 'get', description: 'Get a member', action: 'Get a member' },
			{
				name: 'Get Loyalty Profile',
				value: 'getLoyaltyProfile',
				description:
					'Get every loyalty field of a member (points, tier, rewards, activity dates, weekly activity)',
				action: 'Get a member loyalty profile',
			},
			{
				name: 'Opt In',
				value: 'optIn',
				description: 'Opt a member in to the loyalty program',
				action: 'Opt in a member',
			},
			{
				name: 'Opt Out',
				value: 'optOut',
				description: 'Opt a member out of the loyalty program',
				action: 'Opt out a member',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Search members (50 per search; split by date for more)',
				action: 'Search members',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Update a member',
				action: 'Update a member',
			},
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...getLoyaltyProfile.description,
	...optIn.description,
	...optOut.description,
	...search.description,
	...update.description,
];
