import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/**
 * The item a failed input becomes under "Continue on Fail". It carries only `error` and
 * `details`: n8n moves an item to the error output ("Continue (using error output)") only when
 * its JSON keys are among error/message/details, and an `item.error` would replace the JSON.
 */
export function errorItem(
	error: Error,
	pairedItem: INodeExecutionData['pairedItem'],
	details?: string | IDataObject,
): INodeExecutionData {
	return {
		json: details === undefined ? { error: error.message } : { error: error.message, details },
		pairedItem,
	};
}
