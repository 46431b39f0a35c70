import {
	checkRedemption,
	readFlag,
	readRewards,
	rewardStanding,
} from '../../../nodes/AnnexCloud/logic/rewards';

const catalogue = readRewards([
	{ rewardId: 1001, displayText: '$5 Reward', creditRequired: 500, eligible: true },
	{ rewardId: 1002, displayText: '$10 Reward', creditRequired: 1000, eligible: true },
	{ rewardId: 1003, displayText: '$25 Reward', creditRequired: 2500, eligible: false },
	{ rewardId: 1004, displayText: 'Birthday coupon', creditRequired: 0, eligible: 'YES' },
	{
		rewardId: 1006,
		displayText: 'Spa day voucher',
		creditRequired: 800,
		eligible: false,
		stockRemaining: 0,
	},
	{ rewardId: 1005, displayText: 'Travel kit', creditRequired: 3000, eligible: 'false' },
]);

describe('reward standing (derived ESP fields)', () => {
	it('lists available rewards cheapest first and picks the highest', () => {
		const standing = rewardStanding(catalogue, 1200);
		expect(standing.availableRewards).toBe('Birthday coupon | $5 Reward | $10 Reward');
		expect(standing.highestAvailableReward).toBe('$10 Reward');
		expect(standing.pointsToNextReward).toBe(1300);
		expect(standing.nextReward).toBe('$25 Reward');
	});

	it('uses the points even when the flag is stale', () => {
		// Flags say $10 is eligible, but only 600 points are available.
		const standing = rewardStanding(catalogue, 600);
		expect(standing.available.map((reward) => reward.rewardId)).toEqual(['1004', '1001']);
		expect(standing.pointsToNextReward).toBe(400); // $10 Reward at 1000; the 800-point voucher is out of stock
	});

	it('has no next reward when every reward is within reach', () => {
		const standing = rewardStanding(
			readRewards([{ rewardId: 1, displayText: 'A', creditRequired: 10 }]),
			50,
		);
		expect(standing.pointsToNextReward).toBeNull();
		expect(standing.highestAvailableReward).toBe('A');
	});

	it('has no highest reward when none is available', () => {
		const standing = rewardStanding(
			readRewards([{ rewardId: 1, displayText: 'A', creditRequired: 10 }]),
			5,
		);
		expect(standing.availableRewards).toBe('');
		expect(standing.highestAvailableReward).toBeNull();
		expect(standing.pointsToNextReward).toBe(5);
	});

	it('reads eligibility flags in every spelling', () => {
		expect([true, 'true', 'YES', 'y', 1, '1'].map(readFlag)).toEqual([
			true,
			true,
			true,
			true,
			true,
			true,
		]);
		expect([false, 'false', 'NO', 0].map(readFlag)).toEqual([false, false, false, false]);
		expect(readFlag(undefined)).toBeNull();
		expect(readRewards([{ rewardId: 9 }])[0].name).toBe('Reward 9');
	});
});

describe('checkRedemption: verify before debiting', () => {
	it('allows an eligible, affordable reward', () => {
		expect(checkRedemption('1001', catalogue, 700)).toMatchObject({
			allowed: true,
			reward: { name: '$5 Reward' },
		});
	});

	it('refuses a reward the member cannot afford and says by how much', () => {
		const check = checkRedemption('1003', catalogue, 1200);
		expect(check).toEqual(
			expect.objectContaining({
				allowed: false,
				reason: '"$25 Reward" needs 2500 points and the member has 1200 available (1300 short)',
			}),
		);
	});

	it('refuses a reward not offered to the member', () => {
		expect(checkRedemption('9999', catalogue, 10_000)).toMatchObject({
			allowed: false,
			reason: expect.stringContaining('reward 9999 is not offered to this member'),
		});
	});

	it('refuses an out-of-stock reward', () => {
		expect(checkRedemption('1006', catalogue, 10_000)).toMatchObject({
			allowed: false,
			reason: '"Spa day voucher" is out of stock',
		});
	});

	it('refuses what Annex Cloud marks ineligible even with enough points', () => {
		expect(checkRedemption('1005', catalogue, 10_000)).toMatchObject({
			allowed: false,
			reason: 'Annex Cloud marks "Travel kit" as not eligible for this member',
		});
	});
});
