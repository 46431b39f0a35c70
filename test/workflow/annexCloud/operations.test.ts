import { FIXTURE_MEMBER_COUNT, REWARD_CATALOGUE } from '../../../sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { ANNEX_NODE, byMember, continueOnFail, members, runAnnex } from './support';

/** Every operation of the Annex Cloud node once against the sandbox, writes checked in its state. */
const AS_OF = '2025-06-18';

describe('Annex Cloud node operations', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ asOf: AS_OF, members: 150, seed: 7 });
	});
	afterAll(async () => await sandbox.close());
	afterEach(() => sandbox.reset());

	const requests = (key: string) =>
		Number((sandbox.stats().requests as Record<string, number>)[key] ?? 0);

	describe('member', () => {
		it('gets members, pairing each output with its input', async () => {
			const run = await runAnnex(
				sandbox,
				{ resource: 'member', operation: 'get', ...byMember },
				members('li-lei', 'zhang-min'),
			);
			expect(run.items(ANNEX_NODE).map((item) => [item.json.id, item.pairedItem])).toEqual([
				['li-lei', { item: 0 }],
				['zhang-min', { item: 1 }],
			]);
		});

		it('enrolls, updates, opts out and opts in', async () => {
			const id = 'new.member@example.com';
			const create = await runAnnex(sandbox, {
				resource: 'member',
				operation: 'create',
				memberId: id,
				email: id,
				additionalFields: {
					firstName: 'New',
					lastName: 'Member',
					birthDate: '1991-02-03',
					extendedAttribute: '{"smsOptIn":"YES"}',
				},
			});
			expect(create.error).toBeUndefined();
			expect(create.output(ANNEX_NODE)[0]).toMatchObject({
				id,
				optInStatus: 'YES',
				firstName: 'New',
			});
			expect(sandbox.state.annex.member(id)?.consent.sms).toBe(true);

			const update = await runAnnex(sandbox, {
				resource: 'member',
				operation: 'update',
				memberId: id,
				updateFields: { zipCode: '10115', phone: '+4915112345678' },
			});
			expect(update.output(ANNEX_NODE)[0]).toMatchObject({ id, zipCode: '10115' });

			await runAnnex(sandbox, { resource: 'member', operation: 'optOut', memberId: id });
			expect(sandbox.state.annex.member(id)?.optInStatus).toBe('NO');
			await runAnnex(sandbox, {
				resource: 'member',
				operation: 'optIn',
				memberId: id,
				options: { optInDate: '2025-06-01T09:30:00Z' },
			});
			expect(sandbox.state.annex.member(id)).toMatchObject({
				optInStatus: 'YES',
				optInDate: '2025-06-01T09:30:00+0000',
			});
		});

		it('refuses an update without fields as an item error', async () => {
			const run = await runAnnex(
				sandbox,
				{ resource: 'member', operation: 'update', memberId: 'li-lei', updateFields: {} },
				[{}],
				continueOnFail,
			);
			expect(run.output(ANNEX_NODE)[0].error).toBe('No fields to update');
		});

		it('searches up to 50 and says when the cap hides members', async () => {
			const few = await runAnnex(sandbox, {
				resource: 'member',
				operation: 'search',
				filters: { email: 'plat.00%' },
				returnAll: true,
			});
			expect(few.output(ANNEX_NODE).map((member) => member.id)).toEqual(
				Array.from({ length: 9 }, (_, index) => `plat-00${index + 1}`),
			);
			const capped = await runAnnex(
				sandbox,
				{ resource: 'member', operation: 'search', returnAll: true },
				[{}],
				continueOnFail,
			);
			expect(capped.output(ANNEX_NODE)[0].error).toMatch(/cap of 50/);
			const limited = await runAnnex(sandbox, {
				resource: 'member',
				operation: 'search',
				limit: 20,
			});
			expect(limited.output(ANNEX_NODE)).toHaveLength(20);
		});

		it('pulls every member by create-date windows, halving full windows', async () => {
			const run = await runAnnex(sandbox, {
				resource: 'member',
				operation: 'search',
				filters: { optInStatus: 'YES' },
				splitBy: 'createDate',
				windowStart: '2010-01-01T00:00:00Z',
				windowEnd: `${AS_OF}T23:59:59Z`,
				windowDays: 365,
				returnAll: true,
			});
			expect(run.error).toBeUndefined();
			const expected = [...sandbox.state.annex.members.values()].filter(
				(member) => member.optInStatus === 'YES',
			);
			expect(expected.length).toBeGreaterThan(100);
			const ids = run.output(ANNEX_NODE).map((member) => String(member.id));
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids.sort()).toEqual(expected.map((member) => member.id).sort());
			expect(sandbox.state.annex.members.size).toBe(FIXTURE_MEMBER_COUNT + 150);
		});
	});

	describe('points', () => {
		it('awards, deducts and reads the balance', async () => {
			const before = sandbox.state.annex.member('li-lei')!.availablePoints;
			const award = await runAnnex(sandbox, {
				resource: 'points',
				operation: 'award',
				memberId: 'li-lei',
				points: 150,
				reason: 'Win-back gift',
				additionalFields: { orderId: 'ord-1' },
			});
			expect(award.output(ANNEX_NODE)[0]).toMatchObject({
				activity: 'CREDIT',
				points: 150,
				availablePoints: before + 150,
			});
			await runAnnex(sandbox, {
				resource: 'points',
				operation: 'deduct',
				memberId: 'li-lei',
				points: 50,
			});
			const balance = await runAnnex(sandbox, {
				resource: 'points',
				operation: 'getBalance',
				memberId: 'li-lei',
			});
			expect(balance.output(ANNEX_NODE)[0]).toMatchObject({
				id: 'li-lei',
				availablePoints: before + 100,
			});
		});

		it('does not repeat a points award after a 5xx (it may have been booked)', async () => {
			sandbox.setFaults({ 'annex.points.post': { rate5xx: 1 } });
			const run = await runAnnex(
				sandbox,
				{ resource: 'points', operation: 'award', memberId: 'li-lei', points: 10 },
				[{}],
				continueOnFail,
			);
			expect(run.output(ANNEX_NODE)[0].error).toMatch(/503/);
			expect(requests('annex.points.post')).toBe(1);
		});

		it('retries a points award answered 429', async () => {
			sandbox.setFaults({ 'annex.points.post': { rate429: 0.5 } });
			const run = await runAnnex(
				sandbox,
				{ resource: 'points', operation: 'award', ...byMember, points: 10 },
				members('li-lei', 'zhang-min', 'plat-003'),
			);
			expect(run.error).toBeUndefined();
			expect(sandbox.state.annex.ledgers.get('plat-003')).toHaveLength(1);
		});

		it('reads the expiry schedule per period', async () => {
			const member = sandbox.state.annex.member('zhang-min')!;
			const run = await runAnnex(sandbox, {
				resource: 'points',
				operation: 'getExpirySchedule',
				memberId: 'zhang-min',
				options: { aggregateBy: 'month' },
			});
			const rows = run.output(ANNEX_NODE);
			expect(rows.reduce((sum, row) => sum + Number(row.points), 0)).toBe(
				member.pointsToExpire > 0 ? member.availablePoints : 0,
			);
			if (member.pointsToExpire > 0)
				expect(rows[0]).toMatchObject({ memberId: 'zhang-min', points: member.pointsToExpire });
		});
	});

	describe('reward', () => {
		it('lists the rewards a member can take', async () => {
			const points = sandbox.state.annex.member('zhang-min')!.availablePoints;
			const run = await runAnnex(sandbox, {
				resource: 'reward',
				operation: 'getAvailable',
				memberId: 'zhang-min',
			});
			const expected = REWARD_CATALOGUE.filter(
				(r) => r.stock > 0 && r.creditRequired <= points,
			).map((r) => String(r.rewardId));
			expect(
				run
					.output(ANNEX_NODE)
					.map((reward) => reward.rewardId)
					.sort(),
			).toEqual(expected.sort());
			const all = await runAnnex(sandbox, {
				resource: 'reward',
				operation: 'getAvailable',
				memberId: 'zhang-min',
				onlyEligible: false,
			});
			expect(all.output(ANNEX_NODE)).toHaveLength(REWARD_CATALOGUE.length);
		});

		it('redeems an eligible reward and debits its points', async () => {
			sandbox.state.annex.member('zhang-min')!.availablePoints = 1200;
			const run = await runAnnex(sandbox, {
				resource: 'reward',
				operation: 'redeem',
				memberId: 'zhang-min',
				rewardId: '1002',
			});
			expect(run.error).toBeUndefined();
			expect(run.output(ANNEX_NODE)[0]).toMatchObject({
				rewardName: '$10 Reward',
				pointsDebited: 1000,
				availablePoints: 200,
			});
			expect(sandbox.state.annex.redemptions).toHaveLength(1);
		});

		it('refuses a reward the member may not take, says why, and debits nothing', async () => {
			sandbox.state.annex.member('li-lei')!.availablePoints = 1200;
			const input = [
				{ memberId: 'li-lei', rewardId: '1003' }, // $25: 2500 points needed
				{ memberId: 'li-lei', rewardId: '1006' }, // out of stock
				{ memberId: 'li-lei', rewardId: '4242' }, // not offered
				{ memberId: 'li-lei', rewardId: '1001' }, // fine
			];
			const run = await runAnnex(
				sandbox,
				{
					resource: 'reward',
					operation: 'redeem',
					...byMember,
					rewardId: '={{ $json.rewardId }}',
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
			expect(requests('annex.points.post')).toBe(1);
			expect(sandbox.state.annex.redemptions.map((r) => r.rewardId)).toEqual([1001]);
		});

		it('with "Continue (using error output)", refusals leave by the error output', async () => {
			sandbox.state.annex.member('li-lei')!.availablePoints = 600;
			const run = await runAnnex(
				sandbox,
				{
					resource: 'reward',
					operation: 'redeem',
					...byMember,
					rewardId: '={{ $json.rewardId }}',
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
			sandbox.state.annex.member('li-lei')!.availablePoints = 100;
			const run = await runAnnex(sandbox, {
				resource: 'reward',
				operation: 'redeem',
				memberId: 'li-lei',
				rewardId: '1001',
			});
			expect(run.error).toMatchObject({ name: 'NodeOperationError', context: { itemIndex: 0 } });
			expect(requests('annex.points.post')).toBe(0);
			expect(sandbox.state.annex.member('li-lei')!.availablePoints).toBe(100);
		});

		it('assigns a reward and lists it in the history', async () => {
			const assign = await runAnnex(sandbox, {
				resource: 'reward',
				operation: 'assign',
				memberId: 'zhang-min',
				rewardId: '1004',
				options: { notes: 'Birthday care' },
			});
			expect(assign.output(ANNEX_NODE)[0]).toMatchObject({
				memberId: 'zhang-min',
				rewardId: '1004',
				status: 'assigned',
			});
			expect(sandbox.state.annex.assignments[0].issuance_details).toEqual({
				source_type: 'manual',
				source_details: { source_name: 'n8n', notes: 'Birthday care' },
			});
			const history = await runAnnex(sandbox, {
				resource: 'reward',
				operation: 'getHistory',
				memberId: 'zhang-min',
				returnAll: true,
			});
			expect(history.output(ANNEX_NODE)).toEqual([
				expect.objectContaining({
					memberId: 'zhang-min',
					rewardName: 'Birthday coupon: 20% off',
					rewardStatus: 'ASSIGNED',
				}),
			]);
		});
	});

	describe('activity', () => {
		it('reads every page, or up to a limit', async () => {
			const total = sandbox.state.annex.activity(sandbox.state.annex.member('li-lei')!).length;
			expect(total).toBeGreaterThan(25);
			const all = await runAnnex(sandbox, {
				resource: 'activity',
				operation: 'getMany',
				memberId: 'li-lei',
				returnAll: true,
			});
			expect(all.output(ANNEX_NODE)).toHaveLength(total);
			const some = await runAnnex(sandbox, {
				resource: 'activity',
				operation: 'getMany',
				memberId: 'li-lei',
				limit: 30,
			});
			expect(some.output(ANNEX_NODE)).toHaveLength(30);
			expect(some.output(ANNEX_NODE)[0]).toMatchObject({
				memberId: 'li-lei',
				activityId: expect.any(String),
			});
		});

		it('summarises activity per ISO week', async () => {
			const run = await runAnnex(
				sandbox,
				{
					resource: 'activity',
					operation: 'getWeeklySummary',
					...byMember,
					weeks: 8,
					options: { asOf: `${AS_OF}T12:00:00Z` },
				},
				members('li-lei', 'zhang-min'),
			);
			const [li, zhang] = run.output(ANNEX_NODE);
			expect(li).toMatchObject({ memberId: 'li-lei', decliningWeeks: 3 });
			expect(
				(zhang.weeks as Array<{ activityCount: number }>).map((week) => week.activityCount),
			).toEqual([2, 3, 2, 3, 2, 3, 2, 3]);
		});
	});

	describe('tier', () => {
		it("gets a member's tier and the site's tier list", async () => {
			const member = await runAnnex(sandbox, {
				resource: 'tier',
				operation: 'getMemberTier',
				memberId: 'zhang-min',
			});
			expect(member.output(ANNEX_NODE)[0]).toMatchObject({
				memberId: 'zhang-min',
				currentTier: 'Gold',
				nextTier: 'Platinum',
			});
			const list = await runAnnex(sandbox, { resource: 'tier', operation: 'getMany' });
			expect(list.output(ANNEX_NODE).map((tier) => tier.tierName)).toEqual([
				'Bronze',
				'Silver',
				'Gold',
				'Platinum',
			]);
			const gold = await runAnnex(sandbox, {
				resource: 'tier',
				operation: 'getMany',
				tierFilter: ['Gold'],
			});
			expect(gold.output(ANNEX_NODE)).toEqual([
				expect.objectContaining({ tierName: 'Gold', pointsRequired: 5000 }),
			]);
		});
	});
});
