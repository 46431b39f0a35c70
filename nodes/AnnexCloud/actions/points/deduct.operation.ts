import type { IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import type { OperationResult } from '../types';
import { adjustPoints, adjustProperties } from './adjust';

export const description = updateDisplayOptions(
	{ show: { resource: ['points'], operation: ['deduct'] } },
	adjustProperties('DEBIT'),
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	return await adjustPoints.call(this, itemIndex, 'DEBIT');
}
