import {
	EXPLORATION,
	PRIOR_WEIGHT,
	addKnowledgeBase,
	countOfferOutcomes,
	learnOffers,
	learnConversion,
	learnedScore,
	type OfferRecords,
} from '../../../nodes/SegmentBuild/logic/offerLearning';
import { compileOfferPicker, type OfferPicker } from '../../../nodes/SegmentBuild/logic/outreach';
import { buildSegment } from '../../../nodes/SegmentBuild/logic/segmentBuild';
import { isRuleFailure } from '../../../nodes/shared/memberValues';

const row = (
	campaignId: string,
	memberId: string,
	offerId: string,
	outcome: string,
	segment = 'win-back',
) => ({ campaignId, memberId, offerId, outcome, segment });

function records(outcomes: unknown, segment = 'win-back'): OfferRecords {
	const counted = countOfferOutcomes(outcomes, segment);
	if (counted === undefined || isRuleFailure(counted)) throw new Error('no records');
	return counted;
}

describe('countOfferOutcomes', () => {
	it('counts distinct sends and the sends that converted, per offer, in the segment only', () => {
		const counted = records([
			row('win-back-2026-06-01', 'li-lei', '1005', 'sent'),
			row('win-back-2026-06-01', 'li-lei', '1005', 'sent'), // the same send recorded twice
			row('win-back-2026-06-01', 'li-lei', '1005', 'purchased'),
			row('win-back-2026-06-01', 'li-lei', '1005', 'redeemed'),
			row('win-back-2026-06-01', 'wang-fang', '1005', 'sent'),
			row('win-back-2026-06-08', 'li-lei', '1007', 'sent'),
			row('win-back-2026-06-08', 'li-lei', '1007', 'activity_recovered'),
			row('lapsed-2026-06-01', 'plat-001', '1005', 'sent', 'lapsed-platinum'),
			row('lapsed-2026-06-01', 'plat-001', '1005', 'purchased', 'lapsed-platinum'),
		]);
		expect(Object.fromEntries(counted)).toEqual({
			'1005': { sends: 2, conversions: 1, campaigns: ['win-back-2026-06-01'] },
			'1007': { sends: 1, conversions: 0, campaigns: ['win-back-2026-06-08'] },
		});
	});

	it('compares segments without case and ignores rows without an offer', () => {
		const counted = records([
			row('c', 'a', '1001', 'sent', ' Win-Back '),
			row('c', 'b', '', 'sent'),
		]);
		expect(Object.fromEntries(counted)).toEqual({
			'1001': { sends: 1, conversions: 0, campaigns: ['c'] },
		});
	});

	it('never counts a conversion without its send', () => {
		const counted = records([row('c', 'a', '1005', 'purchased')]);
		expect(counted.size).toBe(0);
	});

	it('reads JSON text as a Data Table export would be pasted', () => {
		const counted = records(JSON.stringify([row('c', 'a', '1005', 'sent')]));
		expect(counted.get('1005')).toEqual({ sends: 1, conversions: 0, campaigns: ['c'] });
	});

	it('is off when blank, and refuses what is not a list of rows', () => {
		expect(countOfferOutcomes('', 'win-back')).toBeUndefined();
		expect(countOfferOutcomes(undefined, 'win-back')).toBeUndefined();
		expect(countOfferOutcomes('{oops', 'win-back')).toMatchObject({
			ok: false,
			field: 'offerOutcomes',
			message: expect.stringContaining('not valid JSON'),
		});
		expect(countOfferOutcomes({ offerId: '1' }, 'win-back')).toMatchObject({
			ok: false,
			message: expect.stringContaining('list'),
		});
		expect(countOfferOutcomes([1], 'win-back')).toMatchObject({
			ok: false,
			message: expect.stringContaining('row 1'),
		});
	});
});

describe('learnConversion', () => {
	it('starts at the target conversion, with an exploration bonus', () => {
		const learned = learnConversion(undefined, 18);
		const spread = Math.sqrt((0.18 * 0.82) / (PRIOR_WEIGHT + 1));
		expect(learned).toEqual({
			sends: 0,
			conversions: 0,
			priorPercent: 18,
			ratePercent: 18,
			rankingPercent: Math.round((0.18 + EXPLORATION * spread) * 1000) / 10,
		});
	});

	it('moves towards the observed rate as sends are recorded, and the bonus shrinks', () => {
		const one = learnConversion({ sends: 1, conversions: 1 }, 18);
		expect(one.ratePercent).toBeCloseTo((100 * (1 + PRIOR_WEIGHT * 0.18)) / (1 + PRIOR_WEIGHT), 1);
		expect(one.ratePercent).toBeGreaterThan(18);
		const many = learnConversion({ sends: 2000, conversions: 100 }, 18);
		expect(many.ratePercent).toBeCloseTo(5.1, 1);
		expect(many.rankingPercent - many.ratePercent).toBeLessThan(1);
		const none = learnConversion(undefined, 18);
		expect(none.rankingPercent - none.ratePercent).toBeGreaterThan(5);
	});

	it('keeps rates within 0 to 100 percent', () => {
		expect(learnConversion({ sends: 3, conversions: 9 }, 150)).toMatchObject({
			conversions: 3,
			priorPercent: 100,
			ratePercent: 100,
			rankingPercent: 100,
		});
		expect(learnConversion({ sends: 0, conversions: 0 }, -5).ratePercent).toBe(0);
	});

	it('scores an offer as ranking rate × expected value − cost', () => {
		const learned = learnConversion(undefined, 0);
		expect(learnedScore(learned, 85, 12)).toBe(-12);
		expect(learnedScore({ ...learned, rankingPercent: 50 }, 80, 10)).toBe(30);
	});
});

describe('offer ranking with recorded outcomes', () => {
	const catalog = [
		{ offerId: 'kit', name: 'Travel kit', cost: 12, expectedValue: 85, targetConversion: 18 },
		{ offerId: 'tote', name: 'Tote', cost: 8, expectedValue: 80, targetConversion: 18 },
	];
	function picker(outcomes?: OfferRecords): OfferPicker {
		const compiled = compileOfferPicker(catalog, 0, outcomes);
		if (isRuleFailure(compiled)) throw new Error(compiled.message);
		return compiled;
	}

	it('ranks on expected net without outcomes, and shows no learned rate', () => {
		const offer = picker().pick('', '');
		expect(offer).toMatchObject({ offerId: 'kit', expectedNet: 73 });
		expect(offer).not.toHaveProperty('learnedConversion');
	});

	it('moves away from an offer that keeps failing, and tries the one without history', () => {
		const failing: OfferRecords = new Map([
			['kit', { sends: 60, conversions: 1, campaigns: ['c'] }],
		]);
		const offer = picker(failing).pick('', '');
		expect(offer).toMatchObject({
			offerId: 'tote',
			learnedConversion: { sends: 0, conversions: 0, priorPercent: 18, ratePercent: 18 },
		});
	});

	it('keeps an offer that converts, and shows the rate it used', () => {
		const converting: OfferRecords = new Map([
			['kit', { sends: 10, conversions: 5, campaigns: ['c'] }],
			['tote', { sends: 10, conversions: 0, campaigns: ['c'] }],
		]);
		const offer = picker(converting).pick('', '');
		expect(offer?.offerId).toBe('kit');
		expect(offer?.learnedConversion).toMatchObject({ sends: 10, conversions: 5 });
		expect(offer?.learnedConversion?.ratePercent).toBeCloseTo(
			(100 * (5 + PRIOR_WEIGHT * 0.18)) / 30,
			1,
		);
	});

	it('buildSegment counts the outcomes of its own segment and reports bad rows as a setting error', () => {
		const config = {
			fields: { memberId: 'id' },
			rules: { combinator: 'and' as const, groups: [] },
			asOf: '2026-06-01',
			offers: catalog,
			offerLearning: {
				outcomes: [
					...Array.from({ length: 40 }, (_, index) => row('c', `m${index}`, 'kit', 'sent')),
					...Array.from({ length: 40 }, (_, index) =>
						row('c', `m${index}`, 'tote', 'sent', 'other'),
					),
				],
				segment: 'win-back',
			},
		};
		const run = buildSegment([{ id: 'li-lei', email: 'li@example.com' }], config);
		if (isRuleFailure(run)) throw new Error(run.message);
		expect(run.audience[0].outreach.offer).toMatchObject({
			offerId: 'tote',
			learnedConversion: { sends: 0 },
		});
		expect(
			buildSegment([], { ...config, offerLearning: { outcomes: 'nope', segment: 'win-back' } }),
		).toMatchObject({ ok: false, field: 'offerOutcomes' });
	});
});

describe('offer learning from the knowledge base', () => {
	const review = (
		campaignId: string,
		offerId: string,
		metrics: Record<string, unknown>,
		{ version = 1, segment = 'win-back', reviewedAt = '2026-05-20T06:00:00.000Z' } = {},
	) => ({
		insightKey: `${campaignId}:v${version}`,
		campaignId,
		campaignName: `Win-back ${campaignId.slice(-10)}`,
		reviewedAt,
		segment,
		offerId,
		version,
		status: 'complete',
		metrics: JSON.stringify(metrics),
		suggestions: '',
	});

	function combined(records: OfferRecords, reviews: unknown) {
		const result = addKnowledgeBase(records, reviews, 'win-back');
		if (isRuleFailure(result)) throw new Error(result.message);
		return result;
	}

	it("adds each earlier campaign's reached members and conversions, latest review version only", () => {
		const result = combined(new Map(), [
			review('win-back-2026-05-01', 'kit', { reached: 100, treatedRate: 0.1 }),
			review('win-back-2026-05-01', 'kit', { reached: 120, treatedRate: 0.25 }, { version: 2 }),
			review(
				'win-back-2026-04-01',
				'kit',
				{ reached: 50, treatedRate: 0.04 },
				{ reviewedAt: '2026-04-18T06:00:00.000Z' },
			),
		]);
		expect(result.get('kit')).toEqual({
			sends: 170,
			conversions: 32,
			campaigns: ['win-back-2026-04-01', 'win-back-2026-05-01'],
			evidence: [
				{
					campaignId: 'win-back-2026-05-01',
					campaign: 'Win-back 2026-05-01',
					date: '2026-05-20',
					sends: 120,
					conversion: 25,
				},
				{
					campaignId: 'win-back-2026-04-01',
					campaign: 'Win-back 2026-04-01',
					date: '2026-04-18',
					sends: 50,
					conversion: 4,
				},
			],
		});
	});

	it('does not count twice a campaign the recorded outcomes already count, but still cites it', () => {
		const outcomes = records([
			row('win-back-2026-05-01', 'a', 'kit', 'sent'),
			row('win-back-2026-05-01', 'a', 'kit', 'purchased'),
		]);
		const result = combined(outcomes, [
			review('win-back-2026-05-01', 'kit', { reached: 120, treatedRate: 0.25 }),
		]);
		expect(result.get('kit')).toMatchObject({
			sends: 1,
			conversions: 1,
			evidence: [expect.objectContaining({ campaignId: 'win-back-2026-05-01', sends: 120 })],
		});
		// The records given are left as they were.
		expect(outcomes.get('kit')).not.toHaveProperty('evidence');
	});

	it('leaves out other segments, reviews without an offer and incomplete metrics', () => {
		const result = combined(new Map(), [
			review('lapsed-2026-05-01', 'kit', { reached: 100, treatedRate: 0.5 }, { segment: 'lapsed' }),
			review('win-back-2026-05-02', '', { reached: 100, treatedRate: 0.5 }),
			review('win-back-2026-05-03', 'kit', { reached: 100, treatedRate: null }),
			review('win-back-2026-05-04', 'kit', { reached: 0, treatedRate: 0.5 }),
			{ ...review('win-back-2026-05-05', 'kit', {}), metrics: 'not json' },
		]);
		expect(result.size).toBe(0);
	});

	it('refuses what is not a list of review rows, naming the option', () => {
		expect(addKnowledgeBase(new Map(), '{oops', 'win-back')).toMatchObject({
			ok: false,
			field: 'offerKnowledgeBase',
			message: expect.stringContaining('Earlier campaign reviews is not valid JSON'),
		});
		expect(addKnowledgeBase(new Map(), [null], 'win-back')).toMatchObject({
			ok: false,
			message: expect.stringContaining('row 1'),
		});
	});

	it('learns from the knowledge base alone, and is off when neither source is given', () => {
		expect(learnOffers({ outcomes: '', knowledgeBase: '', segment: 'win-back' })).toBeUndefined();
		const learned = learnOffers({
			outcomes: '',
			knowledgeBase: JSON.stringify([
				review('win-back-2026-05-01', 'kit', { reached: 80, treatedRate: 0.05 }),
			]),
			segment: 'Win-Back',
		});
		expect(learned).toEqual(
			new Map([
				[
					'kit',
					expect.objectContaining({
						sends: 80,
						conversions: 4,
						campaigns: ['win-back-2026-05-01'],
					}),
				],
			]),
		);
	});

	it('buildSegment ranks on the earlier campaigns and cites them on the chosen offer', () => {
		const catalog = [
			{ offerId: 'kit', name: 'Travel kit', cost: 12, expectedValue: 85, targetConversion: 18 },
			{ offerId: 'tote', name: 'Tote', cost: 8, expectedValue: 80, targetConversion: 18 },
		];
		const config = {
			fields: { memberId: 'id' },
			rules: { combinator: 'and' as const, groups: [] },
			asOf: '2026-06-01',
			offers: catalog,
			offerLearning: { outcomes: '', segment: 'win-back', knowledgeBase: [] as unknown[] },
		};
		const member = [{ id: 'li-lei', email: 'li@example.com' }];
		const offerOf = (knowledgeBase: unknown[]) => {
			const run = buildSegment(member, {
				...config,
				offerLearning: { ...config.offerLearning, knowledgeBase },
			});
			if (isRuleFailure(run)) throw new Error(run.message);
			return run.audience[0].outreach.offer;
		};
		const kitCampaign = (rate: number) =>
			review('win-back-2026-04-01', 'kit', { reached: 200, treatedRate: rate });
		const toteCampaign = (rate: number) =>
			review('win-back-2026-05-01', 'tote', { reached: 200, treatedRate: rate });
		expect(offerOf([kitCampaign(0.3), toteCampaign(0.02)])).toMatchObject({
			offerId: 'kit',
			offerEvidence: [{ campaignId: 'win-back-2026-04-01', conversion: 30 }],
		});
		const offer = offerOf([kitCampaign(0.02), toteCampaign(0.3)]);
		expect(offer).toMatchObject({
			offerId: 'tote',
			learnedConversion: { sends: 200, conversions: 60 },
			offerEvidence: [
				{
					campaignId: 'win-back-2026-05-01',
					campaign: 'Win-back 2026-05-01',
					date: '2026-05-20',
					sends: 200,
					conversion: 30,
				},
			],
		});
	});
});
