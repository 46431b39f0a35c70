import { annexError, ok, parseAnnexBody } from './annexReplies';
import type { AnnexContext, Assignment } from './annexState';
import { annexDateTime } from './dates';
import type { Reply, SandboxRequest } from './http';

/** Annex Cloud reward codes and coupon assignment (Rewards V2). */

export function issueCode(ctx: AnnexContext, rewardId: number): string {
	return `RW${rewardId}-${String(ctx.state.nextSequence()).padStart(6, '0')}`;
}

/** Coupon assignment (Rewards V2): takes one unit of stock, debits no points. */
export function assignReward(
	ctx: AnnexContext,
	request: SandboxRequest,
	rewardIdText: string,
	memberId: string,
): Reply {
	const parsed = request.rawBody.trim() === '' ? { body: {} } : parseAnnexBody(request);
	if ('failure' in parsed) return parsed.failure;
	const body: Record<string, unknown> = parsed.body;
	const member = ctx.state.member(memberId);
	if (!member) return annexError(404, 'USER_NOT_FOUND', `User ${memberId} does not exist`);
	const reward = ctx.state.reward(Number(rewardIdText));
	if (!reward) return annexError(404, 'REWARD_NOT_FOUND', `Reward ${rewardIdText} does not exist`);
	if (reward.stock <= 0)
		return annexError(400, 'REWARD_OUT_OF_STOCK', `Reward ${reward.rewardId} is out of stock`);
	reward.stock--;
	reward.issued++;
	const assignment: Assignment = {
		assign_id: `asg-${ctx.state.nextSequence()}`,
		reward_id: reward.rewardId,
		user_id: member.id,
		rewardCode: issueCode(ctx, reward.rewardId),
		issuance_details: body.issuance_details ?? null,
		createDate: annexDateTime(Date.now()),
	};
	ctx.state.assignments.push(assignment);
	ctx.state.changed.add(member.id);
	return ok(ctx, {
		assign_id: assignment.assign_id,
		reward_id: reward.rewardId,
		user_id: member.id,
		reward_code: assignment.rewardCode,
		reward_name: reward.displayText,
		status: 'assigned',
		stock_remaining: reward.stock,
	});
}
