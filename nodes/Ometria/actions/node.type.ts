import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** Resources and their operations, as the Resource and Operation parameters name them. */
export type OmetriaMap = {
	contact: 'upsert';
	customEvent: 'send';
	profile: 'get';
	pushError: 'getAll';
	segment: 'addMembers' | 'getAll' | 'removeMembers';
	unsubscribe: 'getAll';
};

/**
 * Writes take every input item at once (batches of up to 100 records per request) and answer
 * both outputs themselves; reads run once per item and the router pairs and routes their
 * results.
 */
export type OmetriaOperation =
	| { write: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> }
	| { read: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]> };
