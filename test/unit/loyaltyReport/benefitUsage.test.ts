import {
	benefitUsage,
	benefitUsageDocument,
	DEFAULT_BENEFIT_USAGE_OPTIONS,
	mergeBenefitUsageParts,
} from '../../../nodes/LoyaltyReport/logic/benefitUsage';
import { ReportInputError } from '../../../nodes/LoyaltyReport/logic/inputValues';
import { buildReport } from '../../../nodes/LoyaltyReport/logic/reportFiles';
import { DEFAULT_SYNC_HEALTH_OPTIONS } from '../../../nodes/LoyaltyReport/logic/syncHealth';

function entitlement(overrides: Record<string, unknown> = {}) {
	return {
		entitlementKey: 'li-lei:1001:2026-11-02',
		memberId: 'li-lei',
		benefitId: '1001',
		benefitName: '$5 welcome reward',
		rewardName: '$5 Reward',
		rewardCode: 'RW1001-000001',
		tier: 'Silver',
		grantedAt: '2026-11-02T10:00:00.000Z',
		expiresAt: '2027-01-30',
		status: 'active',
		...overrides,
	};
}

const input = {
	entitlements: [
		entitlement(),
		entitlement({
			entitlementKey: 'zhang-min:1003:2026-11-03',
			memberId: 'zhang-min',
			benefitId: '1003',
			benefitName: '$25 welcome reward',
			rewardName: '$25 Reward',
			rewardCode: 'RW1003-000002',
			tier: 'Platinum',
			grantedAt: '2026-11-03T10:00:00Z',
			status: 'used',
		}),
		entitlement({
			entitlementKey: 'wang-fang:1001:2026-10-01',
			memberId: 'wang-fang',
			rewardCode: 'RW1001-000003',
			grantedAt: '2026-10-01T10:00:00Z',
			status: 'expired',
		}),
	],
	rewardHistory: [
		// The granted coupon, still only assigned: not a use.
		{
			memberId: 'li-lei',
			rewardCode: 'RW1001-000001',
			rewardName: '$5 Reward',
			rewardStatus: 'ASSIGNED',
			pointsUsed: 0,
			createDate: '2026-11-02T10:00:00+0000',
		},
		// The granted coupon, used at checkout: counted under the granted benefit and its tier.
		{
			memberId: 'zhang-min',
			rewardCode: 'RW1003-000002',
			rewardName: '$25 Reward',
			rewardStatus: 'USED',
			pointsUsed: 0,
			createDate: '2026-11-10T10:00:00+0000',
		},
		// A points redemption of a catalog reward by a member with no entitlement record.
		{
			memberId: 'plat-004',
			rewardCode: 'RW1002-000009',
			rewardName: '$10 Reward',
			rewardStatus: 'REDEEMED',
			pointsUsed: 1000,
			createDate: '2026-11-20T08:00:00+0000',
		},
	],
	feedback: [
		{
			feedbackKey: 'plat-004:1002:a',
			memberId: 'plat-004',
			benefitId: '1002',
			benefitName: '$10 Reward',
			rating: 4,
			comment: 'Easy to use',
			answeredAt: '2026-11-21T09:00:00Z',
		},
		{
			feedbackKey: 'zhang-min:1003:b',
			memberId: 'zhang-min',
			benefitId: '1003',
			benefitName: '$25 welcome reward',
			rating: 2,
			comment: '',
			answeredAt: '2026-11-22T09:00:00Z',
		},
	],
	members: [{ loyaltyId: 'plat-004', currentTier: 'Platinum' }],
};

describe('benefit usage report', () => {
	it('counts grants, uses, expiry losses, redemptions and answers per benefit, tier and month', () => {
		const figures = benefitUsage(input);
		expect(figures.totals).toMatchObject({
			granted: 3,
			used: 1,
			expired: 1,
			active: 1,
			utilisationRate: 0.333333333333,
			expiryLossRate: 0.333333333333,
			redemptions: 2,
			pointsRedeemed: 1000,
			responses: 2,
			averageRating: 3,
		});
		const byId = Object.fromEntries(figures.byBenefit.map((row) => [row.benefitId, row]));
		expect(byId['1001']).toMatchObject({
			granted: 2,
			used: 0,
			expired: 1,
			redemptions: 0,
			utilisationRate: 0,
			expiryLossRate: 0.5,
		});
		expect(byId['1003']).toMatchObject({
			benefitName: '$25 welcome reward',
			granted: 1,
			used: 1,
			redemptions: 1,
			responses: 1,
			averageRating: 2,
		});
		expect(byId['1002']).toMatchObject({
			benefitName: '$10 Reward',
			granted: 0,
			redemptions: 1,
			pointsRedeemed: 1000,
			utilisationRate: null,
			responses: 1,
			averageRating: 4,
		});
		const byTier = Object.fromEntries(figures.byTier.map((row) => [row.tier, row]));
		expect(byTier.Platinum).toMatchObject({ granted: 1, used: 1, redemptions: 2 });
		expect(byTier.Silver).toMatchObject({ granted: 2, expired: 1, redemptions: 0 });
		expect(figures.byPeriod.map((row) => [row.period, row.granted, row.redemptions])).toEqual([
			['2026-10', 1, 0],
			['2026-11', 2, 2],
		]);
		expect(figures.comments).toEqual([
			{ benefitName: '$10 Reward', rating: 4, comment: 'Easy to use', answeredAt: '2026-11-21' },
		]);
		expect(figures.missing).toEqual([]);
	});

	it('limits every count to the period and groups by week', () => {
		const figures = benefitUsage(input, {
			...DEFAULT_BENEFIT_USAGE_OPTIONS,
			from: '2026-11-01',
			to: '2026-11-15',
			periodUnit: 'week',
		});
		expect(figures.totals).toMatchObject({ granted: 2, expired: 0, redemptions: 1, responses: 0 });
		expect(figures.byPeriod.map((row) => row.period)).toEqual([
			'week of 2026-11-02',
			'week of 2026-11-09',
		]);
	});

	it('takes Data Table rows and reward history lines one item each', () => {
		const merged = mergeBenefitUsageParts([
			...input.entitlements,
			...input.rewardHistory,
			...input.feedback,
			{ loyaltyId: 'plat-004', currentTier: 'Platinum' },
			{ unrelated: true },
		]);
		expect(benefitUsage(merged)).toEqual(benefitUsage(input));
	});

	it('lists what is missing instead of guessing', () => {
		const figures = benefitUsage({
			entitlements: [entitlement({ grantedAt: '' })],
		});
		expect(figures.totals.granted).toBe(0);
		expect(figures.missing).toEqual([
			'No Annex Cloud reward history was given.',
			'entitlements[0] lacks memberId, benefitId or grantedAt and is not counted',
		]);
	});

	it('names the field of malformed input', () => {
		expect(() => benefitUsage({ entitlements: [entitlement({ status: 'lost' })] })).toThrow(
			new ReportInputError(
				'entitlements[0].status',
				'\'entitlements[0].status\' must be active, used or expired, got "lost"',
			),
		);
		expect(() =>
			benefitUsage({ feedback: [{ benefitId: '1', rating: 9, answeredAt: '2026-11-01' }] }),
		).toThrow(/feedback\[0\]\.rating' must be 1 to 5/);
		expect(() => benefitUsage({ rewardHistory: 'x' })).toThrow(/'rewardHistory' must be a list/);
		expect(() =>
			benefitUsage(input, { ...DEFAULT_BENEFIT_USAGE_OPTIONS, from: '1.11.2026' }),
		).toThrow(/'from' must be a date/);
	});

	it('renders the same figures as JSON, CSV, HTML and PDF, escaping member comments', () => {
		const withMarkup = {
			...input,
			feedback: [{ ...input.feedback[0], comment: '<script>alert(1)</script>' }],
		};
		const built = buildReport(withMarkup, {
			reportType: 'benefitUsage',
			formats: ['csv', 'html', 'pdf'],
			sync: DEFAULT_SYNC_HEALTH_OPTIONS,
			benefitUsage: DEFAULT_BENEFIT_USAGE_OPTIONS,
			fileName: '',
			now: new Date('2026-12-01T07:00:00Z'),
		});
		expect(built.files.map((file) => file.fileName)).toEqual([
			'benefit-usage-2026-12-01.csv',
			'benefit-usage-2026-12-01.html',
			'benefit-usage-2026-12-01.pdf',
		]);
		const [csv, html, pdf] = built.files.map((file) => file.content);
		expect(csv).toContain('$25 welcome reward');
		expect(html).toContain('&lt;script&gt;');
		expect(html).not.toContain('<script>alert');
		expect(
			Buffer.from(pdf as Uint8Array)
				.subarray(0, 5)
				.toString(),
		).toBe('%PDF-');
		const doc = benefitUsageDocument(benefitUsage(input), '2026-12-01 07:00 UTC');
		expect(doc.sections.map((section) => section.heading)).toEqual([
			'Overview',
			'By benefit',
			'By tier',
			'By month',
			'What members said',
			'Missing data',
		]);
	});
});
