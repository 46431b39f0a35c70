import type { SegmentConfig, SegmentRun } from '../../../nodes/SegmentBuild/logic/segmentBuild';
import { buildSegment, compileSegment } from '../../../nodes/SegmentBuild/logic/segmentBuild';
import { isRuleFailure } from '../../../nodes/shared/memberValues';

/** The lapsed Platinum campaign: "Platinum members + no purchase in last 30 days". */
const PLATINUM_LAPSED: SegmentConfig = {
	fields: {
		memberId: 'id',
		email: 'email',
		tier: 'tier',
		segments: 'segments',
		touchHistory: 'touches',
		blocklisted: 'blocked',
		interests: 'interests',
	},
	rules: {
		combinator: 'and',
		groups: [
			{
				combinator: 'and',
				conditions: [
					{ type: 'tier', field: 'tier', operator: 'isIn', tiers: 'Platinum' },
					{ type: 'daysSince', field: 'lastPurchaseDate', operator: 'gt', value: 30 },
				],
			},
		],
	},
	asOf: '2026-05-25',
	timeZoneField: 'timeZone',
	outreach: { unsubscribedChannelsField: 'unsubscribed' },
};

let sequence = 0;
const member = (extra: Record<string, unknown> = {}): Record<string, unknown> => {
	sequence++;
	return {
		id: `P${sequence}`,
		email: `p${sequence}@example.com`,
		phone: `+4477000000${sequence}`,
		tier: 'Platinum',
		lastPurchaseDate: '2026-03-01',
		consent: { email: true, sms: true, push: false },
		...extra,
	};
};

function run(members: unknown[], config: Partial<SegmentConfig> = {}, inputs = {}): SegmentRun {
	const result = buildSegment(members, { ...PLATINUM_LAPSED, ...config }, inputs);
	if (isRuleFailure(result)) throw new Error(`${result.field}: ${result.message}`);
	return result;
}

const reasons = (result: SegmentRun) =>
	Object.fromEntries(result.excluded.map((entry) => [entry.memberId, entry.reason]));

describe('targeted campaign: lapsed Platinum members', () => {
	it('selects Platinum members without a purchase in 30 days and schedules every channel', () => {
		const members = [
			member({ id: 'A' }),
			member({ id: 'B', tier: 'Gold' }),
			member({ id: 'C', lastPurchaseDate: '2026-05-20' }),
			member({ id: 'D', lastPurchaseDate: undefined, timeZone: 'Asia/Shanghai' }),
		];
		const result = run(members, {
			outreach: {
				rhythm: [
					{ channel: 'email', time: '09:00' },
					{ channel: 'sms', time: '18:00' },
					{ channel: 'push', time: '12:00' },
				],
			},
		});
		expect(result.audience.map((entry) => [entry.index, entry.memberId])).toEqual([
			[0, 'A'],
			[3, 'D'],
		]);
		expect(result.audience[0].outreach.channels).toEqual([
			{ channel: 'email', address: 'p1@example.com', sendAt: '2026-05-25T09:00:00Z' },
			{ channel: 'sms', address: '+44770000001', sendAt: '2026-05-25T18:00:00Z' },
		]);
		expect(result.audience[1].outreach.channels[0].sendAt).toBe('2026-05-25T09:00:00+08:00');
		expect(result.excluded).toEqual([]);
		expect(result.summary).toMatchObject({
			input: 4,
			matched: 2,
			audience: 2,
			excluded: 0,
			plannedByChannel: { email: 2, sms: 2, push: 0 },
			suppressedByChannel: { email: 0, sms: 0, push: 2 },
		});
	});

	it('lists non-matching members only when asked', () => {
		const members = [member({ id: 'A' }), member({ id: 'B', tier: 'Gold' })];
		expect(run(members).excluded).toEqual([]);
		expect(reasons(run(members, { includeNonMatching: true }))).toEqual({ B: 'rule_not_matched' });
	});
});

describe('guardrails', () => {
	it('de-duplicates by member ID and by normalised email, keeping the first', () => {
		const result = run([
			member({ id: 'A', email: 'Same@Example.com ' }),
			member({ id: 'A' }),
			member({ id: 'B', email: 'same@example.com' }),
		]);
		expect(result.audience.map((entry) => entry.index)).toEqual([0]);
		expect(result.excluded.map((entry) => [entry.index, entry.reason])).toEqual([
			[1, 'duplicate'],
			[2, 'duplicate'],
		]);
		const byIdOnly = run(
			[member({ id: 'A', email: 'x@y.z' }), member({ id: 'B', email: 'X@Y.Z' })],
			{ guardrails: { dedupeByEmail: false } },
		);
		expect(byIdOnly.audience).toHaveLength(2);
	});

	it('filters the blocklist from a second input (ID or email) or a member flag', () => {
		const result = run(
			[
				member({ id: 'A' }),
				member({ id: 'B', email: 'BLOCKED@example.com' }),
				member({ id: 'C', blocked: 'yes' }),
				member({ id: 'D' }),
			],
			{ guardrails: { blocklistIdField: 'memberId', blocklistEmailField: 'mail' } },
			{ blocklist: [{ memberId: 'A' }, { mail: 'blocked@example.com' }, {}] },
		);
		expect(reasons(result)).toEqual({ A: 'blocklisted', B: 'blocklisted', C: 'blocklisted' });
		expect(result.audience.map((entry) => entry.memberId)).toEqual(['D']);
	});

	it('drops SMS for SMS-unsubscribed members and counts them for the campaign log', () => {
		const result = run([
			member({ id: 'A', unsubscribed: ['sms'] }),
			member({ id: 'B', consent: { email: false, sms: false, push: false } }),
			member({ id: 'C', email: '', phone: '', consent: {} }),
			member({ id: 'D' }),
		]);
		const channelsOf = (id: string) =>
			result.audience
				.find((entry) => entry.memberId === id)
				?.outreach.channels.map((c) => c.channel);
		expect(channelsOf('A')).toEqual(['email']);
		expect(
			result.audience.find((entry) => entry.memberId === 'A')?.outreach.suppressedChannels,
		).toEqual(['sms', 'push']);
		expect(channelsOf('D')).toEqual(['email', 'sms']);
		expect(reasons(result)).toEqual({ B: 'unsubscribed_all_channels', C: 'no_contact_channel' });
		expect(result.summary.suppressedByChannel.sms).toBe(1);
		expect(result.summary.excludedByReason).toMatchObject({
			unsubscribed_all_channels: 1,
			no_contact_channel: 1,
		});
	});

	it('caps touches per member from the touch history field (local dates or instants)', () => {
		const result = run(
			[
				member({ id: 'A', touches: ['2026-05-24T10:00:00Z', '2026-05-23T10:00:00Z'] }),
				member({ id: 'B', touches: ['2026-05-20', '2026-05-24'] }),
				member({ id: 'C', touches: ['2026-04-01T10:00:00Z', '2026-05-24T10:00:00Z'] }),
				member({ id: 'D', touches: ['2026-05-18', '2026-05-17'] }),
			],
			{ guardrails: { frequencyCap: { maxTouches: 2, windowDays: 7 } } },
		);
		expect(reasons(result)).toEqual({ A: 'frequency_cap', B: 'frequency_cap' });
		expect(result.audience.map((entry) => entry.memberId)).toEqual(['C', 'D']);
	});

	it('holds out a stable share of members for measuring lift', () => {
		const members = Array.from({ length: 2000 }, (_, index) => member({ id: `H${index}` }));
		const first = run(members, { guardrails: { holdoutPercent: 20, holdoutSalt: 'spring' } });
		const second = run(members, { guardrails: { holdoutPercent: 20, holdoutSalt: 'spring' } });
		const held = first.excluded.filter((entry) => entry.reason === 'holdout');
		expect(held.length / 2000).toBeGreaterThan(0.17);
		expect(held.length / 2000).toBeLessThan(0.23);
		expect(second.excluded.map((entry) => entry.memberId)).toEqual(
			held.map((entry) => entry.memberId),
		);
		expect(first.summary.excludedByReason.holdout).toBe(held.length);
	});

	it('flags members of sensitive segments for approval, with the plan attached', () => {
		const result = run(
			[
				member({ id: 'A', segments: 'VIP-Complaint, newsletter' }),
				member({ id: 'B', segments: ['newsletter'] }),
			],
			{
				guardrails: { sensitiveSegments: ['vip-complaint'] },
				offers: [{ offerId: 'gift', inventory: 5 }],
			},
		);
		expect(reasons(result)).toEqual({ A: 'needs_approval' });
		expect(result.excluded[0].outreach?.offer?.offerId).toBe('gift');
		expect(result.audience.map((entry) => entry.memberId)).toEqual(['B']);
	});

	it('counts every reason, zero included', () => {
		expect(run([]).summary.excludedByReason).toEqual({
			duplicate: 0,
			blocklisted: 0,
			unsubscribed_all_channels: 0,
			no_contact_channel: 0,
			frequency_cap: 0,
			holdout: 0,
			needs_approval: 0,
			rule_not_matched: 0,
		});
	});
});

describe('declining activity gift recommendation', () => {
	it('recommends an in-stock gift with its expected value and target conversion', () => {
		const result = run(
			[
				member({
					id: 'LiLei',
					tier: 'Gold',
					weeklyActivity: [
						{ week: '2026-W18', count: 9 },
						{ week: '2026-W19', count: 6 },
						{ week: '2026-W20', count: 4 },
						{ week: '2026-W21', count: 1 },
					],
					interests: ['travel'],
				}),
				member({ id: 'Steady', tier: 'Gold', weeklyActivity: [3, 3, 3, 3] }),
				member({ id: 'Declining2', tier: 'Gold', weeklyActivity: [9, 7, 5, 2] }),
			],
			{
				rules: {
					combinator: 'and',
					groups: [
						{
							combinator: 'and',
							conditions: [{ type: 'activityDeclining', field: 'weeklyActivity', weeks: 3 }],
						},
					],
				},
				offers: [
					{ offerId: 'lounge', eligibleTiers: 'Platinum', cost: 10, expectedValue: 500 },
					{
						offerId: 'travel-kit',
						name: 'Travel kit',
						eligibleTiers: 'Gold, Platinum',
						cost: 20,
						expectedValue: 90,
						interestTags: 'travel',
						inventory: 1,
						targetConversion: 15,
					},
					{ offerId: 'coffee', cost: 2, expectedValue: 20 },
				],
			},
		);
		expect(result.audience.map((entry) => [entry.memberId, entry.outreach.offer?.offerId])).toEqual(
			[
				['LiLei', 'travel-kit'],
				['Declining2', 'coffee'],
			],
		);
		expect(result.audience[0].outreach.offer).toEqual({
			offerId: 'travel-kit',
			name: 'Travel kit',
			cost: 20,
			expectedValue: 90,
			expectedNet: 70,
			targetConversion: 15,
			matchedInterests: ['travel'],
		});
		expect(result.summary.offers).toEqual({
			assigned: { lounge: 0, 'travel-kit': 1, coffee: 1 },
			skippedOutOfStock: { lounge: 0, 'travel-kit': 1, coffee: 0 },
		});
	});
});

describe('key dates in the plan', () => {
	it('adds the step due today and counts steps', () => {
		const result = run(
			[
				member({ id: 'ZhangMin', birthDate: '1988-06-01' }),
				member({ id: 'Other', birthDate: '1988-06-02' }),
			],
			{
				rules: {
					combinator: 'and',
					groups: [
						{ combinator: 'and', conditions: [{ type: 'keyDateStep', field: 'birthDate' }] },
					],
				},
				keyDates: [{ kind: 'birthday', field: 'birthDate' }],
			},
		);
		expect(result.audience.map((entry) => [entry.memberId, entry.outreach.keyDates])).toEqual([
			['ZhangMin', [{ kind: 'birthday', date: '2026-06-01', daysUntil: 7, step: 'warm-up' }]],
		]);
		expect(result.summary.keyDateSteps).toEqual({ 'warm-up': 1 });
	});

	it('reports an impossible or non-ISO key date as a failure naming the field and value', () => {
		const result = run(
			[
				member({ id: 'Impossible', birthDate: '2001-02-29' }),
				member({ id: 'European', birthDate: '29/02/2000' }),
				member({ id: 'Leapling', birthDate: '2000-02-29' }),
				member({ id: 'Unknown', birthDate: '' }),
			],
			{
				rules: {
					combinator: 'and',
					groups: [
						{
							combinator: 'and',
							conditions: [{ type: 'keyDateWithin', field: 'birthDate', days: 400 }],
						},
					],
				},
			},
		);
		expect(result.failures).toEqual([
			{
				index: 0,
				field: 'birthDate',
				message:
					'Key date field "birthDate" is not a valid date: "2001-02-29" (expected YYYY-MM-DD, MM-DD or --MM-DD)',
			},
			{
				index: 1,
				field: 'birthDate',
				message:
					'Key date field "birthDate" is not a valid date: "29/02/2000" (expected YYYY-MM-DD, MM-DD or --MM-DD)',
			},
		]);
		expect(result.audience.map((entry) => entry.memberId)).toEqual(['Leapling']);
	});
});

describe('membership changes', () => {
	it('reads the previous membership from a member field: entered, stayed and exited', () => {
		const result = run(
			[
				member({ id: 'A', wasIn: true }),
				member({ id: 'B' }),
				member({ id: 'C', tier: 'Gold', wasIn: 'yes' }),
			],
			{
				fields: { ...PLATINUM_LAPSED.fields, previousMembership: 'wasIn' },
			},
		);
		expect(result.summary.membership).toEqual({ entered: ['B'], exited: ['C'] });
		expect(result.audience.map((entry) => [entry.memberId, entry.outreach.membership])).toEqual([
			['A', 'stayed'],
			['B', 'entered'],
		]);
	});

	it('leaves membership out when it is not tracked', () => {
		const result = run([member()]);
		expect(result.summary.membership).toBeUndefined();
		expect(result.audience[0].outreach.membership).toBeUndefined();
	});
});

describe('bad input', () => {
	it('reports members without an ID or with an unknown zone as failures naming the field', () => {
		const result = run([
			member({ id: '' }),
			member({ timeZone: 'Mars/Base' }),
			'not a member',
			member(),
		]);
		expect(result.failures).toEqual([
			{ index: 0, field: 'id', message: 'Member ID is missing' },
			{ index: 1, field: 'timeZone', message: 'Unknown time zone "Mars/Base"' },
			{ index: 2, field: 'id', message: 'Member ID is missing' },
		]);
		expect(result.audience.map((entry) => entry.index)).toEqual([3]);
		expect(result.summary.invalid).toBe(3);
	});

	it('reports configuration errors naming the parameter', () => {
		expect(
			buildSegment([], { ...PLATINUM_LAPSED, guardrails: { holdoutPercent: 120 } }),
		).toMatchObject({ ok: false, field: 'holdoutPercent' });
		expect(buildSegment([], { ...PLATINUM_LAPSED, timeZone: 'Atlantis' })).toMatchObject({
			ok: false,
			field: 'timeZone',
		});
		expect(buildSegment([], { ...PLATINUM_LAPSED, fields: { memberId: '' } })).toMatchObject({
			ok: false,
			field: 'memberIdField',
		});
		expect(
			buildSegment([], {
				...PLATINUM_LAPSED,
				guardrails: { frequencyCap: { maxTouches: 2, windowDays: 0 } },
			}),
		).toMatchObject({ ok: false, field: 'frequencyCapDays' });
	});

	it('handles empty input', () => {
		const result = run([]);
		expect(result).toMatchObject({ audience: [], excluded: [], failures: [] });
		expect(result.summary).toMatchObject({ input: 0, matched: 0, audience: 0 });
	});
});

describe('compileSegment', () => {
	it('evaluates the rules alone, per member, in the member’s zone', () => {
		const matches = compileSegment(PLATINUM_LAPSED.rules, {
			asOf: '2026-05-25',
			timeZoneField: 'tz',
		});
		if (isRuleFailure(matches)) throw new Error(matches.message);
		expect(matches({ tier: 'Platinum' })).toBe(true);
		expect(matches({ tier: 'Platinum', lastPurchaseDate: '2026-05-01' })).toBe(false);
		expect(matches({ tier: 'Platinum', tz: 'Nowhere' })).toMatchObject({ ok: false, field: 'tz' });
	});
});
