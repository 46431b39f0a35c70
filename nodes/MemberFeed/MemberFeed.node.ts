import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as compare from './actions/compare.operation';
import * as read from './actions/read.operation';
import { router } from './actions/router';

export class MemberFeed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Member Feed',
		name: 'memberFeed',
		icon: { light: 'file:memberFeed.svg', dark: 'file:memberFeed.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "read" ? "Read" : "Compare With Snapshot"}}',
		description:
			'Reads an Annex Cloud member feed (Data Feed or Member Report CSV) and passes on only the members that changed since the last snapshot',
		defaults: { name: 'Member Feed' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Members', 'Summary'],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Compare With Snapshot',
						value: 'compare',
						description:
							'New, changed and removed members since the last snapshot, each with the fields that changed, and the new snapshot',
						action: 'Compare a member feed with the last snapshot',
					},
					{
						name: 'Read',
						value: 'read',
						description: 'One page of the feed as loyalty records',
						action: 'Read a page of a member feed',
					},
				],
				default: 'compare',
			},
			{
				displayName: 'Feed Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				required: true,
				description:
					'The input binary field holding the member feed (from Read Files from Disk, S3 or FTP)',
			},
			...compare.description,
			...read.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
