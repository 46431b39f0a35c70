import type { INodeProperties } from 'n8n-workflow';

import type { AnnexCloudOperations } from '../node.type';
import * as getMany from './getMany.operation';
import * as getMemberTier from './getMemberTier.operation';

export const operations: AnnexCloudOperations<'tier'> = { getMany, getMemberTier };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['tier'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Get the site's tier list",
				action: 'Get many tiers',
			},
			{
				name: 'Get Member Tier',
				value: 'getMemberTier',
				description: "Get a member's current and next tier",
				action: 'Get a member tier',
			},
		],
		default: 'getMemberTier',
	},
	...getMany.description,
	...getMemberTier.description,
];
