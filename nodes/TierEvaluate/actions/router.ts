import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as entitlementLifecycle from './entitlementLifecycle.operation';
import * as evaluate from './evaluate.operation';
import type { TierEvaluateMap } from './node.type';
import type { Operation } from './types';
import {
	chooseOperation,
	type OperationTable,
	type ResourceOperations,
} from '../../shared/operations';

const member: ResourceOperations<TierEvaluateMap, 'member', Operation> = {
	entitlementLifecycle,
	evaluate,
};
const operations: OperationTable<TierEvaluateMap, Operation> = { member };

/** Both operations take every input item in one call; each pairs and fails its own items. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = chooseOperation(this, operations, 'member');
	return [await operation.execute.call(this, this.getInputData())];
}
