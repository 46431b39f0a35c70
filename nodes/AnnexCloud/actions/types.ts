import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** What one input item produces: one output item, or several (all paired with that input). */
export type OperationResult = IDataObject | IDataObject[];

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult>;
}
