import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

import { ometriaGet } from '../transport';

/** Ometria's segments (lists). An unreadable answer is an error, never an empty list. */
export async function fetchSegments(
	this: IExecuteFunctions | ILoadOptionsFunctions,
	mode = 'active',
	itemIndex?: number,
): Promise<IDataObject[]> {
	const body = await ometriaGet.call(this, '/lists', { mode }, itemIndex);
	const list = Array.isArray(body)
		? body
		: ((body as IDataObject | undefined)?.data ?? (body as IDataObject | undefined)?.lists);
	if (!Array.isArray(list)) {
		throw new NodeOperationError(
			this.getNode(),
			'Ometria answered GET /lists with something other than a list of segments',
			{
				itemIndex,
				description: JSON.stringify(body).slice(0, 500),
			},
		);
	}
	return list as IDataObject[];
}
