import {
	planEntitlementLifecycle,
	type LifecycleAction,
	type LifecycleSettings,
	type Notice,
} from '../../../nodes/TierEvaluate/logic/entitlementLifecycle';

const settings = (overrides: Partial<LifecycleSettings> = {}): LifecycleSettings => ({
	asOf: '2026-06-10',
	timeZone: 'UTC',
	reminderDays: 7,
	unusedAfterDays: 14,
	pointsReminderDays: 14,
	campaignSlug: 'entitlement-lifecycle',
	eventTypes: {
		entitlement_expired: 'loyalty_entitlement_expired',
		expiry_reminder: 'loyalty_benefit_expiry_reminder',
		points_expiry_reminder: 'loyalty_points_expiry_reminder',
		unused_benefits: 'loyalty_unused_benefits',
	},
	...overrides,
});

const entitlement = (overrides: Record<string, unknown> = {}) => ({
	entitlementKey: 'm1:1001:2026-06-01',
	memberId: 'm1',
	benefitId: '1001',
	benefitName: '$5 welcome reward',
	rewardName: '$5 welcome reward',
	rewardCode: 'CODE-1',
	tier: 'Silver',
	grantedAt: '2026-06-01',
	expiresAt: '2026-08-29',
	status: 'active',
	remindedAt: '',
	unusedNoticeAt: '',
	...overrides,
});

const profile = (overrides: Record<string, unknown> = {}) => ({
	loyaltyId: 'm1',
	email: 'li.lei@example.com',
	nextExpiringPoints: null,
	pointsExpirationDate: null,
	...overrides,
});

function plan(rows: unknown[], overrides: Partial<LifecycleSettings> = {}): LifecycleAction[] {
	const planned = planEntitlementLifecycle(rows, settings(overrides));
	if (!Array.isArray(planned)) throw new Error(planned.message);
	return planned;
}

const notices = (actions: LifecycleAction[]) =>
	actions.filter((action): action is Notice => action.action === 'notify');
const steps = (actions: LifecycleAction[]) =>
	actions.map((action) => (action.action === 'notify' ? action.step : action.action));

describe('entitlement lifecycle: expiry', () => {
	it('expires the day after the last valid day, not on it', () => {
		const row = entitlement({ expiresAt: '2026-06-10' });
		expect(steps(plan([row, profile()]))).toEqual(['expiry_reminder']);
		const after = plan([row, profile()], { asOf: '2026-06-11' });
		expect(after[0]).toEqual({
			action: 'expire',
			entitlementKey: 'm1:1001:2026-06-01',
			expiredAt: '2026-06-11',
			rows: [0],
		});
		expect(notices(after)).toEqual([
			expect.objectContaining({
				step: 'entitlement_expired',
				eventType: 'loyalty_entitlement_expired',
				eventId: 'm1:entitlement_expired:2026-06-11',
				expiresOn: '2026-06-10',
				benefitIds: ['1001'],
			}),
		]);
	});

	it('expires even a member without an email address, without a notice', () => {
		const row = entitlement({ expiresAt: '2026-06-01' });
		expect(steps(plan([row, profile({ email: '' })]))).toEqual(['expire']);
		expect(steps(plan([row]))).toEqual(['expire']);
	});

	it('never expires an entitlement without an end date', () => {
		expect(
			steps(plan([entitlement({ expiresAt: '', grantedAt: '2026-06-05' }), profile()])),
		).toEqual([]);
	});
});

describe('entitlement lifecycle: reminder N days before', () => {
	it('reminds from exactly reminderDays before the last day, not a day earlier', () => {
		const row = entitlement({ expiresAt: '2026-06-17' });
		expect(steps(plan([row, profile()], { asOf: '2026-06-09' }))).toEqual([]);
		const [reminder] = notices(plan([row, profile()], { asOf: '2026-06-10' }));
		expect(reminder).toMatchObject({
			step: 'expiry_reminder',
			eventType: 'loyalty_benefit_expiry_reminder',
			email: 'li.lei@example.com',
			campaignId: 'entitlement-lifecycle-2026-06-10',
			touchKey: 'entitlement-lifecycle-2026-06-10:m1:expiry_reminder:email',
			eventId: 'm1:expiry_reminder:2026-06-10',
			expiresOn: '2026-06-17',
			benefits: ['$5 welcome reward'],
			entitlements: [
				{
					entitlementKey: 'm1:1001:2026-06-01',
					step: 'expiry_reminder',
					remindedAt: '',
					unusedNoticeAt: '',
				},
			],
			rows: [0, 1],
		});
	});

	it('reminds a member with a reminder window of 0 days on the last day only', () => {
		const row = entitlement({ expiresAt: '2026-06-10' });
		expect(steps(plan([row, profile()], { reminderDays: 0, asOf: '2026-06-09' }))).toEqual([]);
		expect(steps(plan([row, profile()], { reminderDays: 0 }))).toEqual(['expiry_reminder']);
	});

	it('does not remind twice: an entitlement already reminded is left alone', () => {
		const row = entitlement({ expiresAt: '2026-06-12', remindedAt: '2026-06-08T06:00:00Z' });
		expect(steps(plan([row, profile()]))).toEqual([]);
	});

	it('gathers the entitlements of one member into one notice per step', () => {
		const second = entitlement({
			entitlementKey: 'm1:1002:2026-06-01',
			benefitId: '1002',
			benefitName: 'Free shipping',
			rewardName: 'Free shipping',
			rewardCode: 'CODE-2',
			expiresAt: '2026-06-12',
		});
		const actions = plan([entitlement({ expiresAt: '2026-06-15' }), second, profile()]);
		expect(notices(actions)).toHaveLength(1);
		expect(notices(actions)[0]).toMatchObject({
			benefitIds: ['1001', '1002'],
			dates: ['2026-06-12', '2026-06-15'],
			expiresOn: '2026-06-12',
			rows: [0, 1, 2],
		});
	});
});

describe('entitlement lifecycle: unused benefits', () => {
	it('tells the member once unusedAfterDays have passed since the grant', () => {
		const row = entitlement({ grantedAt: '2026-05-27' });
		expect(steps(plan([row, profile()]))).toEqual(['unused_benefits']);
		expect(steps(plan([row, profile()], { asOf: '2026-06-09' }))).toEqual([]);
		expect(steps(plan([{ ...row, unusedNoticeAt: '2026-06-09T06:00:00Z' }, profile()]))).toEqual(
			[],
		);
	});

	it('records the use instead when the reward history shows the code used after the grant', () => {
		const row = entitlement({ grantedAt: '2026-05-20' });
		const used = {
			memberId: 'm1',
			rewardCode: 'CODE-1',
			rewardName: '$5 welcome reward',
			rewardStatus: 'USED',
			createDate: '2026-05-20',
			updateDate: '2026-06-02 10:00:00',
		};
		expect(plan([row, profile(), used, used])).toEqual([
			{
				action: 'mark_used',
				entitlementKey: 'm1:1001:2026-06-01',
				usedAt: '2026-06-02 10:00:00',
				rows: [0],
			},
		]);
	});

	it('does not count a reward merely assigned, one used before the grant, or another reward', () => {
		const row = entitlement({ grantedAt: '2026-05-20', rewardCode: '' });
		const line = (overrides: Record<string, unknown>) => ({
			memberId: 'm1',
			rewardName: '$5 welcome reward',
			rewardStatus: 'REDEEMED',
			updateDate: '2026-06-01',
			...overrides,
		});
		const history = [
			line({ rewardStatus: 'ASSIGNED' }),
			line({ updateDate: '2026-05-19' }),
			line({ rewardName: '$10 Reward' }),
			line({ updateDate: '2026-06-11' }),
			{},
		];
		expect(steps(plan([row, profile(), ...history]))).toEqual(['unused_benefits']);
		expect(steps(plan([row, profile(), line({})]))).toEqual(['mark_used']);
	});
});

describe('entitlement lifecycle: points expiry reminder', () => {
	it('reminds when points expire between today and pointsReminderDays ahead, keyed by that date', () => {
		const member = (date: string) =>
			profile({ nextExpiringPoints: 250, pointsExpirationDate: date });
		expect(notices(plan([member('2026-06-24T00:00:00.000Z')]))).toEqual([
			expect.objectContaining({
				step: 'points_expiry_reminder',
				points: '250',
				expiresOn: '2026-06-24',
				eventId: 'm1:points_expiry_reminder:2026-06-24',
				benefits: [],
				entitlements: [],
			}),
		]);
		expect(plan([member('2026-06-25')])).toEqual([]);
		expect(plan([member('2026-06-09')])).toEqual([]);
		expect(steps(plan([member('2026-06-10')]))).toEqual(['points_expiry_reminder']);
		expect(plan([profile({ nextExpiringPoints: 0, pointsExpirationDate: '2026-06-12' })])).toEqual(
			[],
		);
	});
});

describe('entitlement lifecycle: time zones', () => {
	it("counts a timestamp on the calendar day of the run's time zone", () => {
		// 23:30 UTC on June 9 is already June 10 in Shanghai.
		const row = entitlement({ expiresAt: '2026-06-09T23:30:00Z' });
		expect(steps(plan([row, profile()], { asOf: '2026-06-10' }))).toEqual([
			'expire',
			'entitlement_expired',
		]);
		expect(
			steps(plan([row, profile()], { asOf: '2026-06-10', timeZone: 'Asia/Shanghai' })),
		).toEqual(['expiry_reminder']);
	});

	it('takes "today" from an instant in the time zone', () => {
		const row = entitlement({ expiresAt: '2026-06-10' });
		// 20:00 in New York on June 10 is June 11 in UTC.
		const asOf = '2026-06-11T00:00:00Z';
		expect(steps(plan([row, profile()], { asOf }))).toEqual(['expire', 'entitlement_expired']);
		expect(steps(plan([row, profile()], { asOf, timeZone: 'America/New_York' }))).toEqual([
			'expiry_reminder',
		]);
	});

	it('refuses an unknown time zone and a negative window', () => {
		expect(planEntitlementLifecycle([], settings({ timeZone: 'Mars/Olympus' }))).toMatchObject({
			ok: false,
			field: 'timeZone',
		});
		expect(planEntitlementLifecycle([], settings({ reminderDays: -1 }))).toMatchObject({
			ok: false,
			field: 'reminderDays',
		});
	});
});
