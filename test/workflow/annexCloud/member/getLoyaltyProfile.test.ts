import { activityWeeks } from '../../../../sandbox/generator';
import {
	LI_LEI_DECLINING_WEEKS,
	LI_LEI_WEEKLY_ACTIVITY,
	REWARD_CATALOGUE,
} from '../../../../sandbox/fixtures';
import { startSandbox, type Sandbox } from '../../../../sandbox';
import { ANNEX_NODE, byMember, members, runOperation } from '../support';

/**
 * Get Loyalty Profile against the sandbox: every field of Annex Cloud's loyalty field list compared
 * with what the sandbox holds, consent and time zone from extended attributes, both response
 * shapes, and a run with 429/5xx/dropped connections injected.
 */
const AS_OF = '2025-06-18'; // a Wednesday
const profileParameters = {
	resource: 'member',
	operation: 'getLoyaltyProfile',
	...byMember,
	options: { asOf: `${AS_OF}T12:00:00Z`, weeks: 8 },
};
const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : value);

describe('Annex Cloud: Get Loyalty Profile', () => {
	let flat: Sandbox;
	let wrapped: Sandbox;

	beforeAll(async () => {
		[flat, wrapped] = await Promise.all([
			startSandbox({ asOf: AS_OF, annex: { responseShape: 'flat' } }),
			startSandbox({ asOf: AS_OF, annex: { responseShape: 'wrapped' } }),
		]);
	});
	afterAll(async () => {
		await Promise.all([flat.close(), wrapped.close()]);
	});
	afterEach(() => {
		flat.reset();
		wrapped.reset();
	});

	it('adds consent per channel and the time zone from extended attributes when asked', async () => {
		const ids = ['zhang-min', 'plat-001'];
		const withConsent = {
			...profileParameters,
			options: { ...profileParameters.options, consentAndTimeZone: {} },
		};
		for (const sandbox of [flat, wrapped]) {
			const run = await runOperation(
				sandbox,
				'member/getLoyaltyProfile',
				withConsent,
				members(...ids),
			);
			expect(run.error).toBeUndefined();
			for (const item of run.items(ANNEX_NODE)) {
				const member = sandbox.state.annex.member(String(item.json.loyaltyId))!;
				const yesNo = (given: boolean) => (given ? 'YES' : 'NO');
				expect(item.json).toMatchObject({
					consent: {
						email: yesNo(member.consent.email),
						sms: yesNo(member.consent.sms),
						push: yesNo(member.consent.push),
					},
					timeZone: member.timeZone,
				});
			}
		}
		const renamed = {
			...profileParameters,
			options: {
				...profileParameters.options,
				consentAndTimeZone: { smsAttribute: 'countryCode' },
			},
		};
		const [item] = (
			await runOperation(flat, 'member/getLoyaltyProfile', renamed, members('zhang-min'))
		).items(ANNEX_NODE);
		expect((item.json.consent as Record<string, unknown>).sms).toBe(
			flat.state.annex.member('zhang-min')!.countryCode,
		);
		const [plain] = (
			await runOperation(flat, 'member/getLoyaltyProfile', profileParameters, members('zhang-min'))
		).items(ANNEX_NODE);
		expect(plain.json).not.toHaveProperty('consent');
		expect(plain.json).not.toHaveProperty('timeZone');
	});

	it('builds one profile per member with every loyalty field, in input order', async () => {
		const ids = ['zhang-min', 'li-lei', 'plat-001', 'plat-002'];
		const run = await runOperation(
			flat,
			'member/getLoyaltyProfile',
			profileParameters,
			members(...ids),
		);
		expect(run.error).toBeUndefined();
		const items = run.items(ANNEX_NODE);
		expect(items.map((item) => item.json.loyaltyId)).toEqual(ids);
		expect(items.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));

		for (const item of items) {
			const member = flat.state.annex.member(String(item.json.loyaltyId))!;
			const profile = item.json;
			expect(profile).toMatchObject({
				firstName: member.firstName,
				lastName: member.lastName,
				email: member.email,
				activeStatus: member.status,
				birthDate: member.birthDate,
				anniversaryDate: member.anniversaryDate,
				phone: member.phone,
				zipCode: member.zipCode,
				optInStatus: member.optInStatus,
				availablePoints: member.availablePoints,
				earnedPoints: member.earnedPoints,
				usedPoints: member.usedPoints,
				holdPoints: member.holdPoints,
				nextExpiringPoints: member.pointsToExpire,
				expiredPoints: member.expiredPoints,
				currentTier: member.tier,
			});
			expect(day(profile.optInDate)).toBe(day(member.optInDate));
			expect(day(profile.pointsExpirationDate)).toBe(day(member.pointsToExpireDate));
			expect(day(profile.tierAchievedDate)).toBe(day(member.tierAchievedDate));
			expect(day(profile.firstActivityDate)).toBe(member.firstActivityDate);
			expect(day(profile.lastActivityDate)).toBe(member.lastActivityDate);
			expect(day(profile.firstPurchaseDate)).toBe(member.firstPurchaseDate);
			expect(day(profile.lastPurchaseDate)).toBe(member.lastPurchaseDate);

			// Derived reward fields, recomputed here from the catalogue.
			const reachable = REWARD_CATALOGUE.filter(
				(r) => r.stock > 0 && r.creditRequired <= member.availablePoints,
			).sort((a, b) => a.creditRequired - b.creditRequired);
			const next = REWARD_CATALOGUE.filter(
				(r) => r.stock > 0 && r.creditRequired > member.availablePoints,
			).sort((a, b) => a.creditRequired - b.creditRequired)[0];
			expect(profile.availableRewards).toBe(reachable.map((r) => r.displayText).join(' | '));
			expect(profile.highestAvailableReward).toBe(reachable.at(-1)?.displayText ?? null);
			expect(profile.pointsToNextReward).toBe(
				next ? next.creditRequired - member.availablePoints : null,
			);
			expect(profile.availableRewardList).toHaveLength(reachable.length);
		}
	});

	it("gives Li Lei's weekly activity: three declining weeks", async () => {
		const run = await runOperation(
			flat,
			'member/getLoyaltyProfile',
			profileParameters,
			members('li-lei'),
		);
		const weekly = run.output(ANNEX_NODE)[0].weeklyActivity as {
			weeks: Array<{ isoWeek: string; activityCount: number }>;
			decliningWeeks: number;
		};
		expect(weekly.weeks.map((week) => week.isoWeek)).toEqual([...activityWeeks(AS_OF)]);
		expect(weekly.weeks.map((week) => week.activityCount)).toEqual([...LI_LEI_WEEKLY_ACTIVITY]);
		expect(weekly.decliningWeeks).toBe(LI_LEI_DECLINING_WEEKS);
	});

	it('reads the wrapped response shape into the same profiles', async () => {
		const ids = ['zhang-min', 'li-lei', 'plat-010'];
		const [fromFlat, fromWrapped] = await Promise.all([
			runOperation(flat, 'member/getLoyaltyProfile', profileParameters, members(...ids)),
			runOperation(wrapped, 'member/getLoyaltyProfile', profileParameters, members(...ids)),
		]);
		expect(fromWrapped.error).toBeUndefined();
		expect(fromWrapped.output(ANNEX_NODE)).toEqual(fromFlat.output(ANNEX_NODE));
	});

	it('survives injected 429s, 5xx and dropped connections with the same result', async () => {
		const ids = Array.from(
			{ length: 12 },
			(_, index) => `plat-${String(index + 1).padStart(3, '0')}`,
		);
		const clean = await runOperation(
			flat,
			'member/getLoyaltyProfile',
			{ ...profileParameters, concurrency: 4 },
			members(...ids),
		);
		flat.reset();
		flat.setFaults({ 'annex.*': { rate429: 0.15, rate5xx: 0.1, rateDrop: 0.03 } });
		const faulty = await runOperation(
			flat,
			'member/getLoyaltyProfile',
			{ ...profileParameters, concurrency: 4 },
			members(...ids),
		);
		expect(faulty.error).toBeUndefined();
		expect(faulty.output(ANNEX_NODE)).toEqual(clean.output(ANNEX_NODE));
		const injected = flat.stats().faultsInjected as Record<
			string,
			{ '429': number; '5xx': number; drop: number }
		>;
		const total = Object.values(injected).reduce(
			(sum, counts) => sum + counts['429'] + counts['5xx'] + counts.drop,
			0,
		);
		expect(total).toBeGreaterThan(5);
	});

	it('reports a member that does not exist as an item error with its index, or fails the run', async () => {
		const input = members('zhang-min', 'nobody-here', 'li-lei');
		const tolerant = await runOperation(
			flat,
			'member/getLoyaltyProfile',
			profileParameters,
			input,
			{
				onError: 'continueRegularOutput',
			},
		);
		const items = tolerant.items(ANNEX_NODE);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[1].json.error).toMatch(/404 on GET \/users\/nobody-here.*USER_NOT_FOUND/);
		expect(items[2].json.loyaltyId).toBe('li-lei');

		const strict = await runOperation(flat, 'member/getLoyaltyProfile', profileParameters, input);
		// The run result carries the error serialised: its name, message and context survive.
		expect(strict.error).toMatchObject({
			name: 'NodeApiError',
			message: expect.stringContaining('USER_NOT_FOUND'),
			context: { itemIndex: 1 },
		});
	});
});
