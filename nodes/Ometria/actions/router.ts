import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import * as contact from './contact/Contact.resource';
import * as customEvent from './customEvent/CustomEvent.resource';
import * as profile from './profile/Profile.resource';
import * as pushError from './pushError/PushError.resource';
import * as segment from './segment/Segment.resource';
import * as unsubscribe from './unsubscribe/Unsubscribe.resource';
import { errorItem } from '../../shared/errorItem';
import { chooseOperation, type OperationTable } from '../../shared/operations';
import type { OmetriaMap, OmetriaOperation } from './node.type';

/** Writes push every input item together (batches of 100); reads run once per item. */
const operations: OperationTable<OmetriaMap, OmetriaOperation> = {
	contact: { upsert: { write: contact.upsert.execute } },
	customEvent: { send: { write: customEvent.send.execute } },
	profile: { get: { read: profile.get.execute } },
	pushError: { getAll: { read: pushError.getAll.execute } },
	segment: {
		addMembers: { write: segment.addMembers.execute },
		getAll: { read: segment.getAll.execute },
		removeMembers: { write: segment.removeMembers.execute },
	},
	unsubscribe: { getAll: { read: unsubscribe.getAll.execute } },
};

/** Outputs: 0 Success, 1 Rejected (CONTRIBUTING, "Rejected output"). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = chooseOperation(this, operations);
	if ('write' in operation) return await operation.write.call(this);
	const read = operation.read;

	const items = this.getInputData();
	const success: INodeExecutionData[] = [];
	const rejected: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let failure: Error | undefined;
		try {
			const results = await read.call(this, itemIndex);
			success.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(results), {
					itemData: { item: itemIndex },
				}),
			);
		} catch (error) {
			failure = error as Error;
		}
		if (!failure) continue;
		if (!this.continueOnFail()) {
			throw failure instanceof NodeApiError || failure instanceof NodeOperationError
				? failure
				: new NodeOperationError(this.getNode(), failure, { itemIndex });
		}
		rejected.push(errorItem(failure, { item: itemIndex }));
	}
	return [success, rejected];
}
