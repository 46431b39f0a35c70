import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** What one input item (one feed file) becomes: member items and one summary item. */
export interface FeedOutcome {
	members: INodeExecutionData[];
	summary: INodeExecutionData;
}

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<FeedOutcome>;
}
