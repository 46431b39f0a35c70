import { startSandbox, type Sandbox } from '../../../sandbox';
import { continueOnFail, OMETRIA_NODE, quickOptions, runOmetria } from './support';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const upsert = (extra: Record<string, unknown> = {}) => ({
	resource: 'contact',
	operation: 'upsert',
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
		const run = await runOmetria(
			sandbox,
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

		const stored = sandbox.state.ometria.contact('loy-3', 'loyalty');
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
		expect(sandbox.state.ometria.listMembers('8402')).toHaveLength(5);
	});

	it('fails the node on an invalid phone number, naming the item and the field, before sending anything', async () => {
		const run = await runOmetria(sandbox, upsert(), [
			member(0),
			member(1, { phone: '07700 900123' }),
		]);
		expect(run.error?.message).toMatch(
			/^Item 1: phone_number: "07700 900123" is not an international/,
		);
		expect(sandbox.state.ometria.pushLog).toHaveLength(0);
	});

	it('with continueOnFail, puts invalid items on the Rejected output and sends the rest', async () => {
		const run = await runOmetria(
			sandbox,
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
				item.json.field,
				item.json.error_path,
				item.json.stage,
			]),
		).toEqual([
			[{ item: 1 }, 'phone_number', 'root > phone_number', 'validation'],
			[{ item: 2 }, 'id', 'root > id', 'validation'],
		]);
		expect(sandbox.state.ometria.contactCount()).toBe(1);
	});

	it("maps Ometria's asynchronous rejections back to the items (continueOnFail)", async () => {
		const input = [
			member(0),
			{ loyaltyId: 'no-email-1', currentTier: 'Gold' },
			member(2),
			{ loyaltyId: 'no-email-3' },
		];
		const run = await runOmetria(sandbox, upsert(), input, continueOnFail);
		expect(run.error).toBeUndefined();
		const rejected = run.output(OMETRIA_NODE, 1);
		expect(run.items(OMETRIA_NODE, 1).map((item) => item.pairedItem)).toEqual([
			{ item: 1 },
			{ item: 3 },
		]);
		expect(rejected[0]).toMatchObject({
			stage: 'verification',
			reason: 'field required (field email)',
			field: 'email',
			error_path: 'root > email',
			recordId: 'no-email-1',
			record: { id: 'no-email-1', '@type': 'contact' },
		});
		expect(rejected[0].requestId).toEqual(expect.any(String));
		const summary = run.output(OMETRIA_NODE, 0).at(-1)?.summary;
		expect(summary).toMatchObject({ sent: 4, accepted: 2, rejected: 2, rejectedByOmetria: 2 });
	});

	it('fails the node on an asynchronous rejection without continueOnFail, naming item and field', async () => {
		const run = await runOmetria(sandbox, upsert(), [member(0), { loyaltyId: 'no-email-1' }]);
		expect(run.error?.message).toBe(
			'Ometria rejected item 1 (contact no-email-1) in field email: field required',
		);
	});

	it('leaves consent out unless set, and forces opt-in only when switched on', async () => {
		await runOmetria(sandbox, upsert(), [member(0)]);
		expect(sandbox.state.ometria.contact('loy-0', 'loyalty')?.record).not.toHaveProperty(
			'marketing_optin',
		);
		await runOmetria(
			sandbox,
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
		const stored = sandbox.state.ometria.contact('loy-0', 'loyalty');
		expect(stored?.forcedOptin).toBe(true);
		expect(stored?.record.channels).toEqual({
			sms: { allow_marketing: false, dt_updated_marketing: '2025-01-01T00:00:00+00:00' },
		});
	});

	it('sends only fields set on the node when the preset is off, with custom fields and a collection', async () => {
		const run = await runOmetria(
			sandbox,
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
		expect(sandbox.state.ometria.contact('c-1', 'crm')?.record).toEqual({
			id: 'c-1',
			customer_id: 'cust-1',
			properties: { loyalty_visits: 12, loyalty_since: '2020-05-01T10:00:00+02:00' },
		});
	});
});
