import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { memberIdOf } from '../../helpers/parameters';
import { idempotencyKeyProperty, postPointsOnce } from '../../helpers/writeOnce';
import { ACTION_IDS } from '../../logic/activity';
import { rewardOptions } from '../../logic/profile';
import { checkRedemption } from '../../logic/rewards';
import { toNumber } from '../../logic/unwrap';
import { annexRequest, memberPath } from '../../transport';
import { memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';
import { rewardIdProperty } from './rewardId';
import { optionsCollection } from '../../../shared/descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['reward'], operation: ['redeem'] } },
	[
		memberIdProperty,
		rewardIdProperty,
		idempotencyKeyProperty,
		optionsCollection([
			{
				displayName: 'Order ID',
				name: 'orderId',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
			},
		]),
	],
);

/**
 * The entitlement is verified first (the reward is offered to the member, in stock, and covered by
 * their available points); a refusal is an item error that says why, and no debit is sent. The
 * check is a courtesy: the debit itself is keyed (customId), and Annex Cloud checks eligibility
 * again when it books, so two simultaneous requests for one order debit once.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const rewardId = String(this.getNodeParameter('rewardId', itemIndex)).trim();
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const [rewardsAnswer, points] = await Promise.all([
		annexRequest.call(this, 'GET', memberPath('/users/{id}/reward', memberId), { itemIndex }),
		annexRequest.call(this, 'GET', memberPath('/points/{id}', memberId), { itemIndex }),
	]);
	const availablePoints = toNumber(points.availablePoints);
	const check = checkRedemption(rewardId, rewardOptions(rewardsAnswer), availablePoints);
	if (!check.allowed) {
		throw new NodeOperationError(
			this.getNode(),
			`Member ${memberId} cannot redeem reward ${rewardId}: ${check.reason}`,
			{
				itemIndex,
				description: 'Nothing was debited. The eligibility check ran before the redemption.',
			},
		);
	}
	const body: IDataObject = {
		id: memberId,
		actionId: ACTION_IDS.redemption,
		rewardId: toNumber(rewardId) ?? rewardId,
		activity: 'DEBIT',
	};
	if (options.orderId) body.orderId = options.orderId;
	if (options.reason) body.reason = options.reason;
	const answer = await postPointsOnce.call(
		this,
		itemIndex,
		'redeem',
		body,
		String(this.getNodeParameter('idempotencyKey', itemIndex, '') ?? ''),
	);
	return {
		...answer,
		memberId,
		rewardId,
		rewardName: check.reward.name,
		pointsDebited: check.reward.creditRequired,
		availablePointsBefore: availablePoints ?? null,
	} as IDataObject;
}
