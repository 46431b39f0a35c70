import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
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

type WriteExecute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;
type ReadExecute = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

/** Writes push every input item together (batches of 100); reads run once per item. */
const writes: Record<string, WriteExecute> = {
	'contact.upsert': contact.upsert.execute,
	'customEvent.send': customEvent.send.execute,
	'segment.addMembers': segment.addMembers.execute,
	'segment.removeMembers': segment.removeMembers.execute,
};

const reads: Record<string, ReadExecute> = {
	'segment.getAll': segment.getAll.execute,
	'profile.get': profile.get.execute,
	'pushError.getAll': pushError.getAll.execute,
	'unsubscribe.getAll': unsubscribe.getAll.execute,
};

/** Outputs: 0 Success, 1 Rejected. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const key = `${resource}.${operation}`;

	const write = writes[key];
	if (write) return await write.call(this);

	const read = reads[key];
	if (!read)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);

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
