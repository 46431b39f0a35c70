import { startSandbox, type Sandbox } from '../../../sandbox';
import { ACTIVITY_PAGE_SIZE, SEARCH_RESULT_CAP } from '../../../sandbox/annex';
import {
	LI_LEI_ID,
	OUT_OF_STOCK_REWARD_ID,
	PLATINUM_FIXTURE_COUNT,
	REWARD_CATALOGUE,
	ZHANG_MIN_BIRTH_DATE,
	ZHANG_MIN_EMAIL,
	ZHANG_MIN_ID,
} from '../../../sandbox/fixtures';
import { memberActivityHistory } from '../../../sandbox/generator';
import { annex, http } from './client';

const AS_OF = '2025-06-15';

describe('sandbox: Annex Cloud', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ members: 300, asOf: AS_OF });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	describe('authentication', () => {
		it('accepts a JWT signed over the quoted id (GET) or the exact body (writes)', async () => {
			const user = await annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`);
			expect(user.status).toBe(200);
			expect(user.body).toMatchObject({
				id: ZHANG_MIN_ID,
				email: ZHANG_MIN_EMAIL,
				birthDate: ZHANG_MIN_BIRTH_DATE,
				siteId: 'sandbox-site',
			});
			const patched = await annex(sandbox, 'PATCH', `/users/${ZHANG_MIN_ID}`, {
				firstName: 'Minnie',
			});
			expect(patched.status).toBe(200);
		});

		it('answers 401 with errorCode/errorMessage for a bad secret, wrong payload, missing site or token', async () => {
			const bad = [
				await annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`, undefined, { secretKey: 'wrong' }),
				await annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`, undefined, {
					signPayload: JSON.stringify(LI_LEI_ID),
				}),
				await annex(
					sandbox,
					'PATCH',
					`/users/${ZHANG_MIN_ID}`,
					{ firstName: 'X' },
					{ signPayload: '{"firstName":"Y"}' },
				),
				await annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`, undefined, { omitSiteHeader: true }),
				await annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`, undefined, { siteId: 'other-site' }),
				await http(`${sandbox.annexBaseUrl}/users/${ZHANG_MIN_ID}`, {
					headers: { 'X-AnnexCloud-Site': 'sandbox-site' },
				}),
			];
			for (const response of bad) {
				expect(response.status).toBe(401);
				expect(response.body).toEqual({
					errorCode: expect.any(String),
					errorMessage: expect.any(String),
				});
			}
			expect(sandbox.state.annex.member(ZHANG_MIN_ID)?.firstName).toBe('Min');
		});

		it('signs "all" for /tierlist/all', async () => {
			const tiers = await annex(sandbox, 'GET', '/tierlist/all');
			expect(tiers.status).toBe(200);
			expect(
				tiers.body.tierDetail.map((tier: { tierName: string; pointsRequired: number }) => [
					tier.tierName,
					tier.pointsRequired,
				]),
			).toEqual([
				['Bronze', 0],
				['Silver', 1000],
				['Gold', 5000],
				['Platinum', 10000],
			]);
		});
	});

	it('wraps responses in Data when responseShape is wrapped', async () => {
		const wrapped = await startSandbox({ annex: { responseShape: 'wrapped' } });
		try {
			const user = await annex(wrapped, 'GET', `/users/${ZHANG_MIN_ID}`);
			expect(user.body.Data).toMatchObject({ id: ZHANG_MIN_ID });
			const missing = await annex(wrapped, 'GET', '/users/nobody');
			expect(missing.status).toBe(404);
			expect(missing.body).toMatchObject({ errorCode: 'USER_NOT_FOUND' });
		} finally {
			await wrapped.close();
		}
	});

	it('creates, updates (opt-out) and rejects duplicate members', async () => {
		const body = { id: 'new-1', email: 'new-1@example.com', firstName: 'New', optInStatus: 'YES' };
		expect((await annex(sandbox, 'POST', '/users', body)).status).toBe(200);
		expect((await annex(sandbox, 'POST', '/users', body)).status).toBe(409);
		expect((await annex(sandbox, 'POST', '/users', { email: 'x@example.com' })).status).toBe(400);
		expect((await annex(sandbox, 'PATCH', '/users/new-1', { optInStatus: 'MAYBE' })).status).toBe(
			400,
		);
		const updated = await annex(sandbox, 'PATCH', '/users/new-1', { optInStatus: 'NO' });
		expect(updated.body.optInStatus).toBe('NO');
		await annex(sandbox, 'PATCH', '/users/new-1', {
			extendedAttribute: { revokedBenefits: 'lounge', smsOptIn: 'NO' },
		});
		const reread = (await annex(sandbox, 'GET', '/users/new-1')).body;
		expect(reread.extendedAttribute).toMatchObject({ revokedBenefits: 'lounge', smsOptIn: 'NO' });
		const points = await annex(sandbox, 'GET', '/points/new-1');
		expect(points.body).toMatchObject({
			availablePoints: 0,
			lifetimePoints: 0,
			pointsToNextTier: 1000,
		});
		expect((await annex(sandbox, 'GET', '/users/new-1/activity')).body).toMatchObject({
			activityDetail: [],
			totalActivityCount: 0,
			pages: 1,
		});
	});

	it('returns points, tiers, rewards and the expiry schedule', async () => {
		const member = sandbox.state.annex.member(LI_LEI_ID)!;
		const points = (await annex(sandbox, 'GET', `/points/${LI_LEI_ID}`)).body;
		for (const field of [
			'availablePoints',
			'usedPoints',
			'expiredPoints',
			'lifetimePoints',
			'earnedPoints',
			'holdPoints',
			'pointsToExpire',
			'pointsToExpireDate',
			'pointsToNextTier',
		]) {
			expect(points).toHaveProperty(field);
		}
		expect(points.availablePoints).toBe(member.availablePoints);
		const tiers = (await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/tiers`)).body;
		expect(tiers).toMatchObject({
			currentTier: 'Silver',
			nextTier: 'Gold',
			previousTier: 'Bronze',
			tierAchievedDate: member.tierAchievedDate,
		});
		expect(tiers.pointsToNextTier).toBe(5000 - member.lifetimePoints);
		const rewards = (await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/reward`)).body.rewardDetail;
		expect(rewards).toHaveLength(REWARD_CATALOGUE.length);
		for (const reward of rewards) {
			expect(reward.eligible).toBe(
				reward.stockRemaining > 0 && member.availablePoints >= reward.creditRequired,
			);
		}
		const expiry = (await annex(sandbox, 'GET', `/pointsexpiry/${LI_LEI_ID}?aggregate_by=month`))
			.body;
		const scheduled = expiry.expiryDetail.flatMap(
			(row: { pointsActivity: Array<{ points: number }> }) => row.pointsActivity,
		);
		expect(scheduled.reduce((sum: number, row: { points: number }) => sum + row.points, 0)).toBe(
			member.availablePoints,
		);
	});

	it('pages activity 25 per page, newest first, consistent with the points balance', async () => {
		const member = sandbox.state.annex.member(LI_LEI_ID)!;
		const total = memberActivityHistory(member).length;
		const first = (await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/activity?page=1`)).body;
		expect(first).toMatchObject({
			currentPage: 1,
			pages: Math.ceil(total / ACTIVITY_PAGE_SIZE),
			totalActivityCount: total,
		});
		expect(first.activityDetail).toHaveLength(ACTIVITY_PAGE_SIZE);
		const all = [...first.activityDetail];
		for (let page = 2; page <= first.pages; page++) {
			all.push(
				...(await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/activity?page=${page}`)).body
					.activityDetail,
			);
		}
		expect(all).toHaveLength(total);
		expect(all[0].createDate >= all[all.length - 1].createDate).toBe(true);
		const balance = all.reduce((sum, entry) => sum + entry.credit - entry.debit, 0);
		expect(balance).toBe(member.availablePoints);
		const purchases = all
			.filter((entry) => entry.actionId === 109)
			.map((entry) => entry.createDate.slice(0, 10))
			.sort();
		expect(purchases[purchases.length - 1]).toBe(member.lastPurchaseDate);
		expect(
			(await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/activity?page=99`)).body.activityDetail,
		).toEqual([]);
	});

	describe('points', () => {
		it('credits, upgrades the tier when lifetime points cross a threshold, and debits', async () => {
			const member = sandbox.state.annex.member(LI_LEI_ID)!;
			const needed = 5000 - member.lifetimePoints;
			const credit = await annex(sandbox, 'POST', '/points', {
				id: LI_LEI_ID,
				actionId: 109,
				activity: 'CREDIT',
				points: needed,
				orderId: 'o-1',
			});
			expect(credit.status).toBe(200);
			expect(credit.body).toMatchObject({
				currentTier: 'Gold',
				tierChanged: { from: 'Silver', to: 'Gold' },
			});
			expect(sandbox.state.annex.tierChanges).toHaveLength(1);
			const available = member.availablePoints;
			const debit = await annex(sandbox, 'POST', '/points', {
				id: LI_LEI_ID,
				activity: 'DEBIT',
				points: 10,
			});
			expect(debit.body.availablePoints).toBe(available - 10);
			const tooMuch = await annex(sandbox, 'POST', '/points', {
				id: LI_LEI_ID,
				activity: 'DEBIT',
				points: available,
			});
			expect(tooMuch.status).toBe(400);
			expect(tooMuch.body.errorCode).toBe('INSUFFICIENT_POINTS');
			expect(member.availablePoints).toBe(available - 10);
			const ledger = (await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/activity`)).body
				.activityDetail;
			expect(ledger[0]).toMatchObject({ activity: 'DEBIT', debit: 10 });
			expect(ledger[1]).toMatchObject({ actionId: 109, credit: needed, orderId: 'o-1' });
		});

		it('refuses a repeated customId, and with retry NO a repeated orderId, booking nothing', async () => {
			const member = sandbox.state.annex.member(LI_LEI_ID)!;
			const before = member.availablePoints;
			const write = (extra: Record<string, unknown>) =>
				annex(sandbox, 'POST', '/points', {
					id: LI_LEI_ID,
					activity: 'CREDIT',
					points: 5,
					...extra,
				});
			expect((await write({ customId: 'bonus-1' })).status).toBe(200);
			const again = await write({ customId: 'bonus-1' });
			expect(again.status).toBe(409);
			expect(again.body).toMatchObject({
				errorCode: 'DUPLICATE_CUSTOM_ID',
				activityId: expect.stringMatching(/^api-/),
			});
			// The key is per action: the same customId under another action books.
			expect((await write({ customId: 'bonus-1', actionId: 109 })).status).toBe(200);
			expect((await write({ orderId: 'o-77', retry: 'NO' })).status).toBe(200);
			const sameOrder = await write({ orderId: 'o-77', retry: 'NO', customId: 'other' });
			expect(sameOrder.status).toBe(409);
			expect(sameOrder.body.errorCode).toBe('DUPLICATE_ORDER_ID');
			expect((await write({ orderId: 'o-77', retry: 'YES' })).status).toBe(200);
			expect((await write({ retry: 'maybe' })).status).toBe(400);
			expect(member.availablePoints).toBe(before + 20);
		});

		it('books one redemption of 20 simultaneous ones with the same customId', async () => {
			const member = sandbox.state.annex.member(LI_LEI_ID)!;
			member.availablePoints = 100_000;
			const answers = await Promise.all(
				Array.from({ length: 20 }, () =>
					annex(sandbox, 'POST', '/points', {
						id: LI_LEI_ID,
						actionId: 107,
						rewardId: 1001,
						customId: 'redeem:order-9',
						orderId: 'order-9',
						retry: 'NO',
					}),
				),
			);
			expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
			expect(answers.filter((answer) => answer.status === 409)).toHaveLength(19);
			expect(sandbox.state.annex.redemptions.filter((r) => r.memberId === LI_LEI_ID)).toHaveLength(
				1,
			);
		});

		it('redeems only eligible rewards: nothing is debited otherwise', async () => {
			const member = sandbox.state.annex.member(LI_LEI_ID)!;
			const before = member.availablePoints;
			const outOfStock = await annex(sandbox, 'POST', '/points', {
				id: LI_LEI_ID,
				actionId: 107,
				rewardId: OUT_OF_STOCK_REWARD_ID,
			});
			expect(outOfStock.status).toBe(400);
			expect(outOfStock.body.errorCode).toBe('REWARD_OUT_OF_STOCK');
			const unaffordable = REWARD_CATALOGUE.find(
				(reward) => reward.creditRequired > before && reward.stock > 0,
			)!;
			const poor = await annex(sandbox, 'POST', '/points', {
				id: LI_LEI_ID,
				actionId: 107,
				rewardId: unaffordable.rewardId,
			});
			expect(poor.status).toBe(400);
			expect(poor.body.errorCode).toBe('REWARD_NOT_ELIGIBLE');
			expect(member.availablePoints).toBe(before);
			expect(sandbox.state.annex.redemptions).toHaveLength(0);
			const affordable = REWARD_CATALOGUE.find(
				(reward) =>
					reward.creditRequired > 0 && reward.creditRequired <= before && reward.stock > 0,
			)!;
			const stock = sandbox.state.annex.reward(affordable.rewardId)!.stock;
			const ok = await annex(sandbox, 'POST', '/points', {
				id: LI_LEI_ID,
				actionId: 107,
				rewardId: affordable.rewardId,
			});
			expect(ok.status).toBe(200);
			expect(ok.body.rewardCode).toMatch(/^RW/);
			expect(member.availablePoints).toBe(before - affordable.creditRequired);
			expect(sandbox.state.annex.reward(affordable.rewardId)!.stock).toBe(stock - 1);
			const used = (await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/usedreward?page=1`)).body;
			expect(used.rewardDetail[0]).toMatchObject({
				rewardCode: ok.body.rewardCode,
				pointsUsed: affordable.creditRequired,
			});
		});

		it('assigns coupons from inventory until it runs out', async () => {
			const tote = REWARD_CATALOGUE.find((reward) => reward.rewardId === 1007)!;
			for (let index = 0; index < tote.stock; index++) {
				expect(
					(
						await annex(sandbox, 'POST', `/rewards/1007/users/plat-00${index + 1}/assign`, {
							reward_id: 1007,
							user_id: `plat-00${index + 1}`,
						})
					).status,
				).toBe(200);
			}
			const empty = await annex(sandbox, 'POST', '/rewards/1007/users/plat-009/assign', {
				reward_id: 1007,
				user_id: 'plat-009',
			});
			expect(empty.status).toBe(400);
			expect(empty.body.errorCode).toBe('REWARD_OUT_OF_STOCK');
			expect(sandbox.state.annex.assignments).toHaveLength(tote.stock);
			expect(sandbox.state.annex.reward(1007)?.stock).toBe(0);
		});
	});

	describe('search', () => {
		it('caps results at 50', async () => {
			const all = await annex(sandbox, 'POST', '/users/search', {
				dataSearch: { optInStatus: 'YES' },
			});
			expect(all.body.userDetail).toHaveLength(SEARCH_RESULT_CAP);
			expect(all.body.records).toBe(SEARCH_RESULT_CAP);
			const platinumCount = PLATINUM_FIXTURE_COUNT;
			expect(platinumCount).toBeGreaterThan(SEARCH_RESULT_CAP);
		});

		it('filters by email, name pattern, birthday and date windows', async () => {
			const byEmail = await annex(sandbox, 'POST', '/users/search', {
				dataSearch: { email: ZHANG_MIN_EMAIL.toUpperCase() },
			});
			expect(byEmail.body.userDetail.map((user: { id: string }) => user.id)).toEqual([
				ZHANG_MIN_ID,
			]);
			const byName = await annex(sandbox, 'POST', '/users/search', {
				dataSearch: { firstName: 'Mi%', lastName: 'Zhang' },
			});
			expect(byName.body.userDetail.map((user: { id: string }) => user.id)).toContain(ZHANG_MIN_ID);
			const birthday = await annex(sandbox, 'POST', '/users/search', {
				dataSearch: { birthDate: '06-01' },
			});
			expect(
				birthday.body.userDetail.every((user: { birthDate: string }) =>
					user.birthDate.endsWith('-06-01'),
				),
			).toBe(true);
			expect(birthday.body.userDetail.map((user: { id: string }) => user.id)).toContain(
				ZHANG_MIN_ID,
			);
			const from = '2024-01-01T00:00:00+0000';
			const to = '2024-06-30T23:59:59+0000';
			const window = await annex(sandbox, 'POST', '/users/search', {
				dataSearch: { optInStartDate: from, optInEndDate: to },
			});
			const expected = [...sandbox.state.annex.members.values()].filter(
				(m) => m.optInDate >= from && m.optInDate <= to,
			);
			expect(window.body.userDetail).toHaveLength(Math.min(50, expected.length));
			expect(
				(
					await annex(sandbox, 'POST', '/users/search', {
						dataSearch: { createStartDate: 'not a date' },
					})
				).status,
			).toBe(400);
			expect((await annex(sandbox, 'POST', '/users/search', {})).status).toBe(400);
		});
	});
});
