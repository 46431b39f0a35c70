import {
	assembleLoyaltyProfile,
	nextExpiryFromLedger,
	type ProfileSources,
} from '../../../nodes/AnnexCloud/logic/profile';
import { readActivityEntry } from '../../../nodes/AnnexCloud/logic/activity';

const AS_OF = Date.UTC(2024, 5, 12, 12); // Wednesday of 2024-W24

const user = {
	siteId: 'sandbox-site',
	id: 'zhang-min',
	email: 'zhang.min@example.com',
	firstName: 'Min',
	lastName: 'Zhang',
	zipCode: '200000',
	phone: '+8613800138000',
	birthDate: '1990-06-01',
	anniversaryDate: '2021-03-15',
	optInStatus: 'YES',
	optInDate: '2021-03-15T08:00:00+0000',
	status: 'ACTIVE',
};
const points = {
	id: 'zhang-min',
	availablePoints: 1200,
	usedPoints: 500,
	expiredPoints: 40,
	lifetimePoints: 7000,
	earnedPoints: 1740,
	holdPoints: 25,
	pointsToExpire: 300,
	pointsToExpireDate: '2024-07-31',
	pointsToNextTier: 3000,
};
const tiers = {
	currentTier: 'Gold',
	nextTier: 'Platinum',
	previousTier: 'Silver',
	pointsToNextTier: 3000,
	tierAchievedDate: '2023-11-02',
};
const rewards = {
	rewardDetail: [
		{ rewardId: 1001, displayText: '$5 Reward', creditRequired: 500, eligible: true },
		{ rewardId: 1002, displayText: '$10 Reward', creditRequired: 1000, eligible: true },
		{ rewardId: 1003, displayText: '$25 Reward', creditRequired: 2500, eligible: false },
	],
};
const page1 = {
	activityDetail: [
		{
			actionId: 109,
			activity: 'CREDIT',
			credit: 120,
			debit: 0,
			createDate: '2024-06-10 10:00:00',
			expireDate: '2025-06-10 10:00:00',
		},
		{ actionId: 106, activity: 'DEBIT', credit: 0, debit: 40, createDate: '2024-06-11 00:00:00' },
		{ actionId: 107, activity: 'DEBIT', credit: 0, debit: 500, createDate: '2024-05-20 09:00:00' },
	],
	currentPage: 1,
	pages: 2,
};
const page2 = {
	activityDetail: [
		{ actionId: 110, activity: 'CREDIT', credit: 20, debit: 0, createDate: '2023-02-01 12:00:00' },
		{
			actionId: 109,
			activity: 'CREDIT',
			credit: 300,
			debit: 0,
			createDate: '2023-03-05T15:30:00+0000',
		},
	],
	currentPage: 2,
	pages: 2,
};

const flat: ProfileSources = { user, points, tiers, rewards, activity: [page1, page2] };
const wrap = (body: object) => ({ Data: body });
const wrapped: ProfileSources = {
	user: wrap(user),
	points: wrap(points),
	tiers: wrap(tiers),
	rewards: wrap(rewards),
	activity: [wrap(page1), wrap(page2)],
};

describe('assembleLoyaltyProfile', () => {
	const profile = assembleLoyaltyProfile(flat, { asOf: AS_OF, weeks: 4, includeCurrentWeek: true });

	it('copies the member, points and tier fields under the contract names', () => {
		expect(profile).toMatchObject({
			loyaltyId: 'zhang-min',
			firstName: 'Min',
			lastName: 'Zhang',
			email: 'zhang.min@example.com',
			activeStatus: 'ACTIVE',
			birthDate: '1990-06-01',
			anniversaryDate: '2021-03-15',
			phone: '+8613800138000',
			zipCode: '200000',
			optInStatus: 'YES',
			optInDate: '2021-03-15T08:00:00.000Z',
			availablePoints: 1200,
			earnedPoints: 1740,
			usedPoints: 500,
			holdPoints: 25,
			nextExpiringPoints: 300,
			pointsExpirationDate: '2024-07-31T00:00:00.000Z',
			expiredPoints: 40,
			currentTier: 'Gold',
			nextTier: 'Platinum',
			pointsToNextTier: 3000,
			tierAchievedDate: '2023-11-02T00:00:00.000Z',
		});
	});

	it('derives the reward fields', () => {
		expect(profile.availableRewards).toBe('$5 Reward | $10 Reward');
		expect(profile.availableRewardList).toEqual([
			{ rewardId: '1001', name: '$5 Reward', creditRequired: 500 },
			{ rewardId: '1002', name: '$10 Reward', creditRequired: 1000 },
		]);
		expect(profile.highestAvailableReward).toBe('$10 Reward');
		expect(profile.pointsToNextReward).toBe(1300);
	});

	it('derives activity and purchase dates across pages, ignoring expiry lines', () => {
		expect(profile.firstActivityDate).toBe('2023-02-01T12:00:00.000Z');
		expect(profile.lastActivityDate).toBe('2024-06-10T10:00:00.000Z');
		expect(profile.firstPurchaseDate).toBe('2023-03-05T15:30:00.000Z');
		expect(profile.lastPurchaseDate).toBe('2024-06-10T10:00:00.000Z');
	});

	it('summarises the last weeks of activity', () => {
		expect(profile.weeklyActivity.throughWeek).toBe('2024-W24');
		expect(profile.weeklyActivity.weeks.map((week) => [week.isoWeek, week.activityCount])).toEqual([
			['2024-W21', 1],
			['2024-W22', 0],
			['2024-W23', 0],
			['2024-W24', 1],
		]);
		expect(profile.weeklyActivity.weeks[3].pointsExpired).toBe(40);
		const completeWeeks = assembleLoyaltyProfile(flat, { asOf: AS_OF, weeks: 4 }).weeklyActivity;
		expect(completeWeeks.throughWeek).toBe('2024-W23');
	});

	it('gives the same profile for the wrapped shape', () => {
		expect(
			assembleLoyaltyProfile(wrapped, { asOf: AS_OF, weeks: 4, includeCurrentWeek: true }),
		).toEqual(profile);
	});

	it('takes purchase action ids from the options', () => {
		const custom = assembleLoyaltyProfile(flat, { asOf: AS_OF, purchaseActionIds: [110] });
		expect(custom.firstPurchaseDate).toBe('2023-02-01T12:00:00.000Z');
		expect(custom.lastPurchaseDate).toBe('2023-02-01T12:00:00.000Z');
	});

	it('falls back to the ledger for the next expiry and to nulls for missing data', () => {
		const sparse = assembleLoyaltyProfile(
			{
				user: { id: 'x' },
				points: { availablePoints: '0' },
				tiers: {},
				rewards: {},
				activity: [page1],
			},
			{ asOf: AS_OF },
		);
		expect(sparse.nextExpiringPoints).toBe(120);
		expect(sparse.pointsExpirationDate).toBe('2025-06-10T10:00:00.000Z');
		expect(sparse).toMatchObject({
			loyaltyId: 'x',
			email: null,
			currentTier: null,
			availableRewards: '',
			availableRewardList: [],
			highestAvailableReward: null,
			pointsToNextReward: null,
			availablePoints: 0,
			firstPurchaseDate: '2024-06-10T10:00:00.000Z',
		});
	});

	it('reads tier names given as objects', () => {
		const withObjects = assembleLoyaltyProfile(
			{ ...flat, tiers: { currentTier: { tierName: 'Gold' }, nextTier: { name: 'Platinum' } } },
			{ asOf: AS_OF },
		);
		expect([withObjects.currentTier, withObjects.nextTier]).toEqual(['Gold', 'Platinum']);
	});
});

describe('nextExpiryFromLedger', () => {
	it('sums the credits of the earliest future expiry, skipping expired ones', () => {
		const entries = [
			{ credit: 10, expireDate: '2024-07-01', createDate: '2024-01-01' },
			{ credit: 15, expireDate: '2024-07-01', createDate: '2024-01-02' },
			{ credit: 99, expireDate: '2024-06-01', createDate: '2023-06-01' },
			{ credit: 50, expireDate: '2024-06-20', createDate: '2023-06-20', pointStatus: 'Expired' },
			{ credit: 70, expireDate: '2024-09-01', createDate: '2023-09-01' },
		].map(readActivityEntry);
		expect(nextExpiryFromLedger(entries, AS_OF)).toEqual({ points: 25, at: Date.UTC(2024, 6, 1) });
		expect(nextExpiryFromLedger([], AS_OF)).toBeUndefined();
	});
});
