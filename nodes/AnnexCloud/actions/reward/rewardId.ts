import type { INodeProperties } from 'n8n-workflow';

export const rewardIdProperty: INodeProperties = {
	displayName: 'Reward Name or ID',
	name: 'rewardId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getRewards', loadOptionsDependsOn: ['memberId'] },
	required: true,
	default: '',
	description:
		'The reward, from the member\'s reward list. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};
