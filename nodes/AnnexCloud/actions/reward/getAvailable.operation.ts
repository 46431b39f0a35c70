import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { memberIdOf } from '../../helpers/parameters';
import { isEligible } from '../../logic/rewards';
import { rewardOptions } from '../../logic/profile';
import { listIn, toNumber } from '../../logic/unwrap';
import { annexRequest, memberPath } from '../../transport';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';

export const description = updateDisplayOptions(
	{ show: { resource: ['reward'], operation: ['getAvailable'] } },
	[
		memberIdProperty,
		{
			displayName: 'Only Eligible',
			name: 'onlyEligible',
			type: 'boolean',
			default: true,
			description: 'Whether to return only the rewards the member can redeem now',
		},
	],
);

/** One item per reward, with `eligible` as Annex Cloud and the member's points decide it. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const onlyEligible = this.getNodeParameter('onlyEligible', itemIndex, true) as boolean;
	const [answer, points] = await Promise.all([
		annexRequest.call(this, 'GET', memberPath('/users/{id}/reward', memberId), { itemIndex }),
		annexRequest.call(this, 'GET', memberPath('/points/{id}', memberId), { itemIndex }),
	]);
	const availablePoints = toNumber(points.availablePoints);
	const raw = listIn(answer, ['rewardDetail', 'rewards']);
	return rewardOptions(answer)
		.map((reward, index) => ({
			...raw[index],
			memberId,
			rewardId: reward.rewardId,
			name: reward.name,
			creditRequired: reward.creditRequired,
			eligible: isEligible(reward, availablePoints),
			pointsShort:
				reward.creditRequired !== null && availablePoints !== undefined
					? Math.max(0, reward.creditRequired - availablePoints)
					: null,
		}))
		.filter((reward) => !onlyEligible || reward.eligible) as IDataObject[];
}
