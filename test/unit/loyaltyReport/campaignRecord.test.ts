import {
	DEFAULT_RECORD_REVIEW_SETTINGS,
	reviewCampaignRecords,
	type RecordReview,
} from '../../../nodes/LoyaltyReport/logic/campaignRecord';
import { normalCdf, twoProportionTest } from '../../../nodes/LoyaltyReport/logic/significance';
import {
	CAMPAIGN_ID,
	campaignRow,
	engagementRow,
	feedbackRow,
	memberId,
	memberRows,
	purchaseLine,
	touchRow,
} from './campaignRecordRows';

const settings = { ...DEFAULT_RECORD_REVIEW_SETTINGS, now: new Date('2026-06-16T06:00:00Z') };
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * 40 target members (0-19 by email, 20-39 by SMS), 40 in the holdout. Email: 20 delivered,
 * 8 opened, 4 clicked; SMS: 20 sent, 12 clicked. Purchases of 100 points (1 point per EUR) by
 * `emailBuyers` email members, `smsBuyers` SMS members and 6 holdout members.
 */
function recordedCampaign({ emailBuyers = 4, smsBuyers = 10, smsExport = true } = {}) {
	const t = (n: number) => memberId('t', n);
	return [
		campaignRow(),
		...memberRows(40, 40),
		...range(0, 20).map((n) => touchRow(t(n), 'email')),
		...range(20, 40).map((n) => touchRow(t(n), 'sms')),
		...range(0, 20).map((n) => engagementRow(t(n), 'email', 'delivery')),
		...range(0, 8).map((n) => engagementRow(t(n), 'email', 'open')),
		// One member opening twice counts once.
		engagementRow(t(0), 'email', 'open'),
		...range(0, 4).map((n) => engagementRow(t(n), 'email', 'click')),
		...(smsExport ? range(20, 32).map((n) => engagementRow(t(n), 'sms', 'click')) : []),
		...range(0, emailBuyers).map((n) => purchaseLine(t(n), 100)),
		...range(20, 20 + smsBuyers).map((n) => purchaseLine(t(n), 100)),
		...range(0, 6).map((n) => purchaseLine(memberId('h', n), 100)),
	];
}

const only = (rows: unknown[], overrides = {}): RecordReview => {
	const reviews = reviewCampaignRecords(rows, { ...settings, ...overrides });
	expect(reviews).toHaveLength(1);
	return reviews[0];
};

describe('reviewCampaignRecords: a campaign from its recorded rows', () => {
	const review = only(recordedCampaign());

	it('measures conversion of the target group against the holdout', () => {
		expect(review.retention).toMatchObject({
			treatedMembers: 40,
			treatedRetained: 14,
			treatedRetentionRate: 0.35,
			holdoutMembers: 40,
			holdoutRetained: 6,
			holdoutRetentionRate: 0.15,
			lift: 0.2,
		});
		expect(review.significance.significant).toBe(true);
		expect(review.significance.pValue).toBeCloseTo(0.0388, 3);
	});

	it('computes new GMV above what the holdout bought, cost from the campaign row and ROI', () => {
		expect(review.revenue).toMatchObject({
			attributedRevenue: 1400,
			baselineRevenue: 600,
			newGmv: 800,
			cost: 30,
		});
		expect(review.revenue.roi).toBeCloseTo((800 - 30) / 30, 10);
	});

	it('gives each channel its sends, unique opens and clicks and last-touch conversions', () => {
		const [email, sms] = review.channels;
		expect(email).toMatchObject({
			channel: 'Email',
			sent: 20,
			delivered: 20,
			opened: 8,
			clicked: 4,
			converted: 4,
			revenue: 400,
			cost: 10,
		});
		expect(sms).toMatchObject({
			channel: 'SMS',
			sent: 20,
			opened: 0,
			clicked: 12,
			converted: 10,
			cost: 20,
		});
		expect(review.bestChannel).toBe('SMS');
	});

	it('suggests strengthening SMS when SMS converts best and above the holdout', () => {
		expect(review.suggestions).toEqual(
			expect.arrayContaining([expect.stringMatching(/^Strengthen SMS outreach/)]),
		);
		expect(review.alerts).toEqual([]);
		expect(review).toMatchObject({ complete: true, missing: [], version: 1 });
	});

	it('writes a knowledge-base row with the key figures', () => {
		expect(review.insight).toMatchObject({
			insightKey: `${CAMPAIGN_ID}:v1`,
			campaignId: CAMPAIGN_ID,
			segment: 'lapsed-platinum',
			offerId: 'gift-travel-kit',
			version: 1,
			status: 'complete',
			reviewedAt: '2026-06-16T06:00:00.000Z',
		});
		expect(JSON.parse(review.insight.metrics)).toMatchObject({
			newGmv: 800,
			lift: 0.2,
			bestChannel: 'SMS',
			channels: { SMS: { converted: 10 } },
		});
		expect(review.insight.suggestions).toContain('Strengthen SMS outreach');
	});
});

describe('reviewCampaignRecords: what the data do not support', () => {
	it('does not suggest strengthening SMS when SMS converts poorly', () => {
		const review = only(recordedCampaign({ smsBuyers: 1 }));
		expect(review.channels[1].converted).toBe(1);
		expect(review.suggestions.join('\n')).not.toMatch(/Strengthen SMS/);
		expect(review.suggestions).toEqual(
			expect.arrayContaining([expect.stringMatching(/^Strengthen Email outreach/)]),
		);
	});

	it('drops "strengthen" for a channel that converts no better than the holdout', () => {
		// Email 2/20 = 10% and SMS 1/20 = 5%, the holdout 15%.
		const review = only(recordedCampaign({ emailBuyers: 2, smsBuyers: 1 }));
		expect(review.suggestions.join('\n')).not.toMatch(/^Strengthen/m);
	});

	it('lists opens and clicks of a channel whose export rows have not arrived as missing', () => {
		const review = only(recordedCampaign({ smsExport: false }));
		expect(review.complete).toBe(false);
		expect(review.missing).toContain('opens and clicks of SMS (no Ometria export rows yet)');
		expect(review.channels[1]).toMatchObject({ opened: null, clicked: null, delivered: null });
		expect(review.insight.status).toBe('incomplete');
	});

	it('lists the purchases of members whose activity could not be read as missing', () => {
		const rows = [...recordedCampaign(), { memberId: memberId('t', 5), error: 'timeout' }];
		expect(only(rows).missing).toContain(
			'purchases of 1 member(s) (Annex Cloud activity not read)',
		);
	});

	it('counts only purchases inside the measurement window, each activity line once', () => {
		const late = purchaseLine(memberId('h', 30), 500, '2026-06-20T00:00:00+0000');
		const early = purchaseLine(memberId('h', 31), 500, '2026-05-20T00:00:00+0000');
		const line = purchaseLine(memberId('h', 32), 100);
		const review = only([...recordedCampaign(), late, early, line, { ...line }]);
		expect(review.retention.holdoutRetained).toBe(7);
	});

	it('calls a small lift not significant and says so', () => {
		const review = only(recordedCampaign({ emailBuyers: 0, smsBuyers: 8 }));
		expect(review.significance.significant).toBe(false);
		expect(review.suggestions).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^The lift of 5\.0 points is not significant/),
			]),
		);
	});
});

describe('reviewCampaignRecords: alerts on abnormal metrics', () => {
	it('alerts on a negative ROI and on a channel at zero, once per campaign and set of checks', () => {
		const rows = recordedCampaign().filter(
			(row) => !('engagementKey' in row && ['open', 'click'].includes(String(row.eventType))),
		);
		rows[0] = campaignRow({ costPerEmail: 50, name: 'Lapsed <Platinum>' });
		const review = only([
			...rows,
			...range(20, 32).map((n) => engagementRow(memberId('t', n), 'sms', 'click')),
		]);
		expect(review.alerts).toHaveLength(1);
		expect(review.alerts[0]).toMatchObject({
			alertKey: `campaign:${CAMPAIGN_ID}:channel_at_zero+negative_roi`,
			checks: ['channel_at_zero', 'negative_roi'],
			severity: 'warning',
			subject: '[Campaign review] Lapsed <Platinum>: channel at zero, negative roi',
		});
		expect(review.alerts[0].html).toContain('<p>Campaign Lapsed &lt;Platinum&gt; (');
		expect(review.alerts[0].text).toContain('- Email: 20 sent, none opened or clicked.');
		expect(review.alerts[0].text).toMatch(/- ROI is -\d+\.\d%/);
	});

	it('alerts when conversion is further above the holdout than a campaign plausibly moves it', () => {
		const review = only(recordedCampaign({ emailBuyers: 20, smsBuyers: 20 }));
		expect(review.retention.lift).toBe(0.85);
		expect(review.alerts[0].checks).toEqual(['abnormal_lift']);
		expect(review.alerts[0].findings[0]).toContain('85.0 points above the holdout');
		expect(review.alerts[0].html).toContain('<li>Conversion 100.0% is 85.0 points above');
	});
});

describe('reviewCampaignRecords: the knowledge base', () => {
	const insight = (campaignId: string, version: number, metrics: object, suggestions: string) => ({
		insightKey: `${campaignId}:v${version}`,
		campaignId,
		campaignName: campaignId,
		reviewedAt: `2026-0${version + 2}-01T06:00:00.000Z`,
		segment: 'lapsed-platinum',
		offerId: 'gift-travel-kit',
		version,
		status: 'complete',
		metrics: JSON.stringify(metrics),
		suggestions,
		missing: '',
		pdfPath: '/reviews/x.pdf',
		recipients: 'ops@example.com',
	});

	it('numbers a recomputed review after the versions already archived', () => {
		const rows = [
			...recordedCampaign(),
			insight(CAMPAIGN_ID, 1, {}, ''),
			insight(CAMPAIGN_ID, 2, {}, ''),
		];
		const review = only(rows);
		expect(review.version).toBe(3);
		expect(review.insight.insightKey).toBe(`${CAMPAIGN_ID}:v3`);
		expect(review.earlierCampaigns).toEqual([]);
	});

	it('cites earlier campaigns of the same segment, their latest version only', () => {
		const rows = [
			...recordedCampaign(),
			insight('lapsed-platinum-2026-04-01', 1, { roi: 1 }, ''),
			insight(
				'lapsed-platinum-2026-04-01',
				2,
				{ roi: 4, lift: 0.1 },
				'Strengthen SMS outreach: best.',
			),
			{ ...insight('birthday-2026-04-01', 1, { roi: 9 }, ''), segment: 'birthday' },
		];
		const review = only(rows);
		expect(review.earlierCampaigns).toEqual([
			expect.objectContaining({ campaignId: 'lapsed-platinum-2026-04-01', version: 2, roi: 4 }),
		]);
		expect(review.suggestions).toEqual(
			expect.arrayContaining([
				'Earlier lapsed-platinum campaigns for comparison: lapsed-platinum-2026-04-01 (lapsed-platinum-2026-04-01: ROI 400.0%, lift 10.0 points).',
				expect.stringMatching(/^ROI 2566\.7% is at or above the 400\.0% average of 1 earlier/),
				'Strengthen SMS outreach was also suggested after lapsed-platinum-2026-04-01: the pattern holds.',
			]),
		);
	});
});

describe('reviewCampaignRecords: satisfaction with the offers', () => {
	const t = (n: number) => memberId('t', n);

	it("averages the target group's survey answers about the campaign's offer, latest answer per member", () => {
		const rows = [
			...recordedCampaign(),
			feedbackRow(t(0), 5, { comment: 'Lovely kit' }),
			feedbackRow(t(1), 4),
			feedbackRow(t(2), 1, { answeredAt: '2026-06-03T10:00:00.000Z', comment: 'Broken zip' }),
			// The same member again, later: replaces the first answer.
			feedbackRow(t(2), 3, { answeredAt: '2026-06-07T10:00:00.000Z', comment: 'Replaced, fine' }),
		];
		const review = only(rows);
		expect(review.satisfaction).toEqual({
			responses: 3,
			averageRating: 4,
			byOffer: [
				{
					offerId: 'gift-travel-kit',
					name: 'Travel kit',
					responses: 3,
					averageRating: 4,
					ratings: [0, 0, 1, 1, 1],
					comments: [
						{ rating: 3, comment: 'Replaced, fine', answeredAt: '2026-06-07T10:00:00.000Z' },
						{ rating: 5, comment: 'Lovely kit', answeredAt: '2026-06-06T10:00:00.000Z' },
					],
				},
			],
		});
		expect(JSON.parse(review.insight.metrics)).toMatchObject({ satisfaction: 4, surveyAnswers: 3 });
		expect(review.suggestions.join('\n')).not.toMatch(/Rethink/);
	});

	it('leaves out holdout members, other benefits, answers before the send and bad ratings', () => {
		const rows = [
			...recordedCampaign(),
			feedbackRow(memberId('h', 0), 5),
			feedbackRow(t(0), 5, { benefitId: 'free-shipping' }),
			feedbackRow(t(1), 5, { answeredAt: '2026-05-31T10:00:00.000Z' }),
			feedbackRow(t(2), 7),
			feedbackRow(t(3), 2),
		];
		const review = only(rows);
		expect(review.satisfaction).toMatchObject({ responses: 1, averageRating: 2 });
		expect(review.satisfaction.byOffer.map((offer) => offer.offerId)).toEqual(['gift-travel-kit']);
	});

	it('counts the offer a target member was given even when the campaign row names another', () => {
		const rows = [...recordedCampaign(), feedbackRow(t(5), 4, { benefitId: 'gift-spa-day' })].map(
			(row) =>
				'memberKey' in row && row.memberId === t(5) ? { ...row, offerId: 'gift-spa-day' } : row,
		);
		expect(only(rows).satisfaction.byOffer).toEqual([
			expect.objectContaining({ offerId: 'gift-spa-day', responses: 1, averageRating: 4 }),
		]);
	});

	it('suggests rethinking an offer rated below 3 by at least 3 members, not on fewer answers', () => {
		const low = [feedbackRow(t(0), 2), feedbackRow(t(1), 1), feedbackRow(t(2), 3)];
		expect(only([...recordedCampaign(), ...low]).suggestions).toContain(
			'Rethink the offer Travel kit: members who got it rate it 2.0/5 (3 answers).',
		);
		expect(only([...recordedCampaign(), ...low.slice(0, 2)]).suggestions.join('\n')).not.toMatch(
			/Rethink/,
		);
	});

	it('has no satisfaction figures when nobody answered', () => {
		expect(only(recordedCampaign()).satisfaction).toEqual({
			responses: 0,
			averageRating: null,
			byOffer: [],
		});
	});
});

describe('twoProportionTest', () => {
	it('matches the normal table', () => {
		expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
		expect(normalCdf(-1.96)).toBeCloseTo(0.025, 4);
		expect(normalCdf(0)).toBeCloseTo(0.5, 7);
	});

	it('leaves the p-value empty for groups too small for the approximation', () => {
		const small = twoProportionTest(3, 10, 1, 10);
		expect(small).toMatchObject({ z: null, pValue: null });
		expect(small.difference).toBeCloseTo(0.2, 10);
		expect(twoProportionTest(3, 10, 0, 0).pValue).toBeNull();
	});
});

describe('reviewCampaignRecords: export rows', () => {
	it('ignores export rows of members the campaign did not message on that channel', () => {
		const stray = [
			engagementRow(memberId('t', 25), 'email', 'open'),
			engagementRow(memberId('h', 1), 'email', 'click'),
		];
		const review = only([...recordedCampaign(), ...stray]);
		expect(review.channels[0]).toMatchObject({ opened: 8, clicked: 4 });
	});
});
