import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as activity from './actions/activity/Activity.resource';
import * as member from './actions/member/Member.resource';
import * as points from './actions/points/Points.resource';
import * as reward from './actions/reward/Reward.resource';
import { DEFAULT_CONCURRENCY, router } from './actions/router';
import * as tier from './actions/tier/Tier.resource';
import { loadOptions } from './methods';

export class AnnexCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Annex Cloud',
		name: 'annexCloud',
		icon: { light: 'file:annexCloud.svg', dark: 'file:annexCloud.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read and change loyalty members, points, rewards, activity and tiers in Annex Cloud',
		defaults: { name: 'Annex Cloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'annexCloudApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Activity', value: 'activity' },
					{ name: 'Member', value: 'member' },
					{ name: 'Point', value: 'points' },
					{ name: 'Reward', value: 'reward' },
					{ name: 'Tier', value: 'tier' },
				],
				default: 'member',
			},
			...member.description,
			...points.description,
			...reward.description,
			...activity.description,
			...tier.description,
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many input items are processed at the same time. Annex Cloud publishes no rate limit; lower this if it answers 429.',
			},
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
