import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { runPool } from '../logic/pool';
import * as activity from './activity/Activity.resource';
import * as member from './member/Member.resource';
import * as points from './points/Points.resource';
import * as reward from './reward/Reward.resource';
import * as tier from './tier/Tier.resource';
import type { AnnexCloudMap } from './node.type';
import type { Operation } from './types';
import { chooseOperation, type OperationTable } from '../../shared/operations';
import { errorItem } from '../../shared/errorItem';

const operations: OperationTable<AnnexCloudMap, Operation> = {
	member: member.operations,
	points: points.operations,
	reward: reward.operations,
	activity: activity.operations,
	tier: tier.operations,
};

export const DEFAULT_CONCURRENCY = 5;

function withItemIndex(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * Runs the chosen operation for every input item, `concurrency` items at a time (Annex Cloud
 * publishes no rate limit, so the bound is the user's). Output keeps input order; every item is
 * paired with its input; a failed item becomes an error item under "Continue on Fail".
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = chooseOperation(this, operations);
	const concurrency = Number(this.getNodeParameter('concurrency', 0, DEFAULT_CONCURRENCY));
	const continueOnFail = this.continueOnFail();
	const outcomes = await runPool(
		items.length,
		concurrency,
		async (itemIndex) => await operation.execute.call(this, itemIndex),
		{ stopOnError: !continueOnFail },
	);

	const returnData: INodeExecutionData[] = [];
	outcomes.forEach((outcome, itemIndex) => {
		if (outcome.ok === 'skipped') return;
		if (outcome.ok === false) {
			const error = withItemIndex(this, outcome.error, itemIndex);
			if (!continueOnFail) throw error;
			returnData.push(errorItem(error, { item: itemIndex }, error.description ?? undefined));
			return;
		}
		const results = Array.isArray(outcome.value) ? outcome.value : [outcome.value];
		for (const json of results) returnData.push({ json, pairedItem: { item: itemIndex } });
	});
	return [returnData];
}
