import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { errorItem } from '../../shared/errorItem';
import { FeedFormatError } from '../logic/feedSchema';
import * as compare from './compare.operation';
import * as read from './read.operation';
import type { MemberFeedMap } from './node.type';
import type { Operation } from './types';
import {
	chooseOperation,
	type OperationTable,
	type ResourceOperations,
} from '../../shared/operations';

const feed: ResourceOperations<MemberFeedMap, 'feed', Operation> = { compare, read };
const operations: OperationTable<MemberFeedMap, Operation> = { feed };

/**
 * One feed file per input item, read one after the other (each is streamed). Output 0 holds the
 * member items, output 1 one summary item per file; both are paired with the file's item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = chooseOperation(this, operations, 'feed');
	const members: INodeExecutionData[] = [];
	const summaries: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const outcome = await operation.execute.call(this, itemIndex);
			for (const member of outcome.members) members.push(member);
			summaries.push(outcome.summary);
		} catch (caught) {
			const error =
				caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(
							this.getNode(),
							caught instanceof FeedFormatError
								? `Item ${itemIndex}: ${caught.message}`
								: (caught as Error),
							{ itemIndex },
						);
			if (!this.continueOnFail()) throw error;
			summaries.push(errorItem(error, { item: itemIndex }));
		}
	}
	return [members, summaries];
}
