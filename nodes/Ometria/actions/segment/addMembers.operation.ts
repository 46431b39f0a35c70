import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { executeMembership, memberProperties } from './members';

export const description = updateDisplayOptions(
	{ show: { resource: ['segment'], operation: ['addMembers'] } },
	memberProperties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeMembership.call(this, 'add');
}
