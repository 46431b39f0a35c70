import type { IDataObject, INodeInputConfiguration, INodeOutputConfiguration } from 'n8n-workflow';

import { SegmentBuild } from '../../../nodes/SegmentBuild/SegmentBuild.node';
import { fakeExecution } from './executeContext';

const node = new SegmentBuild();

function parameters(overrides: IDataObject = {}): IDataObject {
	const defaults: IDataObject = {};
	for (const property of node.description.properties) defaults[property.name] = property.default;
	return { ...defaults, ...overrides };
}

const platinumLapsed = {
	group: [
		{
			combinator: 'and',
			conditions: {
				condition: [
					{ type: 'tier', tierOperator: 'isIn', tiers: 'Platinum' },
					{ type: 'daysSince', dateOf: 'lastPurchase', numberOperator: 'gt', value: '30' },
				],
			},
		},
	],
};

const member = (id: string, extra: IDataObject = {}): IDataObject => ({
	id,
	email: `${id.toLowerCase()}@example.com`,
	phone: '+447700900000',
	tier: 'Platinum',
	lastPurchaseDate: '2026-03-01',
	timeZone: 'Europe/London',
	consent: { email: true, sms: true, push: false },
	...extra,
});

describe('Segment Build node', () => {
	it('describes two inputs and the Audience and Excluded outputs', () => {
		expect(node.description).toMatchObject({
			name: 'segmentBuild',
			displayName: 'Segment Build',
			usableAsTool: true,
		});
		expect(
			(node.description.inputs as INodeInputConfiguration[]).map((input) => input.displayName),
		).toEqual(['Members', 'Blocklist']);
		expect(
			(node.description.outputs as INodeOutputConfiguration[]).map((output) => output.displayName),
		).toEqual(['Audience', 'Excluded']);
	});

	it('routes members to Audience and Excluded, with a summary item', async () => {
		const { context } = fakeExecution(
			parameters({
				groups: platinumLapsed,
				guardrails: { frequencyCapTouches: 1, frequencyCapDays: 7 },
				options: { asOf: '2026-05-25', includeSummary: true, membershipSource: 'memberField' },
				memberFields: { previousMembershipField: 'wasInSegment' },
			}),
			[
				[
					member('A'),
					member('B', { unsubscribedChannels: 'sms' }),
					member('C'),
					member('D', { tier: 'Gold' }),
					member('A'),
				],
				[{ email: 'C@example.com' }],
			],
		);
		const [audience, excluded] = await node.execute.call(context);
		expect(audience.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['A', { item: 0 }],
			['B', { item: 1 }],
		]);
		expect((audience[0].json.outreach as IDataObject).channels).toEqual([
			{ channel: 'email', address: 'a@example.com', sendAt: '2026-05-25T10:00:00+01:00' },
			{ channel: 'sms', address: '+447700900000', sendAt: '2026-05-25T10:00:00+01:00' },
		]);
		expect(
			((audience[1].json.outreach as IDataObject).channels as IDataObject[]).map((c) => c.channel),
		).toEqual(['email']);
		expect(
			excluded
				.slice(0, 2)
				.map((item) => [
					item.json.id,
					(item.json.exclusion as IDataObject).reason,
					item.pairedItem,
				]),
		).toEqual([
			['C', 'blocklisted', { item: 2 }],
			['A', 'duplicate', { item: 4 }],
		]);
		const summary = excluded[2].json.summary as IDataObject;
		expect(summary).toMatchObject({
			input: 5,
			matched: 4,
			audience: 2,
			excludedByReason: { blocklisted: 1, duplicate: 1 },
			suppressedByChannel: { sms: 1 },
			membership: { entered: ['A', 'B', 'C'], exited: [] },
		});
		expect(excluded[2].pairedItem).toHaveLength(5);

		// The next run the same day, with what the template recorded passed in member fields: A and
		// B were touched today and were in the segment; C was in it and no longer matches.
		const recorded = { wasInSegment: true, touches: ['2026-05-25'] };
		const again = fakeExecution(
			parameters({
				groups: platinumLapsed,
				guardrails: { frequencyCapTouches: 1, frequencyCapDays: 7 },
				options: { asOf: '2026-05-25', includeSummary: true, membershipSource: 'memberField' },
				memberFields: { previousMembershipField: 'wasInSegment' },
			}),
			[
				[
					member('A', recorded),
					member('B', recorded),
					member('C', { tier: 'Gold', wasInSegment: true }),
				],
			],
		);
		const [, excludedAgain] = await node.execute.call(again.context);
		expect(
			excludedAgain.map((item) => (item.json.exclusion as IDataObject | undefined)?.reason),
		).toEqual(['frequency_cap', 'frequency_cap', undefined]);
		expect((excludedAgain[2].json.summary as IDataObject).membership).toEqual({
			entered: [],
			exited: ['C'],
		});
	});

	it('plans key date steps from a Key Date Step rule', async () => {
		const { context } = fakeExecution(
			parameters({
				groups: {
					group: [
						{
							combinator: 'and',
							conditions: { condition: [{ type: 'keyDateStep', keyDate: 'birthday' }] },
						},
					],
				},
				options: { asOf: '2026-05-25' },
			}),
			[
				[
					member('ZhangMin', { birthDate: '1988-06-01' }),
					member('Other', { birthDate: '1988-06-03' }),
				],
			],
		);
		const [audience] = await node.execute.call(context);
		expect(
			audience.map((item) => [item.json.id, (item.json.outreach as IDataObject).keyDates]),
		).toEqual([
			['ZhangMin', [{ kind: 'birthday', date: '2026-06-01', daysUntil: 7, step: 'warm-up' }]],
		]);
	});

	it('throws an item error for a member without an ID, or returns it with continue on fail', async () => {
		const input = [[member('A'), member('', { id: undefined })]];
		const failing = fakeExecution(parameters({ options: { asOf: '2026-05-25' } }), input);
		await expect(node.execute.call(failing.context)).rejects.toThrow(
			'Item 1, field "id": Member ID is missing',
		);
		const continuing = fakeExecution(parameters({ options: { asOf: '2026-05-25' } }), input, {
			continueOnFail: true,
		});
		const [audience, excluded] = await node.execute.call(continuing.context);
		expect(audience).toHaveLength(1);
		expect(excluded).toEqual([
			{
				json: { error: 'Item 1, field "id": Member ID is missing', details: { field: 'id' } },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('reports configuration errors naming the parameter', async () => {
		const { context } = fakeExecution(parameters({ options: { timeZone: 'Atlantis' } }), [
			[member('A')],
		]);
		await expect(node.execute.call(context)).rejects.toThrow('Item 0, parameter "timeZone"');
	});
});
