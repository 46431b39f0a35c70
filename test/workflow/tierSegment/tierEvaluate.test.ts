/**
 * Tier Evaluate in a whole workflow (Manual Trigger → Tier Evaluate) through n8n-core's
 * WorkflowExecute, on members from the sandbox generator and fixtures.
 */
import type { IDataObject } from 'n8n-workflow';

import { TIERS } from '../../../sandbox/generator';
import { runWorkflow } from '../support/runWorkflow';
import {
	AS_OF,
	continueOnFail,
	expectPairedToInput,
	sandboxMembers,
	TIER_EVALUATE,
	tierEvaluateNode,
	workflow,
} from './support';

const parameters = {
	entitlements: {
		entitlement: [
			{
				tier: 'Gold',
				benefitId: 'free-shipping',
				benefitName: 'Free shipping',
				quantity: 1,
				validityDays: 365,
			},
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
};

const tierWorkflow = (extra = {}) =>
	workflow([tierEvaluateNode(parameters, extra)], [['Start', TIER_EVALUATE]]);

const nextThreshold = (points: number): number | undefined =>
	TIERS.find((tier) => tier.pointsRequired > points)?.pointsRequired;

describe('Tier Evaluate (workflow)', () => {
	const input = sandboxMembers(1000);
	const silver = input.findIndex((member) => member.tier === 'Silver');
	const gold = input.findIndex(
		(member) => member.tier === 'Gold' && !String(member.id).startsWith('zhang'),
	);
	// One Silver member reaches Gold exactly at the threshold; one Gold member falls to Silver.
	input[silver] = { ...input[silver], lifetimePoints: 5000 };
	input[gold] = { ...input[gold], lifetimePoints: 2000 };

	it('evaluates every generated member against the sandbox ladder, with events and entitlements', async () => {
		const run = await runWorkflow(tierWorkflow(), { input });
		expect(run.error).toBeUndefined();
		const items = run.items(TIER_EVALUATE);
		expect(items).toHaveLength(input.length);
		expectPairedToInput(items, input);
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));

		const evaluations = items.map((item) => item.json.tierEvaluation as IDataObject);
		const changes = evaluations.filter((evaluation) => evaluation.change !== 'none');
		expect(changes.map((evaluation) => [evaluation.memberId, evaluation.change])).toEqual(
			[
				[input[silver].id, 'upgrade', silver],
				[input[gold].id, 'downgrade', gold],
			]
				.sort((a, b) => (a[2] as number) - (b[2] as number))
				.map(([id, change]) => [id, change]),
		);
		expect(evaluations[silver]).toMatchObject({
			previousTier: 'Silver',
			currentTier: 'Gold',
			nextTier: 'Platinum',
			pointsToNextTier: 5000,
			progress: 0,
			events: ['tier_upgrade'],
			entitlements: {
				grant: [
					{ benefitId: 'free-shipping', quantity: 1, validityDays: 365, expiresOn: '2027-05-24' },
				],
				revoke: [],
			},
		});
		expect(evaluations[gold]).toMatchObject({
			previousTier: 'Gold',
			currentTier: 'Silver',
			events: ['tier_downgrade'],
			entitlements: { grant: [], revoke: [{ benefitId: 'free-shipping' }] },
		});

		// Everyone else keeps the tier the generator derived from their lifetime points, and the
		// close-to-upgrade event (10 % of the next threshold) matches the data member by member.
		for (const [index, evaluation] of evaluations.entries()) {
			const member = input[index];
			if (index !== silver && index !== gold) expect(evaluation.currentTier).toBe(member.tier);
			const points = member.lifetimePoints as number;
			const next = nextThreshold(points);
			const close = next !== undefined && next - points <= next * 0.1;
			expect((evaluation.events as string[]).includes('close_to_tier_upgrade')).toBe(close);
			expect(evaluation.pointsToNextTier).toBe(next === undefined ? null : next - points);
		}
		expect(items[0].json).toMatchObject({ id: input[0].id, email: input[0].email });
	});

	it('fails the node on a bad qualifying value, naming the item and the field', async () => {
		const bad = input.map((member, index) =>
			index === 3 ? { ...member, lifetimePoints: 'lots' } : member,
		);
		const run = await runWorkflow(tierWorkflow(), { input: bad });
		expect(run.error?.message).toBe(
			'Item 3, field "lifetimePoints": Qualifying value "lots" is not a number',
		);
		const taskRun = run.run.data.resultData.runData[TIER_EVALUATE][0];
		expect(taskRun.error?.message).toBe(run.error?.message);
		expect(run.run.data.resultData.lastNodeExecuted).toBe(TIER_EVALUATE);
	});

	it('with continue on fail, reports bad items in place and evaluates the rest', async () => {
		const bad = input
			.slice(0, 50)
			.map((member, index) =>
				index === 3
					? { ...member, lifetimePoints: 'lots' }
					: index === 7
						? { ...member, timeZone: 'Mars/Olympus_Mons' }
						: index === 9
							? { ...member, tier: 'Diamond' }
							: member,
			);
		const run = await runWorkflow(tierWorkflow(continueOnFail), { input: bad });
		expect(run.error).toBeUndefined();
		const items = run.items(TIER_EVALUATE);
		expect(items).toHaveLength(50);
		expect(items.map((item) => item.pairedItem)).toEqual(bad.map((_, item) => ({ item })));
		// n8n keeps only the message of an item that carries an error: it names the item and field.
		expect(items[3].json.error).toBe(
			'Item 3, field "lifetimePoints": Qualifying value "lots" is not a number',
		);
		expect(items[7].json.error).toBe(
			'Item 7, field "timeZone": Unknown time zone "Mars/Olympus_Mons"',
		);
		expect(items[9].json.error).toMatch(
			/^Item 9, field "tier": Current tier "Diamond" is not in the tier ladder/,
		);
		const good = items.filter((_, index) => ![3, 7, 9].includes(index));
		expect(
			good.every(
				(item) => (item.json.tierEvaluation as IDataObject).currentTier === item.json.tier,
			),
		).toBe(true);
	});

	it('reports a ladder that is not ordered against item 0 and the parameter', async () => {
		const node = tierEvaluateNode(
			{
				...parameters,
				tiers: {
					tier: [
						{ name: 'Bronze', threshold: 0 },
						{ name: 'Gold', threshold: 5000 },
						{ name: 'Silver', threshold: 1000 },
					],
				},
			},
			continueOnFail,
		);
		const run = await runWorkflow(workflow([node], [['Start', TIER_EVALUATE]]), {
			input: input.slice(0, 3),
		});
		const items = run.items(TIER_EVALUATE);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const [index, item] of items.entries()) {
			expect(item.json.error).toMatch(
				new RegExp(`^Item ${index}, field "tiers": The tier ladder is not ordered`),
			);
		}
	});
});
