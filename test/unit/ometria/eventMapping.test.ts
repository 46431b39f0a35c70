import {
	buildEventRecord,
	deterministicEventId,
	flattenProperties,
	LOYALTY_EVENT_PRESETS,
	presetEventType,
} from '../../../nodes/Ometria/logic/eventMapping';
import { description } from '../../../nodes/Ometria/actions/customEvent/send.operation';

describe('custom event mapping', () => {
	const base = {
		eventType: 'annex_loy_point_accrual',
		sourceEventId: 'act-991',
		timestamp: '2025-01-10T12:00:00+0000',
		identityEmail: 'jane@example.com',
		identityAccountId: 'cust-98765',
		properties: { points: 150, actionName: 'Purchase' },
	};

	it('builds a custom_event record', () => {
		const { record, errors } = buildEventRecord(base);
		expect(errors).toEqual([]);
		expect(record).toEqual({
			'@type': 'custom_event',
			id: deterministicEventId({ eventType: 'annex_loy_point_accrual', sourceEventId: 'act-991' }),
			event_type: 'annex_loy_point_accrual',
			timestamp: '2025-01-10T12:00:00+00:00',
			identity_email: 'jane@example.com',
			identity_account_id: 'cust-98765',
			properties: { points: 150, actionName: 'Purchase' },
		});
	});

	it('derives the same ID on a replay, whatever else changed', () => {
		const first = buildEventRecord(base).record!;
		const replay = buildEventRecord({
			...base,
			timestamp: '2025-01-10T13:00:00+01:00',
			properties: {},
		}).record!;
		expect(replay.id).toBe(first.id);
		expect(buildEventRecord({ ...base, sourceEventId: 'act-992' }).record!.id).not.toBe(first.id);
		expect(buildEventRecord({ ...base, eventType: 'annex_tier_upgrade' }).record!.id).not.toBe(
			first.id,
		);
	});

	it('uses member and source time when there is no source ID', () => {
		const noSource = { ...base, sourceEventId: '' };
		const id = buildEventRecord(noSource).record!.id;
		expect(buildEventRecord({ ...noSource, timestamp: '2025-01-10T12:00:00Z' }).record!.id).toBe(
			id,
		);
		expect(
			buildEventRecord({ ...noSource, timestamp: '2025-01-10T12:00:01Z' }).record!.id,
		).not.toBe(id);
		expect(buildEventRecord({ ...noSource, identityAccountId: 'cust-1' }).record!.id).not.toBe(id);
	});

	it('checks event_type under 32 characters, timestamp and identity', () => {
		const fields = (parameters: Parameters<typeof buildEventRecord>[0]) =>
			buildEventRecord(parameters).errors.map((error) => error.field);
		expect(fields({ ...base, eventType: 'x'.repeat(31) })).toEqual([]);
		expect(fields({ ...base, eventType: 'x'.repeat(32) })).toEqual(['event_type']);
		expect(fields({ ...base, timestamp: '' })).toEqual(['timestamp']);
		expect(fields({ ...base, timestamp: 'soon' })).toEqual(['timestamp']);
		expect(fields({ ...base, identityEmail: '', identityAccountId: '' })).toEqual([
			'identity_email',
		]);
		expect(fields({ ...base, identityEmail: 'bad' })).toEqual(['identity_email']);
	});

	it('flattens nested properties and checks their values', () => {
		expect(
			flattenProperties({ reward: { name: '$5', points: 500 }, product_id: ['1', '2'] }),
		).toEqual({
			properties: { reward_name: '$5', reward_points: 500, product_id: ['1', '2'] },
			errors: [],
		});
		const bad = flattenProperties({ list: [{ a: 1 }], long: 'x'.repeat(513) });
		expect(bad.errors.map((error) => error.field)).toEqual(['properties.list', 'properties.long']);
	});

	it('has the eight Annex Cloud loyalty events, each under 32 characters', () => {
		expect(LOYALTY_EVENT_PRESETS.map((preset) => preset.key)).toEqual([
			'loy_opt_in',
			'loy_point_accrual',
			'loy_point_redeem',
			'loy_opt_out',
			'tier_upgrade',
			'tier_downgrade',
			'tier_anniversary',
			'close_to_tier_upgrade',
		]);
		expect(presetEventType('loy_opt_in')).toBe('annex_loy_opt_in');
		expect(presetEventType('loy_point_redeem')).toBe('Annex_loy_point_redemption');
		for (const preset of LOYALTY_EVENT_PRESETS) expect(preset.eventType.length).toBeLessThan(32);
	});

	it('offers every preset in the editor, described with its event type', () => {
		const eventOption = description.find((property) => property.name === 'eventPreset');
		const options = (eventOption?.options ?? []) as Array<{ value: string; description: string }>;
		for (const preset of LOYALTY_EVENT_PRESETS) {
			const option = options.find((entry) => entry.value === preset.key);
			expect(option?.description).toBe(`Sent as ${preset.eventType}`);
		}
		expect(options).toHaveLength(LOYALTY_EVENT_PRESETS.length + 1);
	});
});
