import {
	ANNEX_NODE,
	byMember,
	continueOnFail,
	operationSandbox,
	requests,
	runOperation,
} from '../support';

/** Reward › redeem against the sandbox over real HTTP; writes are checked in its state. */
describe('Annex Cloud: reward redeem', () => {
	const sandbox = operationSandbox();

	it('redeems an eligible reward and debits its points', async () => {
		sandbox().state.annex.member('zhang-min')!.availablePoints = 1200;
		const run = await runOperation(sandbox(), 'reward/redeem', {
			memberId: 'zhang-min',
			rewardId: '1002',
			options: { orderId: 'web-5001' },
		});
		expect(run.error).toBeUndefined();
		expect(run.output(ANNEX_NODE)[0]).toMatchObject({
			rewardName: '$10 Reward',
			pointsDebited: 1000,
			availablePoints: 200,
		});
		expect(sandbox().state.annex.redemptions).toHaveLength(1);
	});

	it('refuses a reward the member may not take, says why, and debits nothing', async () => {
		sandbox().state.annex.member('li-lei')!.availablePoints = 1200;
		const input = [
			{ memberId: 'li-lei', rewardId: '1003' }, // $25: 2500 points needed
			{ memberId: 'li-lei', rewardId: '1006' }, // out of stock
			{ memberId: 'li-lei', rewardId: '4242' }, // not offered
			{ memberId: 'li-lei', rewardId: '1001' }, // fine
		];
		const run = await runOperation(
			sandbox(),
			'reward/redeem',
			{
				...byMember,
				rewardId: '={{ $json.rewardId }}',
				idempotencyKey: '={{ "redeem:" + $json.rewardId }}',
				concurrency: 1,
			},
			input,
			continueOnFail,
		);
		const out = run.items(ANNEX_NODE);
		expect(out.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(out[0].json.error).toBe(
			'Member li-lei cannot redeem reward 1003: "$25 Reward" needs 2500 points and the member has 1200 available (1300 short)',
		);
		expect(out[0].json.details).toMatch(/Nothing was debited/);
		expect(out[1].json.error).toMatch(/out of stock/);
		expect(out[2].json.error).toMatch(/not offered/);
		expect(out[3].json).toMatchObject({
			rewardId: '1001',
			pointsDebited: 500,
			availablePoints: 700,
		});
		// Only the eligible redemption reached POST /points.
		expect(requests(sandbox(), 'annex.points.post')).toBe(1);
		expect(sandbox().state.annex.redemptions.map((r) => r.rewardId)).toEqual([1001]);
	});

	it('with "Continue (using error output)", refusals leave by the error output', async () => {
		sandbox().state.annex.member('li-lei')!.availablePoints = 600;
		const run = await runOperation(
			sandbox(),
			'reward/redeem',
			{
				...byMember,
				rewardId: '={{ $json.rewardId }}',
				idempotencyKey: '={{ "redeem:" + $json.rewardId }}',
				concurrency: 1,
			},
			[
				{ memberId: 'li-lei', rewardId: '1003' },
				{ memberId: 'li-lei', rewardId: '1001' },
			],
			{ onError: 'continueErrorOutput' },
		);
		expect(run.output(ANNEX_NODE, 0)).toEqual([
			expect.objectContaining({ rewardId: '1001', pointsDebited: 500 }),
		]);
		const refused = run.items(ANNEX_NODE, 1);
		expect(refused).toHaveLength(1);
		expect(refused[0].json.error).toMatch(/cannot redeem reward 1003/);
		expect(refused[0].pairedItem).toEqual({ item: 0 });
	});

	it('without Continue on Fail, a refusal stops the run with an item error', async () => {
		sandbox().state.annex.member('li-lei')!.availablePoints = 100;
		const run = await runOperation(sandbox(), 'reward/redeem', {
			memberId: 'li-lei',
			rewardId: '1001',
		});
		expect(run.error).toMatchObject({ name: 'NodeOperationError', context: { itemIndex: 0 } });
		expect(requests(sandbox(), 'annex.points.post')).toBe(0);
		expect(sandbox().state.annex.member('li-lei')!.availablePoints).toBe(100);
	});
});
