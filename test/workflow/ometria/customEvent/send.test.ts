import { deterministicEventId } from '../../../../nodes/Ometria/logic/eventMapping';
import { WEBHOOK_EVENT_NAMES } from '../../../../sandbox/webhookSender';
import { continueOnFail, fileSandbox, OMETRIA_NODE, quickOptions, runOperation } from '../support';

/** Custom Event › Send against the sandbox over real HTTP. */
const sandbox = fileSandbox({ ometria: { eventTypes: ['loyalty_reward_unlocked'] } });

/** The preset, source id, timestamp and email come from the workflow; these add the rest. */
const send = (extra: Record<string, unknown> = {}) => ({
	identityAccountId: '={{ $json.customerId }}',
	eventProperties: {
		property: [
			{ name: 'points', value: '={{ $json.points }}' },
			{ name: 'tier', value: '={{ $json.tier }}' },
		],
	},
	options: quickOptions,
	...extra,
});

const activity = (index: number) => ({
	activityId: `act-${index}`,
	createDate: '2025-01-10T12:00:00+0000',
	email: `member${index}@example.com`,
	customerId: `cust-${index}`,
	points: 150,
	tier: 'Gold',
});

describe('Ometria › Custom Event › Send (workflow)', () => {
	it('sends a preset loyalty event with a deterministic id, and a replay adds nothing', async () => {
		const input = [activity(1), activity(2)];
		const first = await runOperation(sandbox(), 'customEvent/send', send(), input);
		expect(first.error).toBeUndefined();
		const id = deterministicEventId({
			eventType: 'annex_loy_point_accrual',
			sourceEventId: 'act-1',
		});
		expect(first.output(OMETRIA_NODE, 0)[0]).toMatchObject({
			status: 'verified',
			recordType: 'custom_event',
			recordId: id,
			warnings: [expect.stringMatching(/more than 4 hours ago/)],
		});
		const stored = sandbox().state.ometria.events.get(id);
		expect(stored?.record).toEqual({
			'@type': 'custom_event',
			id,
			event_type: 'annex_loy_point_accrual',
			timestamp: expect.any(String),
			identity_email: 'member1@example.com',
			identity_account_id: 'cust-1',
			properties: { points: 150, tier: 'Gold', occurred_at: '2025-01-10T12:00:00+00:00' },
		});
		expect(Date.now() - Date.parse(stored?.record.timestamp as string)).toBeLessThan(60_000);
		expect(stored?.automation).toBe('entered');

		await runOperation(sandbox(), 'customEvent/send', send(), input);
		await sandbox().state.ometria.whenIdle();
		expect(sandbox().state.ometria.events.size).toBe(2);
		expect(sandbox().state.ometria.counters.duplicateEvents).toBe(2);
	});

	it('sends every preset under its Ometria event type', async () => {
		// Every event Annex Cloud sends has a preset.
		for (const eventPreset of WEBHOOK_EVENT_NAMES) {
			const run = await runOperation(sandbox(), 'customEvent/send', send({ eventPreset }), [
				activity(1),
			]);
			expect(run.error).toBeUndefined();
		}
		await sandbox().state.ometria.whenIdle();
		expect(
			[...sandbox().state.ometria.events.values()].map((event) => event.record.event_type).sort(),
		).toEqual([
			'Annex_loy_point_redemption',
			'annex_close_to_tier_upgrade',
			'annex_loy_opt_in',
			'annex_loy_opt_out',
			'annex_loy_point_accrual',
			'annex_reward_issued',
			'annex_tier_anniversary',
			'annex_tier_downgrade',
			'annex_tier_upgrade',
			'annex_user_created',
			'annex_user_updated',
		]);
	});

	it('rejects an unknown preset quoting it, and sends the other items, whatever On Error says', async () => {
		const run = await runOperation(
			sandbox(),
			'customEvent/send',
			send({ eventPreset: '={{ $json.preset }}' }),
			[
				{ ...activity(1), preset: 'loy_point_accrual' },
				{ ...activity(2), preset: 'points_gifted' },
			],
		);
		expect(run.error).toBeUndefined();
		expect(run.output(OMETRIA_NODE, 0)).toHaveLength(1);
		expect(run.output(OMETRIA_NODE, 1)).toEqual([
			expect.objectContaining({
				memberId: 'cust-2',
				email: 'member2@example.com',
				field: 'event_type',
				stage: 'validation',
				reason: expect.stringMatching(/^event_type: unknown event preset "points_gifted"/),
			}),
		]);
	});

	it('keeps the real time of an event that starts no automation', async () => {
		const run = await runOperation(
			sandbox(),
			'customEvent/send',
			send({ automation: { startsAutomation: false } }),
			[activity(1)],
		);
		expect(run.output(OMETRIA_NODE, 0)[0].record).toMatchObject({
			timestamp: '2025-01-10T12:00:00+00:00',
		});
		await sandbox().state.ometria.whenIdle();
		expect([...sandbox().state.ometria.events.values()][0].automation).toBe('too_old');
	});

	it('gives two events of one member in the same second different ids without a source id', async () => {
		const input = [
			{ ...activity(1), activityId: '', points: 10 },
			{ ...activity(1), activityId: '', points: 20 },
		];
		const run = await runOperation(sandbox(), 'customEvent/send', send(), input);
		const ids = run.output(OMETRIA_NODE, 0).map((item) => item.recordId);
		expect(new Set(ids).size).toBe(2);
		await runOperation(sandbox(), 'customEvent/send', send(), input);
		await sandbox().state.ometria.whenIdle();
		expect(sandbox().state.ometria.events.size).toBe(2);
		expect(sandbox().state.ometria.counters.duplicateEvents).toBe(2);
	});

	it('spreads an audience so no more than 1,000 events of a type enter a flow in one window', async () => {
		const now = new Date().toISOString();
		const input = Array.from({ length: 1100 }, (_, index) => ({
			...activity(index),
			createDate: now,
		}));
		const spread = await runOperation(
			sandbox(),
			'customEvent/send',
			send({ options: { verify: false, includeSummary: true } }),
			input,
		);
		expect(spread.output(OMETRIA_NODE, 1)).toEqual([]);
		await sandbox().state.ometria.whenIdle();
		expect(sandbox().state.ometria.counters.eventsOverEntryLimit).toBe(0);
		const records = spread.output(OMETRIA_NODE, 0).slice(0, -1);
		expect(records[999].record).toMatchObject({
			timestamp: now.replace('Z', '+00:00'),
		});
		expect(Date.parse((records[1000].record as { timestamp: string }).timestamp)).toBeGreaterThan(
			Date.parse(now) + 4 * 60_000,
		);
		expect(records[1099].record).toMatchObject({
			properties: expect.objectContaining({ occurred_at: expect.any(String) }),
		});

		sandbox().reset();
		await runOperation(
			sandbox(),
			'customEvent/send',
			send({ options: { verify: false }, automation: { entryBatchSize: 5000 } }),
			input,
		);
		await sandbox().state.ometria.whenIdle();
		expect(sandbox().state.ometria.counters.eventsOverEntryLimit).toBe(100);
	});

	it('checks a custom event type under 32 characters before sending', async () => {
		const run = await runOperation(
			sandbox(),
			'customEvent/send',
			send({ eventPreset: 'custom', eventType: '={{ $json.type }}' }),
			[
				{ ...activity(1), type: 'loyalty_reward_unlocked' },
				{ ...activity(2), type: 'loyalty_reward_unlocked_and_claimed' },
			],
			continueOnFail,
		);
		expect(run.error).toBeUndefined();
		expect(run.output(OMETRIA_NODE, 0)).toHaveLength(1);
		expect(run.output(OMETRIA_NODE, 1)).toEqual([
			expect.objectContaining({
				field: 'event_type',
				stage: 'validation',
				error_path: 'root > event_type',
			}),
		]);
	});

	it('flattens a properties object and lets named properties win', async () => {
		const run = await runOperation(
			sandbox(),
			'customEvent/send',
			send({ additionalFields: { propertiesObject: '={{ $json.details }}' } }),
			[{ ...activity(1), details: { reward: { name: '$5 Reward' }, points: 1 } }],
		);
		expect(run.output(OMETRIA_NODE, 0)[0].record).toMatchObject({
			properties: { reward_name: '$5 Reward', points: 150, tier: 'Gold' },
		});
	});
});
