import { runWorkflow } from '../../support/runWorkflow';
import {
	continueOnFail,
	fileSandbox,
	OMETRIA_NODE,
	ometriaCredentials,
	ometriaWorkflow,
	quickOptions,
	runOperation,
} from '../support';

/** Contact › Upsert against the sandbox over real HTTP. */
const sandbox = fileSandbox({ ometria: { customFields: ['loyalty_visits', 'loyalty_since'] } });

const upsert = (extra: Record<string, unknown> = {}) => ({
	options: { ...quickOptions, includeSummary: true },
	...extra,
});

const member = (index: number, extra: Record<string, unknown> = {}) => ({
	loyaltyId: `loy-${index}`,
	email: `member${index}@example.com`,
	firstName: 'Member',
	lastName: `No ${index}`,
	phone: '+447700900123',
	birthDate: '1990-01-15',
	availablePoints: 100 + index,
	currentTier: 'Gold',
	optInDate: '2024-08-08T07:00:12+0000',
	...extra,
});

describe('Ometria › Contact › Upsert (workflow)', () => {
	it('maps Annex Cloud profiles with the loyalty preset and pushes them', async () => {
		const input = Array.from({ length: 5 }, (_, index) => member(index));
		const run = await runOperation(
			sandbox(),
			'contact/upsert',
			upsert({
				consent: {
					emailMarketing: 'EXPLICITLY_OPTEDIN',
					emailConsentTimestamp: '={{ $json.optInDate }}',
				},
				additionalFields: { addToSegments: ['8402'] },
			}),
			input,
		);
		expect(run.error).toBeUndefined();
		const success = run.items(OMETRIA_NODE, 0);
		expect(success).toHaveLength(6);
		expect(success.slice(0, 5).map((item) => item.pairedItem)).toEqual(
			input.map((_, item) => ({ item })),
		);
		expect(success[0].json).toMatchObject({
			status: 'verified',
			recordType: 'contact',
			recordId: 'loy-0',
		});
		expect(success[0].json.requestId).toEqual(expect.any(String));
		expect(success[5].json.summary).toMatchObject({
			operation: 'contact.upsert',
			items: 5,
			sent: 5,
			accepted: 5,
			rejected: 0,
			requests: 1,
			retries: 0,
		});
		expect(run.output(OMETRIA_NODE, 1)).toEqual([]);

		const stored = sandbox().state.ometria.contact('loy-3', 'loyalty');
		expect(stored?.record).toMatchObject({
			email: 'member3@example.com',
			firstname: 'Member',
			lastname: 'No 3',
			phone_number: '+447700900123',
			date_of_birth: '1990-01-15',
			marketing_optin: 'EXPLICITLY_OPTEDIN',
			timestamp_subscribed: '2024-08-08T07:00:12+00:00',
			properties: {
				annex_loyalty_id: 'loy-3',
				annex_available_points: '103',
				annex_current_tier: 'Gold',
				annex_opt_in_date: '2024-08-08T07:00:12+00:00',
			},
		});
		expect(stored?.forcedOptin).toBe(false);
		expect(sandbox().state.ometria.listMembers('8402')).toHaveLength(5);
	});

	it('puts items that fail a check on Rejected whatever On Error says, with member, email, field and stage, and sends the rest', async () => {
		const run = await runOperation(sandbox(), 'contact/upsert', upsert(), [
			member(0),
			member(1, { phone: '07700 900123' }),
			{ loyaltyId: 'loy-2', firstName: 'No identity' },
			member(3, { loyaltyId: 'member3@example.com' }),
		]);
		expect(run.error).toBeUndefined();
		expect(run.output(OMETRIA_NODE, 1)).toEqual([
			expect.objectContaining({
				memberId: 'loy-1',
				email: 'member1@example.com',
				field: 'phone_number',
				error_path: 'root > phone_number',
				stage: 'validation',
				reason: expect.stringMatching(/^phone_number: "07700 900123" has no country code/),
			}),
			expect.objectContaining({
				memberId: 'loy-2',
				email: null,
				field: 'email',
				stage: 'validation',
				reason: expect.stringMatching(/nothing Ometria can match a profile on/),
			}),
			expect.objectContaining({
				memberId: 'member3@example.com',
				email: 'member3@example.com',
				field: 'id',
				reason: expect.stringMatching(/contains an email address/),
			}),
		]);
		expect(run.items(OMETRIA_NODE, 1).map((item) => item.pairedItem)).toEqual([
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(sandbox().state.ometria.contactCount()).toBe(1);
	});

	it('writes a bracketed trunk prefix as E.164', async () => {
		const run = await runOperation(sandbox(), 'contact/upsert', upsert(), [
			member(0, { phone: '+44 (0)20 7946 0958' }),
		]);
		expect(run.output(OMETRIA_NODE, 1)).toEqual([]);
		expect(sandbox().state.ometria.contact('loy-0', 'loyalty')?.record.phone_number).toBe(
			'+442079460958',
		);
	});

	it("reads timestamps without an offset in the workflow's time zone, or the one set, and shows it", async () => {
		const input = [member(0, { optInDate: '2026-05-01 10:00' })];
		const workflow = {
			...ometriaWorkflow('contact/upsert', upsert()),
			settings: { timezone: 'Asia/Tokyo' },
		};
		const run = await runWorkflow(workflow, { credentials: ometriaCredentials(sandbox()), input });
		expect(run.output(OMETRIA_NODE, 0)[0]).toMatchObject({ timeZone: 'Asia/Tokyo' });
		expect(run.output(OMETRIA_NODE, 0).at(-1)?.summary).toMatchObject({ timeZone: 'Asia/Tokyo' });
		expect(
			(
				sandbox().state.ometria.contact('loy-0', 'loyalty')?.record.properties as Record<
					string,
					unknown
				>
			).annex_opt_in_date,
		).toBe('2026-05-01T10:00:00+09:00');
		const chosen = await runOperation(
			sandbox(),
			'contact/upsert',
			upsert({ options: { ...quickOptions, timeZone: 'Europe/London' } }),
			input,
		);
		expect(chosen.output(OMETRIA_NODE, 0)[0]).toMatchObject({ timeZone: 'Europe/London' });
		expect(
			(
				sandbox().state.ometria.contact('loy-0', 'loyalty')?.record.properties as Record<
					string,
					unknown
				>
			).annex_opt_in_date,
		).toBe('2026-05-01T10:00:00+01:00');
		const unknown = await runOperation(
			sandbox(),
			'contact/upsert',
			upsert({ options: { timeZone: 'Mars/Olympus' } }),
			input,
		);
		expect(unknown.error?.message).toBe('Unknown time zone "Mars/Olympus"');
	});

	it('merges a repeated contact into one record of the same request: 49 contacts in 1 request', async () => {
		const input = Array.from({ length: 49 }, (_, index) => member(index));
		input.push(member(7, { currentTier: 'Platinum' }));
		const run = await runOperation(sandbox(), 'contact/upsert', upsert(), input);
		expect(run.output(OMETRIA_NODE, 1)).toEqual([]);
		expect(sandbox().state.ometria.pushLog).toHaveLength(1);
		expect(sandbox().state.ometria.pushLog[0].count).toBe(49);
		const success = run.output(OMETRIA_NODE, 0);
		expect(success).toHaveLength(51);
		expect(success[49]).toMatchObject({ recordId: 'loy-7', mergedWithItem: 7 });
		expect(success.at(-1)?.summary).toMatchObject({ requests: 1, sent: 49, accepted: 50 });
		expect(
			(
				sandbox().state.ometria.contact('loy-7', 'loyalty')?.record.properties as Record<
					string,
					unknown
				>
			).annex_current_tier,
		).toBe('Platinum');
	});

	it('never sends @force_optin by default, and never clears stored consent with an empty value', async () => {
		await runOperation(
			sandbox(),
			'contact/upsert',
			upsert({ consent: { emailMarketing: 'EXPLICITLY_OPTEDOUT' } }),
			[member(0)],
		);
		await runOperation(
			sandbox(),
			'contact/upsert',
			upsert({ consent: { emailMarketing: '={{ $json.emailConsent }}', smsMarketing: '' } }),
			[member(0, { emailConsent: '' })],
		);
		const stored = sandbox().state.ometria.contact('loy-0', 'loyalty');
		expect(stored?.record.marketing_optin).toBe('EXPLICITLY_OPTEDOUT');
		expect(stored?.forcedOptin).toBe(false);
		expect(sandbox().state.ometria.pushLog).toHaveLength(2);
	});

	it('with continueOnFail, puts invalid items on the Rejected output and sends the rest', async () => {
		const run = await runOperation(
			sandbox(),
			'contact/upsert',
			upsert(),
			[
				member(0),
				member(1, { phone: 'n/a' }),
				member(2, { email: 'jane@example.com', loyaltyId: 'jane@example.com' }),
			],
			continueOnFail,
		);
		expect(run.error).toBeUndefined();
		expect(
			run
				.items(OMETRIA_NODE, 0)
				.filter((item) => !item.json.summary)
				.map((item) => item.pairedItem),
		).toEqual([{ item: 0 }]);
		const rejected = run.items(OMETRIA_NODE, 1);
		expect(
			rejected.map((item) => [
				item.pairedItem,
				item.json.memberId,
				item.json.field,
				item.json.error_path,
				item.json.stage,
			]),
		).toEqual([
			[{ item: 1 }, 'loy-1', 'phone_number', 'root > phone_number', 'validation'],
			[{ item: 2 }, 'jane@example.com', 'id', 'root > id', 'validation'],
		]);
		expect(sandbox().state.ometria.contactCount()).toBe(1);
	});

	it("maps Ometria's asynchronous rejections back to the items, whatever On Error says", async () => {
		const input = [member(0), member(1, { mood: 'happy' }), member(2), member(3, { mood: 'sad' })];
		const moodField = {
			customProperties: {
				property: [{ fieldId: 'loyalty_mood', value: '={{ $json.mood }}', type: 'string' }],
			},
		};
		for (const settings of [{}, continueOnFail]) {
			sandbox().reset();
			const run = await runOperation(
				sandbox(),
				'contact/upsert',
				upsert(moodField),
				input,
				settings,
			);
			expect(run.error).toBeUndefined();
			const rejected = run.output(OMETRIA_NODE, 1);
			expect(run.items(OMETRIA_NODE, 1).map((item) => item.pairedItem)).toEqual([
				{ item: 1 },
				{ item: 3 },
			]);
			expect(rejected[0]).toMatchObject({
				memberId: 'loy-1',
				email: 'member1@example.com',
				stage: 'verification',
				reason: 'custom field not defined (field properties.loyalty_mood)',
				field: 'properties.loyalty_mood',
				error_path: 'root > properties > loyalty_mood',
				recordId: 'loy-1',
				record: { id: 'loy-1', '@type': 'contact' },
			});
			expect(rejected[0].requestId).toEqual(expect.any(String));
			const summary = run.output(OMETRIA_NODE, 0).at(-1)?.summary;
			expect(summary).toMatchObject({ sent: 4, accepted: 2, rejected: 2, rejectedByOmetria: 2 });
		}
	});

	it('leaves consent out unless set, and forces opt-in only when switched on', async () => {
		await runOperation(sandbox(), 'contact/upsert', upsert(), [member(0)]);
		expect(sandbox().state.ometria.contact('loy-0', 'loyalty')?.record).not.toHaveProperty(
			'marketing_optin',
		);
		await runOperation(
			sandbox(),
			'contact/upsert',
			upsert({
				consent: {
					emailMarketing: 'EXPLICITLY_OPTEDIN',
					forceOptin: true,
					smsMarketing: 'deny',
					smsConsentTimestamp: '2025-01-01T00:00:00Z',
				},
			}),
			[member(0)],
		);
		const stored = sandbox().state.ometria.contact('loy-0', 'loyalty');
		expect(stored?.forcedOptin).toBe(true);
		expect(stored?.record.channels).toEqual({
			sms: { allow_marketing: false, dt_updated_marketing: '2025-01-01T00:00:00+00:00' },
		});
	});

	it('sends only fields set on the node when the preset is off, with custom fields and a collection', async () => {
		const run = await runOperation(
			sandbox(),
			'contact/upsert',
			upsert({
				loyaltyPreset: 'none',
				contactId: '={{ $json.id }}',
				customerId: '={{ $json.customer }}',
				collection: 'crm',
				customProperties: {
					property: [
						{ fieldId: 'loyalty_visits', value: '={{ $json.visits }}', type: 'integer' },
						{ fieldId: 'loyalty_since', value: '={{ $json.since }}', type: 'date' },
					],
				},
			}),
			[
				{
					id: 'c-1',
					customer: 'cust-1',
					visits: '12',
					since: '2020-05-01T10:00:00+02:00',
					currentTier: 'Gold',
				},
			],
		);
		expect(run.error).toBeUndefined();
		expect(sandbox().state.ometria.contact('c-1', 'crm')?.record).toEqual({
			id: 'c-1',
			customer_id: 'cust-1',
			properties: { loyalty_visits: 12, loyalty_since: '2020-05-01T10:00:00+02:00' },
		});
	});

	it('with continueOnFail, puts the records of a push refused for its key on the Rejected output', async () => {
		const pushFailed = await runWorkflow(
			ometriaWorkflow(
				'contact/upsert',
				{ contactId: 'a', email: 'a@example.com', options: quickOptions },
				continueOnFail,
			),
			{ credentials: { ometriaApi: { apiKey: 'wrong', baseUrl: sandbox().ometriaBaseUrl } } },
		);
		expect(pushFailed.error).toBeUndefined();
		expect(pushFailed.output(OMETRIA_NODE, 1)).toEqual([
			expect.objectContaining({
				stage: 'push',
				recordId: 'a',
				reason: expect.stringMatching(/403/),
			}),
		]);
	});
});

const clearing = (presetOptions: Record<string, unknown> = {}) => ({
	presetOptions,
	options: quickOptions,
});

const ada = (extra: Record<string, unknown> = {}) => ({
	loyaltyId: 'm000042',
	email: 'member42@example.com',
	firstName: 'Ada',
	lastName: 'Lovelace',
	phone: '+447700900123',
	currentTier: 'Gold',
	nextTier: 'Platinum',
	availablePoints: 1200,
	...extra,
});

const stored = () => sandbox().state.ometria.contact('m000042', 'loyalty')!.record;

describe('Ometria › Contact › Upsert: fields cleared at the source (workflow)', () => {
	it('clears in Ometria only the fields the item lists as cleared; other empty values never overwrite', async () => {
		expect(
			(await runOperation(sandbox(), 'contact/upsert', clearing(), [ada()])).error,
		).toBeUndefined();
		expect(stored()).toMatchObject({
			phone_number: '+447700900123',
			properties: { annex_next_tier: 'Platinum' },
		});

		// Empty, but not reported as cleared (a partial source): the stored values stay.
		await runOperation(sandbox(), 'contact/upsert', clearing(), [
			ada({ phone: '', nextTier: null }),
		]);
		expect(stored()).toMatchObject({
			phone_number: '+447700900123',
			properties: { annex_next_tier: 'Platinum' },
		});

		// Cleared in Annex Cloud, but the user keeps Ometria's values.
		await runOperation(sandbox(), 'contact/upsert', clearing({ clearedFields: 'keep' }), [
			ada({ phone: null, nextTier: null, clearedFields: ['phone', 'nextTier'] }),
		]);
		expect(stored().phone_number).toBe('+447700900123');

		// Cleared in Annex Cloud, the default: the fields are gone in Ometria, the rest is kept.
		const run = await runOperation(sandbox(), 'contact/upsert', clearing(), [
			ada({ phone: null, nextTier: null, clearedFields: ['phone', 'nextTier'] }),
		]);
		expect(run.error).toBeUndefined();
		expect(run.output('Ometria', 0)[0]).toMatchObject({ status: 'verified' });
		const record = stored();
		expect(record).not.toHaveProperty('phone_number');
		expect(record.properties).not.toHaveProperty('annex_next_tier');
		expect(record).toMatchObject({
			email: 'member42@example.com',
			lastname: 'Lovelace',
			properties: { annex_current_tier: 'Gold', annex_available_points: '1200' },
		});
	});
});
