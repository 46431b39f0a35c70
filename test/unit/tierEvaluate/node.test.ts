import type { IDataObject } from 'n8n-workflow';

import { TierEvaluate } from '../../../nodes/TierEvaluate/TierEvaluate.node';
import { fakeExecution } from '../segmentBuild/executeContext';

const node = new TierEvaluate();

/** The node's parameter defaults, as n8n fills them in, plus overrides. */
function parameters(overrides: IDataObject = {}): IDataObject {
	const defaults: IDataObject = {};
	for (const property of node.description.properties) defaults[property.name] = property.default;
	return { ...defaults, ...overrides };
}

describe('Tier Evaluate node', () => {
	it('describes itself as n8n expects', () => {
		expect(node.description).toMatchObject({
			name: 'tierEvaluate',
			displayName: 'Tier Evaluate',
			usableAsTool: true,
		});
	});

	it('evaluates each item with the default ladder, keeping the item and pairing it', async () => {
		const { context } = fakeExecution(
			parameters({
				options: { asOf: '2026-05-25', outputField: 'tierResult' },
				entitlements: {
					entitlement: [
						{
							tier: 'Gold',
							benefitId: 'free-shipping',
							benefitName: 'Free shipping',
							quantity: 1,
							validityDays: 365,
						},
					],
				},
			}),
			[[{ id: 'M1', lifetimePoints: 5200, tier: 'Silver', name: 'Zhang Min' }]],
		);
		const [output] = await node.execute.call(context);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({
			name: 'Zhang Min',
			tierResult: {
				memberId: 'M1',
				currentTier: 'Gold',
				change: 'upgrade',
				events: ['tier_upgrade'],
				entitlements: { grant: [{ benefitId: 'free-shipping', expiresOn: '2027-05-24' }] },
			},
		});
		expect((output[0].json.tierResult as IDataObject).ok).toBeUndefined();
	});

	it('throws an item error naming the item and field', async () => {
		const { context } = fakeExecution(parameters(), [
			[
				{ id: 'M1', lifetimePoints: 10 },
				{ id: 'M2', lifetimePoints: 'lots' },
			],
		]);
		await expect(node.execute.call(context)).rejects.toThrow(
			'Item 1, field "lifetimePoints": Qualifying value "lots" is not a number',
		);
	});

	it('with continue on fail, returns error items paired to their input', async () => {
		const { context } = fakeExecution(
			parameters(),
			[
				[
					{ id: 'M1', lifetimePoints: 'lots' },
					{ id: 'M2', lifetimePoints: 10 },
				],
			],
			{
				continueOnFail: true,
			},
		);
		const [output] = await node.execute.call(context);
		expect(output[0]).toEqual({
			json: {
				error: 'Item 0, field "lifetimePoints": Qualifying value "lots" is not a number',
				details: { field: 'lifetimePoints' },
			},
			pairedItem: { item: 0 },
		});
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	it('reports a ladder that is not ordered as an error on the items', async () => {
		const { context } = fakeExecution(
			parameters({
				tiers: {
					tier: [
						{ name: 'Gold', threshold: 5000 },
						{ name: 'Silver', threshold: 1000 },
					],
				},
			}),
			[[{ id: 'M1', lifetimePoints: 10 }]],
		);
		await expect(node.execute.call(context)).rejects.toThrow(
			/Item 0, field "tiers": The tier ladder is not ordered/,
		);
	});

	it('plans the entitlement lifecycle from all items, pairing each step with its rows', async () => {
		const { context } = fakeExecution(
			parameters({ operation: 'entitlementLifecycle', asOf: '2026-06-10' }),
			[
				[
					{
						entitlementKey: 'm1:1001:2026-03-01',
						memberId: 'm1',
						benefitId: '1001',
						benefitName: '$5 welcome reward',
						grantedAt: '2026-03-01',
						expiresAt: '2026-06-09',
					},
					{ loyaltyId: 'm1', email: 'li.lei@example.com' },
					{},
				],
			],
		);
		const [output] = await node.execute.call(context);
		expect(output).toEqual([
			{
				json: { action: 'expire', entitlementKey: 'm1:1001:2026-03-01', expiredAt: '2026-06-10' },
				pairedItem: [{ item: 0 }],
			},
			{
				json: expect.objectContaining({
					action: 'notify',
					step: 'entitlement_expired',
					eventType: 'loyalty_entitlement_expired',
					eventId: 'm1:entitlement_expired:2026-06-10',
				}),
				pairedItem: [{ item: 0 }, { item: 1 }],
			},
		]);
	});

	it('reports a wrong lifecycle setting on the items, or as an error item with continue on fail', async () => {
		const settings = parameters({ operation: 'entitlementLifecycle', timeZone: 'Nowhere/Else' });
		const input = [[{ loyaltyId: 'm1', email: 'li.lei@example.com' }]];
		await expect(node.execute.call(fakeExecution(settings, input).context)).rejects.toThrow(
			/Parameter "timeZone": Unknown time zone "Nowhere\/Else"/,
		);
		const { context } = fakeExecution(settings, input, { continueOnFail: true });
		const [output] = await node.execute.call(context);
		expect(output).toEqual([
			{
				json: expect.objectContaining({ details: { field: 'timeZone' } }),
				pairedItem: [{ item: 0 }],
			},
		]);
	});
});
