import {
	ANNEX_LOYALTY_FIELDS,
	mapCustomProperties,
	mapLoyaltyPreset,
} from '../../../nodes/Ometria/logic/loyaltyPreset';

/** A member as the Annex Cloud node's loyalty profile outputs it. */
const profile = {
	loyaltyId: 'plat-001',
	firstName: 'Jane',
	lastName: 'Doe',
	email: 'jane@example.com',
	activeStatus: 'ACTIVE',
	birthDate: '1990-01-15',
	anniversaryDate: '2021-03-01',
	phone: '+447700900123',
	zipCode: 'SW1A 1AA',
	optInStatus: 'YES',
	optInDate: '2021-03-01T10:00:00+0000',
	availablePoints: 1520,
	earnedPoints: 4000,
	usedPoints: 2480,
	holdPoints: 100,
	nextExpiringPoints: 200,
	pointsExpirationDate: '2025-12-31T00:00:00.000Z',
	expiredPoints: 0,
	currentTier: 'Gold',
	nextTier: 'Platinum',
	pointsToNextTier: 980,
	tierAchievedDate: '2024-06-01T00:00:00.000Z',
	availableRewards: '$5 Reward | $10 Reward',
	pointsToNextReward: 480,
	highestAvailableReward: '$10 Reward',
	firstActivityDate: '2021-03-02T12:00:00.000Z',
	lastActivityDate: '2025-01-10T12:00:00.000Z',
	firstPurchaseDate: '2021-03-05T12:00:00.000Z',
	lastPurchaseDate: '2025-01-09T12:00:00.000Z',
};

describe('Annex Cloud loyalty preset', () => {
	it('covers the 29 fields of the Annex Cloud loyalty field list', () => {
		expect(ANNEX_LOYALTY_FIELDS).toHaveLength(29);
		expect(new Set(ANNEX_LOYALTY_FIELDS.map((field) => field.key)).size).toBe(29);
	});

	it("maps a profile onto Ometria's documented Annex Cloud custom fields", () => {
		const result = mapLoyaltyPreset(profile);
		expect(result.errors).toEqual([]);
		expect(result.properties).toEqual({
			annex_loyalty_id: 'plat-001',
			annex_active_status: 'ACTIVE',
			annex_loyalty_anniversary_date: '2021-03-01',
			annex_user_opt_in_status: 'YES',
			annex_opt_in_date: '2021-03-01T10:00:00+00:00',
			annex_available_points: '1520',
			annex_earned_points: '4000',
			annex_used_points: 2480,
			annex_next_expiring_points: 200,
			annex_points_expiration_date: '2025-12-31T00:00:00+00:00',
			annex_expired_points: 0,
			annex_current_tier: 'Gold',
			annex_next_tier: 'Platinum',
			annex_points_req_for_next_tier: 980,
			annex_available_rewards1: '$5 Reward | $10 Reward',
			annex_points_req_for_next_reward: 480,
			annex_highest_available_reward1: '$10 Reward',
			annex_first_activity: '2021-03-02T12:00:00+00:00',
			annex_last_activity_date: '2025-01-10T12:00:00+00:00',
		});
		expect(result.contactFields).toEqual({
			id: 'plat-001',
			email: 'jane@example.com',
			firstname: 'Jane',
			lastname: 'Doe',
			phone_number: '+447700900123',
			date_of_birth: '1990-01-15',
		});
	});

	it('sends the five fields without a default Ometria field only when asked', () => {
		const result = mapLoyaltyPreset(profile, { includeUndocumented: true });
		expect(result.properties).toMatchObject({
			annex_zip_code: 'SW1A 1AA',
			annex_hold_points: 100,
			annex_tier_achieved_date: '2024-06-01T00:00:00+00:00',
			annex_first_purchase_date: '2021-03-05T12:00:00+00:00',
			annex_last_purchase_date: '2025-01-09T12:00:00+00:00',
		});
	});

	it('reads renamed source fields, skips excluded ones and leaves out empty values', () => {
		const result = mapLoyaltyPreset(
			{ member: { tier: 'Silver' }, balance: '75', nextTier: null, currentTier: 'ignored' },
			{
				sourceFields: { currentTier: 'member.tier', availablePoints: 'balance' },
				exclude: ['loyaltyId'],
			},
		);
		expect(result.properties).toEqual({
			annex_current_tier: 'Silver',
			annex_available_points: '75',
		});
		expect(result.contactFields).toEqual({});
	});

	it('joins reward lists and names the field of a bad value', () => {
		const result = mapLoyaltyPreset({
			availableRewards: [{ name: '$5 Reward' }, '$10 Reward'],
			usedPoints: 'many',
			optInDate: 'yesterday',
		});
		expect(result.properties.annex_available_rewards1).toBe('$5 Reward | $10 Reward');
		expect(result.errors.map((error) => error.field)).toEqual([
			'properties.annex_opt_in_date',
			'properties.annex_used_points',
		]);
	});

	it('maps user-defined fields with a type', () => {
		const result = mapCustomProperties([
			{ fieldId: 'loyalty_vip', value: 'true', type: 'boolean' },
			{ fieldId: 'loyalty_since', value: '2020-01-01T00:00:00Z', type: 'date' },
			{ fieldId: 'loyalty_visits', value: '12', type: 'integer' },
			{ fieldId: 'empty', value: '' },
			{ fieldId: '__proto__', value: 'x' },
			{ fieldId: 'nested', value: { a: 1 } },
		]);
		expect(result.properties).toEqual({
			loyalty_vip: true,
			loyalty_since: '2020-01-01T00:00:00+00:00',
			loyalty_visits: 12,
		});
		expect(result.errors.map((error) => error.field)).toEqual([
			'properties.__proto__',
			'properties.nested',
		]);
	});
});
