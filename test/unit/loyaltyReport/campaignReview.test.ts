import {
	mergeCampaignParts,
	reviewCampaign,
} from '../../../nodes/LoyaltyReport/logic/campaignReview';
import { ReportInputError } from '../../../nodes/LoyaltyReport/logic/inputValues';
import { platinumWinBack } from './fixtures';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function inputError(run: () => unknown): ReportInputError {
	try {
		run();
	} catch (error) {
		if (error instanceof ReportInputError) return error;
		throw error;
	}
	throw new Error('expected a ReportInputError');
}

describe('reviewCampaign: figures of a known campaign', () => {
	const figures = reviewCampaign(platinumWinBack);

	it('adds up the channels', () => {
		// Email 100/95/38/19/5, SMS 80/80/60/20/10, App Push 50/40/10/4/1
		expect(figures.totals).toEqual({
			sent: 230,
			delivered: 215,
			opened: 108,
			clicked: 43,
			converted: 16,
			excluded: 4,
		});
	});

	it('computes coverage and funnel rates', () => {
		expect(figures.audience.coverageRate).toBeCloseTo(90 / 100, 10);
		expect(figures.rates.deliveryRate).toBeCloseTo(215 / 230, 10);
		expect(figures.rates.openRate).toBeCloseTo(108 / 215, 10);
		expect(figures.rates.clickRate).toBeCloseTo(43 / 215, 10);
		expect(figures.rates.clickToOpenRate).toBeCloseTo(43 / 108, 10);
		expect(figures.rates.conversionRate).toBeCloseTo(16 / 215, 10);
	});

	it('computes new GMV above the baseline, upsell and ROI', () => {
		// revenue 1500 + 2500 + 200 = 4200, baseline 1000, cost 100 + 100 + 50 = 250
		expect(figures.revenue.attributedRevenue).toBe(4200);
		expect(figures.revenue.newGmv).toBe(3200);
		expect(figures.revenue.upsellRevenue).toBe(800);
		expect(figures.revenue.cost).toBe(250);
		expect(figures.revenue.roi).toBeCloseTo((3200 - 250) / 250, 10);
		expect(figures.revenue.costPerConversion).toBeCloseTo(250 / 16, 10);
	});

	it('takes the whole attributed revenue as new GMV when no baseline is given', () => {
		const noBaseline = copy(platinumWinBack) as Partial<typeof platinumWinBack>;
		delete noBaseline.baselineRevenue;
		const result = reviewCampaign(noBaseline);
		expect(result.revenue.newGmv).toBe(4200);
		expect(result.missing).toEqual([]);
	});

	it('measures retention against the holdout', () => {
		// treated 75/100 = 75 %, holdout 12/20 = 60 %: +15 points, +25 % relative
		expect(figures.retention.treatedRetentionRate).toBe(0.75);
		expect(figures.retention.holdoutRetentionRate).toBe(0.6);
		expect(figures.retention.lift).toBe(0.15);
		expect(figures.retention.relativeLift).toBe(0.25);
	});

	it('reports each channel', () => {
		const sms = figures.channels.find((c) => c.channel === 'SMS');
		expect(sms).toMatchObject({
			deliveryRate: 1,
			openRate: 0.75,
			clickRate: 0.25,
			conversionRate: 10 / 80,
			costPerConversion: 10,
			roi: (2500 - 100) / 100,
		});
		const push = figures.channels.find((c) => c.channel === 'App Push');
		expect(push?.deliveryRate).toBe(0.8);
		expect(push?.excluded).toBeNull();
	});

	it('has no missing data or warnings', () => {
		expect(figures.missing).toEqual([]);
		expect(figures.warnings).toEqual([]);
	});

	it('suggests strengthening SMS, the channel with the best conversions per cost', () => {
		// conversions per cost: Email 5/100, SMS 10/100, App Push 1/50
		expect(figures.bestChannel).toBe('SMS');
		expect(figures.suggestions[0]).toMatch(/^Strengthen SMS outreach/);
	});

	it('flags the weak channel with rule-based suggestions', () => {
		// App Push converts 1/40 = 2.5 %, under half of 16/215 = 7.4 %, and delivers 80 %
		expect(figures.suggestions).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^Review App Push .*2\.5%.*7\.4%/),
				expect.stringMatching(/^Clean App Push contact data: only 80\.0%/),
				expect.stringMatching(/^Keep the approach .*15\.0 points above the holdout/),
			]),
		);
		expect(figures.suggestions.some((s) => s.startsWith('Review SMS'))).toBe(false);
	});
});

describe('reviewCampaign: missing data is flagged, not guessed', () => {
	const input = copy(platinumWinBack) as Record<string, unknown> & typeof platinumWinBack;
	delete (input as Partial<typeof platinumWinBack>).holdout;
	delete (input.channels[0] as Partial<(typeof input.channels)[0]>).cost;
	delete (input as Partial<typeof platinumWinBack>).reached;
	const figures = reviewCampaign(input);

	it('names every absent field', () => {
		expect(figures.missing).toEqual([
			'reached',
			'channels[Email].cost',
			'holdout.members',
			'holdout.retained',
		]);
	});

	it('leaves the figures that depend on them empty', () => {
		expect(figures.audience.coverageRate).toBeNull();
		expect(figures.revenue.cost).toBeNull();
		expect(figures.revenue.roi).toBeNull();
		expect(figures.revenue.costPerConversion).toBeNull();
		expect(figures.retention.holdoutRetentionRate).toBeNull();
		expect(figures.retention.lift).toBeNull();
		expect(figures.channels[0].roi).toBeNull();
		expect(figures.channels[0].costPerConversion).toBeNull();
	});

	it('keeps the figures that do not depend on them', () => {
		expect(figures.revenue.newGmv).toBe(3200);
		expect(figures.retention.treatedRetentionRate).toBe(0.75);
		expect(figures.channels[1].roi).toBe(24);
	});

	it('does not rank a channel whose cost is unknown', () => {
		expect(figures.bestChannel).toBe('SMS');
		expect(figures.suggestions).toContainEqual(
			expect.stringMatching(/^Complete the 4 missing input field/),
		);
	});

	it('reports everything missing for an empty campaign without throwing', () => {
		const empty = reviewCampaign({});
		expect(empty.missing).toEqual(
			expect.arrayContaining(['name', 'period', 'audienceSize', 'channels', 'treated.members']),
		);
		expect(empty.totals.sent).toBeNull();
		expect(empty.revenue.roi).toBeNull();
		expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity/);
	});
});

describe('reviewCampaign: abnormal values raise warnings', () => {
	it('warns about rates over 100 % and negative revenue', () => {
		const input = copy(platinumWinBack);
		input.channels[1].opened = 120; // SMS delivered 80
		input.channels[2].delivered = 60; // App Push sent 50
		input.channels[2].revenue = -50;
		input.reached = 130; // audience 100
		input.holdout.retained = 25; // of 20 members
		const { warnings } = reviewCampaign(input);
		expect(warnings).toEqual(
			expect.arrayContaining([
				'SMS: open rate is 150.0%, over 100% (opened 120 > delivered 80).',
				'App Push: delivery rate is 120.0%, over 100% (delivered 60 > sent 50).',
				'App Push: revenue is negative (-50).',
				'Audience: coverage rate is 130.0%, over 100% (reached 130 > audience size 100).',
				'Holdout: retention rate is 125.0%, over 100% (retained 25 > members 20).',
			]),
		);
	});

	it('warns about undefined rates, duplicate channels and upsell above revenue', () => {
		const input = copy(platinumWinBack);
		input.channels[2].delivered = 0;
		input.channels[2].opened = 0;
		input.channels[2].clicked = 0;
		input.channels[2].converted = 0;
		input.channels[0].upsellRevenue = 9000;
		input.channels.push({ ...input.channels[1] });
		const { warnings } = reviewCampaign(input);
		expect(warnings).toEqual(
			expect.arrayContaining([
				'App Push: delivered is 0, so the open rate, click rate and conversion rate are undefined.',
				'Channel SMS is listed more than once.',
				'Upsell revenue (10000) is larger than the attributed revenue (6700).',
			]),
		);
	});

	it('suggests rethinking the campaign when retention falls below the holdout', () => {
		const input = copy(platinumWinBack);
		input.treated.retained = 55; // 55 % against the holdout's 60 %
		const figures = reviewCampaign(input);
		expect(figures.retention.lift).toBe(-0.05);
		expect(figures.suggestions).toContainEqual(
			expect.stringMatching(/^Rethink the offer .*5\.0 points worse than the holdout/),
		);
	});

	it('suggests cutting a channel that loses money and flags an unprofitable campaign', () => {
		const input = copy(platinumWinBack);
		input.channels[0].cost = 5000;
		const figures = reviewCampaign(input);
		expect(figures.channels[0].roi).toBe(-0.7);
		expect(figures.suggestions).toContainEqual(expect.stringMatching(/^Cut or retarget Email/));
		expect(figures.suggestions).toContainEqual(
			expect.stringMatching(/^The campaign did not pay back .* move budget to SMS\.$/),
		);
	});
});

describe('reviewCampaign: input forms', () => {
	it('accepts numeric strings and an ISO interval as the period', () => {
		const input = copy(platinumWinBack) as unknown as Record<string, unknown>;
		input.audienceSize = '100';
		input.period = '2026-05-01/2026-05-31';
		const figures = reviewCampaign(input);
		expect(figures.audience.audienceSize).toBe(100);
		expect(figures.campaign.period).toEqual({ start: '2026-05-01', end: '2026-05-31' });
	});

	it('ranks a channel that converts at no cost first', () => {
		const input = copy(platinumWinBack);
		input.channels[2].cost = 0;
		const figures = reviewCampaign(input);
		expect(figures.bestChannel).toBe('App Push');
		expect(figures.suggestions[0]).toBe(
			'Strengthen App Push outreach: it converts at no recorded cost.',
		);
		expect(JSON.stringify(figures)).not.toMatch(/Infinity/);
	});

	it('rejects a value that is not a number, naming the field', () => {
		const input = copy(platinumWinBack) as unknown as { channels: Array<Record<string, unknown>> };
		input.channels[1].sent = 'eighty';
		const error = inputError(() => reviewCampaign(input));
		expect(error.field).toBe('channels[1].sent');
		expect(error.message).toBe(`'channels[1].sent' must be a number, got "eighty"`);
	});

	it('rejects a channel row without a channel name', () => {
		const input = copy(platinumWinBack) as unknown as { channels: Array<Record<string, unknown>> };
		delete input.channels[2].channel;
		expect(inputError(() => reviewCampaign(input)).field).toBe('channels[2].channel');
	});

	it('rejects input that is not an object', () => {
		expect(inputError(() => reviewCampaign('campaign')).field).toBe('campaign');
	});
});

describe('mergeCampaignParts', () => {
	const { channels, ...campaign } = platinumWinBack;

	it('builds one campaign from a campaign item and one item per channel', () => {
		const merged = mergeCampaignParts([campaign, ...channels]);
		expect(reviewCampaign(merged)).toEqual(reviewCampaign(platinumWinBack));
	});

	it('merges nested groups from several items', () => {
		const { holdout, treated, ...rest } = campaign;
		const merged = mergeCampaignParts([rest, { holdout }, { treated }, { channels }]);
		expect(merged.holdout).toEqual(holdout);
		expect(reviewCampaign(merged).missing).toEqual([]);
	});

	it('rejects items that disagree, naming the item and the field', () => {
		const error = inputError(() => mergeCampaignParts([campaign, { holdout: { members: 25 } }]));
		expect(error.part).toBe(1);
		expect(error.field).toBe('holdout.members');
	});
});
