import {
	buildEventRecord,
	deterministicEventId,
	flattenProperties,
	LOYALTY_EVENT_PRESETS,
	presetEventType,
	spreadEntryTimes,
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

	it('gives two different events of one member in the same second different IDs, a resend the same', () => {
		const noSource = { ...base, sourceEventId: '' };
		const first = buildEventRecord(noSource).record!.id;
		const other = buildEventRecord({ ...noSource, properties: { points: 20 } }).record!.id;
		expect(other).not.toBe(first);
		const reordered = { actionName: 'Purchase', points: 150 };
		expect(buildEventRecord({ ...noSource, properties: reordered }).record!.id).toBe(first);
		expect(buildEventRecord(noSource).record!.id).toBe(first);
	});

	it('keeps personal data out of identity_account_id, naming the field', () => {
		for (const identityAccountId of ['jane@example.com', '+447700900123', '07700 900123']) {
			const { errors } = buildEventRecord({ ...base, identityAccountId });
			expect(errors.map((error) => error.field)).toEqual(['identity_account_id']);
		}
	});

	it('reads a timestamp without an offset in the chosen time zone', () => {
		const record = buildEventRecord({
			...base,
			timestamp: '2026-05-01 10:00',
			timeZone: 'Europe/Berlin',
		}).record!;
		expect(record.timestamp).toBe('2026-05-01T10:00:00+02:00');
	});

	it('sends a back-dated automation event with the send time, its real time in a property and a warning', () => {
		const sendTime = Date.parse('2026-05-01T12:00:00Z');
		const recent = buildEventRecord({
			...base,
			timestamp: '2026-05-01T09:00:00Z',
			automationSendTime: sendTime,
		});
		expect(recent.record!.timestamp).toBe('2026-05-01T09:00:00+00:00');
		expect(recent.warnings).toBeUndefined();
		const old = buildEventRecord({
			...base,
			timestamp: '2026-05-01T07:59:00Z',
			automationSendTime: sendTime,
		});
		expect(old.record!.timestamp).toBe('2026-05-01T12:00:00+00:00');
		expect(old.record!.properties).toMatchObject({ occurred_at: '2026-05-01T07:59:00+00:00' });
		expect(old.warnings?.[0]).toMatch(/more than 4 hours ago/);
		expect(old.record!.id).toBe(
			buildEventRecord({ ...base, timestamp: '2026-05-01T07:59:00Z' }).record!.id,
		);
		const history = buildEventRecord({ ...base, timestamp: '2026-05-01T07:59:00Z' });
		expect(history.record!.timestamp).toBe('2026-05-01T07:59:00+00:00');
	});

	it('spreads events of one type so no more than a batch share one entry window', () => {
		const sendTime = Date.parse('2026-05-01T12:00:00Z');
		const events = Array.from({ length: 2500 }, (_, index) => ({
			eventType: index % 2 === 0 ? 'care_birthday_greeting' : 'care_points_expiring',
			timestamp: '2026-05-01T11:59:00+00:00',
		}));
		const moved = spreadEntryTimes(events, sendTime);
		const windows = new Map<string, number>();
		events.forEach((event, index) => {
			const time = moved[index] ?? event.timestamp;
			const key = `${event.eventType} ${Math.floor(Date.parse(time) / 300_000)}`;
			windows.set(key, (windows.get(key) ?? 0) + 1);
		});
		expect(Math.max(...windows.values())).toBe(1000);
		expect(moved.filter((time) => time !== undefined)).toHaveLength(500);
		expect(moved[2000]).toBe('2026-05-01T12:05:00+00:00');
		expect(spreadEntryTimes(events.slice(0, 6), sendTime, 2, 10)).toEqual([
			undefined,
			undefined,
			undefined,
			undefined,
			'2026-05-01T12:10:00+00:00',
			'2026-05-01T12:10:00+00:00',
		]);
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

	it('has the loyalty events of the Annex Cloud integration, each under 32 characters', () => {
		expect(LOYALTY_EVENT_PRESETS.map((preset) => preset.key)).toEqual([
			'loy_opt_in',
			'loy_point_accrual',
			'loy_point_redeem',
			'loy_opt_out',
			'tier_upgrade',
			'tier_downgrade',
			'tier_anniversary',
			'close_to_tier_upgrade',
			'user_created',
			'user_updated',
			'reward_issued',
		]);
		expect(presetEventType('loy_opt_in')).toBe('annex_loy_opt_in');
		expect(presetEventType('reward_issued')).toBe('annex_reward_issued');
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
