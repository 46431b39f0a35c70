import type { IDataObject } from 'n8n-workflow';

import type { RequestContext } from '../../shared/http';
import { toNumber } from '../logic/unwrap';
import { annexRequestAllPages } from '../transport';

/** `GET /tierlist/all`, every page, sorted by tier level when the answer has one. */
export async function fetchTierList(
	this: RequestContext,
	itemIndex: number,
): Promise<IDataObject[]> {
	const { lines } = await annexRequestAllPages.call(
		this,
		'/tierlist/all',
		['tierDetail', 'tiers'],
		{
			itemIndex,
		},
	);
	return [...lines].sort(
		(a, b) => (toNumber(a.tierLevel) ?? 0) - (toNumber(b.tierLevel) ?? 0),
	) as IDataObject[];
}
