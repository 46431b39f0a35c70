/**
 * Segment Build in whole workflows through n8n-core's WorkflowExecute, on sandbox fixtures and
 * generator members: the lapsed Platinum audience with a blocklist branch on the second input, item
 * errors with and without continue-on-fail, the stored state kept between runs (frequency
 * cap touches, segment membership), and the offer choice learning from earlier campaign reviews.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	PLATINUM_LAPSED_IDS,
	PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS,
} from '../../../sandbox/fixtures';
import { runWorkflow } from '../support/runWorkflow';
import {
	AS_OF,
	CAMPAIGN_CHANNELS,
	continueOnFail,
	expectPairedToInput,
	isLapsedPlatinum,
	PLATINUM_LAPSED_RULES,
	SEGMENT_BUILD,
	sandboxMembers,
	segmentBuildNode,
	workflow,
} from './support';

const BLOCKLIST = 'Do-not-contact list';

/** Local send times of the campaign rhythm in May 2026, per member zone (summer offsets). */
const MAY_OFFSETS: Record<string, string> = {
	'Europe/London': '+01:00',
	'Europe/Berlin': '+02:00',
	'America/New_York': '-04:00',
	'America/Los_Angeles': '-07:00',
	'Asia/Shanghai': '+08:00',
	'Australia/Sydney': '+10:00',
};

const campaign = (extra: IDataObject = {}, options: IDataObject = {}) =>
	segmentBuildNode({
		groups: PLATINUM_LAPSED_RULES,
		channels: CAMPAIGN_CHANNELS,
		options: { asOf: AS_OF, includeSummary: true, ...options },
		...extra,
	});

/**
 * The blocklist branch: members flagged doNotContact, picked out of the same member list by a
 * second Segment Build (every member with an email passes its single email channel).
 */
const blocklistNode = segmentBuildNode(
	{
		groups: {
			group: [
				{
					combinator: 'and',
					conditions: {
						condition: [
							{ type: 'field', field: 'doNotContact', fieldOperator: 'equals', value: 'true' },
						],
					},
				},
			],
		},
		channels: { channel: [{ channel: 'email', time: '10:00', dayOffset: 0 }] },
		memberFields: { emailConsentField: '', unsubscribedChannelsField: '' },
		options: { asOf: AS_OF },
	},
	{ position: [240, 200] },
	BLOCKLIST,
);

/** Start → Segment Build (Members), and Start → blocklist branch → Segment Build (Blocklist). */
const withBlocklistBranch = () =>
	workflow(
		[campaign(), blocklistNode],
		[
			['Start', SEGMENT_BUILD],
			['Start', BLOCKLIST],
			[BLOCKLIST, SEGMENT_BUILD, 0, 1],
		],
	);

const reasons = (items: INodeExecutionData[]) =>
	items
		.filter((item) => item.json.exclusion)
		.map((item) => [item.json.id, (item.json.exclusion as IDataObject).reason]);
const summaryOf = (items: INodeExecutionData[]) => items.at(-1)?.json.summary as IDataObject;
const ids = (items: INodeExecutionData[]) => items.map((item) => item.json.id as string);
const reachable = (member: IDataObject) => {
	const consent = member.consent as Record<string, boolean>;
	return consent.email || consent.sms || consent.push;
};

describe('Segment Build (workflow)', () => {
	const members = sandboxMembers(2000);
	const flagged = new Set(['plat-005', 'plat-007', 'plat-001']);
	const input = members.map((member) =>
		flagged.has(member.id as string) ? { ...member, doNotContact: true } : member,
	);
	// A second record for plat-010 under another ID, with the same email in other case.
	const plat010 = input.find((member) => member.id === 'plat-010') as IDataObject;
	input.push({ ...plat010, id: 'crm-plat-010', email: String(plat010.email).toUpperCase() });

	it('builds the lapsed Platinum audience from two inputs: members and a blocklist branch', async () => {
		const run = await runWorkflow(withBlocklistBranch(), { input });
		expect(run.error).toBeUndefined();
		expect(ids(run.items(BLOCKLIST)).sort()).toEqual([...flagged].sort());

		const lapsed = input.filter((member) => isLapsedPlatinum(member));
		// The 40 fixtures plus generated Platinum members who lapsed; the duplicate record lapsed too.
		expect(
			lapsed.filter((member) => String(member.id).startsWith('plat-')).map((member) => member.id),
		).toEqual(PLATINUM_LAPSED_IDS);
		const expected = lapsed.filter(
			(member) =>
				!flagged.has(member.id as string) && member.id !== 'crm-plat-010' && reachable(member),
		);
		const audience = run.items(SEGMENT_BUILD, 0);
		expect(ids(audience)).toEqual(expected.map((member) => member.id));
		expectPairedToInput(audience, input);

		const excluded = run.items(SEGMENT_BUILD, 1);
		expectPairedToInput(excluded.slice(0, -1), input);
		expect(reasons(excluded)).toEqual(
			expect.arrayContaining([
				['plat-005', 'blocklisted'],
				['plat-007', 'blocklisted'],
				['crm-plat-010', 'duplicate'],
			]),
		);
		const unreachable = lapsed.filter(
			(member) => !reachable(member) && !flagged.has(member.id as string),
		);
		expect(
			reasons(excluded)
				.filter(([, reason]) => reason === 'unsubscribed_all_channels')
				.map(([id]) => id),
		).toEqual(unreachable.map((member) => member.id));
		expect(summaryOf(excluded)).toMatchObject({
			input: input.length,
			matched: lapsed.length,
			audience: expected.length,
			excludedByReason: {
				blocklisted: 2,
				duplicate: 1,
				unsubscribed_all_channels: unreachable.length,
			},
		});
		expect(excluded.at(-1)?.pairedItem).toHaveLength(input.length);

		// Each planned channel at the configured local time; SMS-unsubscribed members get no SMS.
		for (const item of audience) {
			const member = item.json;
			const consent = member.consent as Record<string, boolean>;
			const offset = MAY_OFFSETS[member.timeZone as string];
			const plan = member.outreach as { channels: IDataObject[]; suppressedChannels: string[] };
			const wanted = [
				consent.email && {
					channel: 'email',
					address: member.email,
					sendAt: `2026-05-25T09:30:00${offset}`,
				},
				consent.sms && {
					channel: 'sms',
					address: member.phone,
					sendAt: `2026-05-26T12:00:00${offset}`,
				},
				consent.push && { channel: 'push', address: '', sendAt: `2026-05-25T18:00:00${offset}` },
			].filter(Boolean);
			expect(plan.channels).toEqual(wanted);
			if (PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(member.id as string)) {
				expect(plan.suppressedChannels).toContain('sms');
			}
		}
		const smsPlanned = audience.filter((item) =>
			(item.json.outreach as { channels: IDataObject[] }).channels.some(
				(channel) => channel.channel === 'sms',
			),
		);
		expect(
			ids(smsPlanned).filter((id) => PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(id)),
		).toEqual([]);
	});

	it('still builds the audience when the blocklist branch sends no items', async () => {
		const run = await runWorkflow(withBlocklistBranch(), { input: members });
		expect(run.error).toBeUndefined();
		expect(run.items(BLOCKLIST)).toEqual([]);
		const expected = members.filter((member) => isLapsedPlatinum(member) && reachable(member));
		expect(ids(run.items(SEGMENT_BUILD, 0))).toEqual(expected.map((member) => member.id));
	});

	it('fails on a member error naming the item and field, or routes it to Excluded with continue on fail', async () => {
		const bad = input
			.slice(0, 60)
			.map((member, index) =>
				index === 5
					? { ...member, timeZone: 'Mars/Olympus_Mons' }
					: index === 8
						? { ...member, id: '' }
						: member,
			);
		const failed = await runWorkflow(workflow([campaign()], [['Start', SEGMENT_BUILD]]), {
			input: bad,
		});
		expect(failed.error?.message).toBe(
			'Item 5, field "timeZone": Unknown time zone "Mars/Olympus_Mons"',
		);
		expect(failed.run.data.resultData.runData[SEGMENT_BUILD][0].error?.message).toBe(
			failed.error?.message,
		);

		const run = await runWorkflow(
			workflow([{ ...campaign(), ...continueOnFail }], [['Start', SEGMENT_BUILD]]),
			{
				input: bad,
			},
		);
		expect(run.error).toBeUndefined();
		const excluded = run.items(SEGMENT_BUILD, 1);
		expect(excluded.slice(0, 2).map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Item 5, field "timeZone": Unknown time zone "Mars/Olympus_Mons"', { item: 5 }],
			['Item 8, field "id": Member ID is missing', { item: 8 }],
		]);
		expect(summaryOf(excluded)).toMatchObject({ input: 60, invalid: 2 });
		const expected = bad.filter(
			(member, index) => ![5, 8].includes(index) && isLapsedPlatinum(member) && reachable(member),
		);
		const audience = run.items(SEGMENT_BUILD, 0);
		expect(ids(audience).filter((id) => !flagged.has(id))).toEqual(
			expected.map((member) => member.id).filter((id) => !flagged.has(id as string)),
		);
		expectPairedToInput(audience, bad);
	});

	it('reports a configuration error against item 0 and the parameter', async () => {
		const node = campaign({
			channels: { channel: [{ channel: 'email', time: '9.30', dayOffset: 0 }] },
		});
		const failed = await runWorkflow(workflow([node], [['Start', SEGMENT_BUILD]]), {
			input: input.slice(0, 3),
		});
		expect(failed.error?.message).toBe(
			'Item 0, parameter "channels": Channel 1: send time must be HH:mm',
		);
		const run = await runWorkflow(
			workflow([{ ...node, ...continueOnFail }], [['Start', SEGMENT_BUILD]]),
			{
				input: input.slice(0, 3),
			},
		);
		expect(run.items(SEGMENT_BUILD, 1).map((item) => [item.json.error, item.pairedItem])).toEqual(
			[0, 1, 2].map((item) => [
				`Item 0, parameter "channels": Channel 1: send time must be HH:mm`,
				{ item },
			]),
		);
	});

	it('caps touches from the touch history field on calendar days, keeping nothing in static data', async () => {
		const capped = campaign({ guardrails: { frequencyCapTouches: 1, frequencyCapDays: 1 } });
		const flow = workflow([capped], [['Start', SEGMENT_BUILD]]);
		const first = await runWorkflow(flow, { input: members });
		expect(first.error).toBeUndefined();
		const audience = ids(first.items(SEGMENT_BUILD, 0));
		expect(audience.length).toBeGreaterThan(40);
		expect(first.staticData).toEqual({});

		// What the template reads back from loyalty_campaign_touches: each member's local date of
		// the touch just sent. Same day again: everyone is held back by the cap.
		const touched = new Set(audience);
		const withTouches = (day: string) =>
			members.map((member) =>
				touched.has(String(member.id)) ? { ...member, touches: [day] } : member,
			);
		const second = await runWorkflow(flow, { input: withTouches(AS_OF) });
		expect(second.error).toBeUndefined();
		expect(second.items(SEGMENT_BUILD, 0)).toEqual([]);
		const excluded = second.items(SEGMENT_BUILD, 1);
		expect(
			reasons(excluded)
				.filter(([, reason]) => reason === 'frequency_cap')
				.map(([id]) => id),
		).toEqual(audience);
		expect(summaryOf(excluded).excludedByReason).toMatchObject({ frequency_cap: audience.length });
		expect(second.staticData).toEqual({});

		// A touch on the member's previous calendar day does not hold back today's run.
		const nextDay = await runWorkflow(flow, { input: withTouches('2026-05-24') });
		expect(ids(nextDay.items(SEGMENT_BUILD, 0))).toEqual(audience);
	});

	it('reports who entered and who exited from the previous membership field, keeping nothing in static data', async () => {
		const tracked = campaign(
			{ memberFields: { previousMembershipField: 'wasInSegment' } },
			{ membershipSource: 'memberField' },
		);
		const flow = workflow([tracked], [['Start', SEGMENT_BUILD]]);
		const first = await runWorkflow(flow, { input: members });
		const matched = members.filter((member) => isLapsedPlatinum(member)).map((member) => member.id);
		expect(summaryOf(first.items(SEGMENT_BUILD, 1)).membership).toEqual({
			entered: matched,
			exited: [],
		});
		expect(first.staticData).toEqual({});

		// The template marks last run's members (from loyalty_segment_membership). plat-002 bought
		// something today; plat-001 (active) last bought in March.
		const previous = new Set(matched);
		const changed = members.map((member) => {
			const marked = { ...member, wasInSegment: previous.has(member.id) };
			return member.id === 'plat-002'
				? { ...marked, lastPurchaseDate: AS_OF }
				: member.id === 'plat-001'
					? { ...marked, lastPurchaseDate: '2026-03-01' }
					: marked;
		});
		const second = await runWorkflow(flow, { input: changed });
		expect(second.error).toBeUndefined();
		expect(summaryOf(second.items(SEGMENT_BUILD, 1)).membership).toEqual({
			entered: ['plat-001'],
			exited: ['plat-002'],
		});
		const audience = second.items(SEGMENT_BUILD, 0);
		const membership = Object.fromEntries(
			audience.map((item) => [item.json.id, (item.json.outreach as IDataObject).membership]),
		);
		expect(membership['plat-001']).toBe('entered');
		expect(membership['plat-002']).toBeUndefined();
		expect(
			Object.entries(membership)
				.filter(([id]) => id !== 'plat-001')
				.every(([, state]) => state === 'stayed'),
		).toBe(true);
		expectPairedToInput(audience, changed);
		expect(second.staticData).toEqual({});
	});

	it('chooses the offer from the earlier campaigns of the segment in the knowledge base and cites them', async () => {
		// Rows of loyalty_campaign_insights as template 08 writes them (a Data Table export pasted).
		const review = (campaignId: string, offerId: string, reached: number, treatedRate: number) => ({
			insightKey: `${campaignId}:v1`,
			campaignId,
			campaignName: `Lapsed Platinum ${campaignId.slice(-10)}`,
			reviewedAt: `${campaignId.slice(-10)}T06:00:00.000Z`,
			segment: campaignId.slice(0, -11),
			offerId,
			version: 1,
			status: 'complete',
			metrics: JSON.stringify({ reached, treatedRate, roi: 1.2 }),
			suggestions: '',
		});
		const offers = {
			offer: [
				{ offerId: 'travel-kit', offerName: 'Travel kit', cost: 12, expectedValue: 85 },
				{ offerId: 'spa-voucher', offerName: 'Spa voucher', cost: 15, expectedValue: 80 },
			],
		};
		const knowledgeBase = JSON.stringify([
			review('lapsed-platinum-2026-03-02', 'travel-kit', 300, 0.01),
			review('lapsed-platinum-2026-04-06', 'spa-voucher', 250, 0.24),
			review('birthday-2026-04-06', 'travel-kit', 900, 0.5),
		]);
		const flow = (options: IDataObject) =>
			workflow(
				[campaign({ offers }, { segmentKey: 'lapsed-platinum', targetConversion: 18, ...options })],
				[['Start', SEGMENT_BUILD]],
			);
		const offerOf = (items: INodeExecutionData[]) =>
			(items[0].json.outreach as IDataObject).offer as IDataObject;

		const before = await runWorkflow(flow({}), { input: members });
		expect(offerOf(before.items(SEGMENT_BUILD, 0))).toMatchObject({ offerId: 'travel-kit' });
		expect(offerOf(before.items(SEGMENT_BUILD, 0))).not.toHaveProperty('offerEvidence');

		const run = await runWorkflow(flow({ offerKnowledgeBase: knowledgeBase }), { input: members });
		expect(run.error).toBeUndefined();
		const audience = run.items(SEGMENT_BUILD, 0);
		expect(audience.length).toBeGreaterThan(0);
		for (const item of audience) {
			expect(offerOf([item])).toMatchObject({
				offerId: 'spa-voucher',
				learnedConversion: { sends: 250, conversions: 60 },
				offerEvidence: [
					{
						campaignId: 'lapsed-platinum-2026-04-06',
						campaign: 'Lapsed Platinum 2026-04-06',
						date: '2026-04-06',
						sends: 250,
						conversion: 24,
					},
				],
			});
		}
		expectPairedToInput(audience, members);
	});
});
