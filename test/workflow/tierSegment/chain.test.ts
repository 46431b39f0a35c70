/**
 * Tier Evaluate → Segment Build in one workflow: members who reach Platinum today get the
 * Platinum welcome, with the welcome kit while stock lasts. Segment Build reads the tier Tier
 * Evaluate just worked out, and its items pair back through Tier Evaluate to the trigger's items.
 */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../support/runWorkflow';
import {
	AS_OF,
	continueOnFail,
	expectPairedToInput,
	SEGMENT_BUILD,
	sandboxMembers,
	segmentBuildNode,
	TIER_EVALUATE,
	tierEvaluateNode,
	workflow,
} from './support';

const tierEvaluate = tierEvaluateNode({
	entitlements: {
		entitlement: [
			{
				tier: 'Platinum',
				benefitId: 'lounge',
				benefitName: 'Lounge pass',
				quantity: 2,
				validityDays: 90,
			},
		],
	},
	options: { asOf: AS_OF, timeZoneField: 'timeZone' },
});

const welcome = segmentBuildNode({
	groups: {
		group: [
			{
				combinator: 'and',
				conditions: {
					condition: [
						{ type: 'tier', tierOperator: 'isIn', tiers: 'Platinum' },
						{
							type: 'field',
							field: 'tierEvaluation.change',
							fieldOperator: 'equals',
							value: 'upgrade',
						},
					],
				},
			},
		],
	},
	channels: { channel: [{ channel: 'email', time: '10:00', dayOffset: 0 }] },
	offers: {
		offer: [
			{
				offerId: 'welcome-kit',
				offerName: 'Platinum welcome kit',
				eligibleTiers: 'Platinum',
				inventory: 2,
				expectedValue: 60,
				cost: 20,
			},
			{
				offerId: 'welcome-voucher',
				offerName: 'Welcome voucher',
				eligibleTiers: 'Platinum',
				inventory: -1,
				expectedValue: 20,
				cost: 5,
			},
		],
	},
	memberFields: { tierField: 'tierEvaluation.currentTier' },
	options: { asOf: AS_OF, includeSummary: true },
});

const chain = (onError = {}) =>
	workflow(
		[
			{ ...tierEvaluate, ...onError },
			{ ...welcome, ...onError },
		],
		[
			['Start', TIER_EVALUATE],
			[TIER_EVALUATE, SEGMENT_BUILD],
		],
	);

describe('Tier Evaluate → Segment Build (workflow)', () => {
	const members = sandboxMembers(1500);
	// Three Gold members with email consent reach Platinum; the stored tier still says Gold.
	const risers = members
		.map((member, index) => ({ member, index }))
		.filter(
			({ member }) => member.tier === 'Gold' && (member.consent as IDataObject).email === true,
		)
		.slice(0, 3)
		.map(({ index }) => index);
	const input = members.map((member, index) =>
		risers.includes(index) ? { ...member, lifetimePoints: 12000 } : member,
	);

	it('plans the Platinum welcome for the members Tier Evaluate upgraded, with offers while stock lasts', async () => {
		const run = await runWorkflow(chain(), { input });
		expect(run.error).toBeUndefined();
		expect(run.items(TIER_EVALUATE)).toHaveLength(input.length);

		const audience = run.items(SEGMENT_BUILD, 0);
		expect(audience.map((item) => item.json.id)).toEqual(risers.map((index) => input[index].id));
		expect(audience.map((item) => item.pairedItem)).toEqual(risers.map((item) => ({ item })));
		expectPairedToInput(audience, input);
		for (const item of audience) {
			expect(item.json.tier).toBe('Gold');
			expect(item.json.tierEvaluation).toMatchObject({
				previousTier: 'Gold',
				currentTier: 'Platinum',
				events: ['tier_upgrade'],
				entitlements: { grant: [{ benefitId: 'lounge', quantity: 2, expiresOn: '2026-08-22' }] },
			});
		}
		expect(
			audience.map((item) => ((item.json.outreach as IDataObject).offer as IDataObject).offerId),
		).toEqual(['welcome-kit', 'welcome-kit', 'welcome-voucher']);
		const summary = run.items(SEGMENT_BUILD, 1).at(-1)?.json.summary as IDataObject;
		expect(summary).toMatchObject({ input: input.length, matched: 3, audience: 3 });
		expect((summary.offers as IDataObject).assigned).toEqual({
			'welcome-kit': 2,
			'welcome-voucher': 1,
		});
	});

	it('carries an item error from Tier Evaluate through Segment Build with continue on fail', async () => {
		const bad = input.map((member, index) =>
			index === 4 ? { ...member, lifetimePoints: null } : member,
		);
		const run = await runWorkflow(chain(continueOnFail), { input: bad });
		expect(run.error).toBeUndefined();
		expect(run.output(TIER_EVALUATE)[4].error).toBe(
			'Item 4, field "lifetimePoints": Qualifying value is missing',
		);
		// The error item has no member ID: Segment Build names it in its turn, paired to item 4.
		const excluded = run.items(SEGMENT_BUILD, 1);
		expect([excluded[0].json.error, excluded[0].pairedItem]).toEqual([
			'Item 4, field "id": Member ID is missing',
			{ item: 4 },
		]);
		expect(run.items(SEGMENT_BUILD, 0).map((item) => item.json.id)).toEqual(
			risers.map((index) => input[index].id),
		);

		const failed = await runWorkflow(chain(), { input: bad });
		expect(failed.error?.message).toBe(
			'Item 4, field "lifetimePoints": Qualifying value is missing',
		);
		expect(failed.run.data.resultData.runData[SEGMENT_BUILD]).toBeUndefined();
	});
});
