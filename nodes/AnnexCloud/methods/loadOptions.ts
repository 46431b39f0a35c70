import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { fetchTierList } from '../helpers/tiers';
import { rewardOptions } from '../logic/profile';
import { annexRequest, memberPath } from '../transport';

/** The site's tiers (`/tierlist/all`). API errors surface: an empty list means no tiers. */
export async function getTiers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const tiers = await fetchTierList.call(this, 0);
	return tiers.map((tier) => ({
		name: String(tier.tierName ?? tier.name ?? tier.tierId),
		value: String(tier.tierName ?? tier.tierId),
		description:
			tier.pointsRequired === undefined ? undefined : `From ${String(tier.pointsRequired)} points`,
	}));
}

/** The rewards offered to the member named in "Member ID", cheapest first. */
export async function getRewards(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const memberId = String(this.getCurrentNodeParameter('memberId') ?? '').trim();
	if (memberId === '' || memberId.startsWith('=')) {
		throw new NodeOperationError(
			this.getNode(),
			"Set a fixed Member ID first to list that member's rewards",
			{
				description:
					'Rewards are listed per member. With an expression, enter the reward ID instead.',
			},
		);
	}
	const answer = await annexRequest.call(this, 'GET', memberPath('/users/{id}/reward', memberId), {
		itemIndex: 0,
	});
	return rewardOptions(answer)
		.sort((a, b) => (a.creditRequired ?? 0) - (b.creditRequired ?? 0))
		.map((reward) => ({
			name: reward.name,
			value: reward.rewardId,
			description:
				reward.creditRequired === null
					? undefined
					: `${reward.creditRequired} points${reward.eligible === false ? ' (not eligible now)' : ''}`,
		}));
}
