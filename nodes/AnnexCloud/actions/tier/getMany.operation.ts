import type { IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { fetchTierList } from '../../helpers/tiers';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['tier'], operation: ['getMany'] } },
	[
		{
			displayName: 'Tier Names or IDs',
			name: 'tierFilter',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getTiers' },
			default: [],
			description:
				'Return only these tiers; none means all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
	],
);

/** The site's tier list (`/tierlist/all`), one item per tier in tier order. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const filter = (this.getNodeParameter('tierFilter', itemIndex, []) as string[]).map(String);
	const tiers = await fetchTierList.call(this, itemIndex);
	return filter.length
		? tiers.filter(
				(tier) => filter.includes(String(tier.tierId)) || filter.includes(String(tier.tierName)),
			)
		: tiers;
}
