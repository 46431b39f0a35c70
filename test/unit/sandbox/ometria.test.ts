import { startSandbox, type Sandbox } from '../../../sandbox';
import { OMETRIA_SEED_LISTS } from '../../../sandbox/fixtures';
import { RECORD_TOO_LARGE } from '../../../sandbox/ometriaValidation';
import { DEFAULT_CUSTOM_FIELDS, DEFAULT_EVENT_TYPES } from '../../../sandbox/ometriaAccount';
import { ANNEX_LOYALTY_FIELDS } from '../../../nodes/Ometria/logic/loyaltyPreset';
import { LOYALTY_EVENT_PRESETS } from '../../../nodes/Ometria/logic/eventMapping';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { contact, customEvent, ometriaGet, ometriaPush } from './client';

describe('sandbox: Ometria account setup', () => {
	const templates = join(__dirname, '../../../workflows-templates');
	const ometriaNodes = readdirSync(templates).flatMap((file) =>
		(
			JSON.parse(readFileSync(join(templates, file), 'utf8')) as {
				nodes: Array<{ type: string; parameters: Record<string, unknown> }>;
			}
		).nodes.filter((node) => node.type.endsWith('.ometria')),
	);

	it("declares every custom field the package's preset and templates send", () => {
		for (const field of ANNEX_LOYALTY_FIELDS) {
			if (field.property) expect(DEFAULT_CUSTOM_FIELDS).toContain(field.property);
		}
		const templateFields = ometriaNodes.flatMap(
			(node) =>
				(node.parameters.customProperties as { property?: Array<{ fieldId: string }> } | undefined)
					?.property ?? [],
		);
		expect(templateFields.length).toBeGreaterThan(0);
		for (const { fieldId } of templateFields) expect(DEFAULT_CUSTOM_FIELDS).toContain(fieldId);
	});

	it('enables every event type the presets and templates send', () => {
		for (const preset of LOYALTY_EVENT_PRESETS)
			expect(DEFAULT_EVENT_TYPES).toContain(preset.eventType);
		const fixedTypes = ometriaNodes
			.map((node) => node.parameters.eventType)
			.filter((type): type is string => typeof type === 'string' && !type.startsWith('='));
		expect(fixedTypes.length).toBeGreaterThan(0);
		for (const type of fixedTypes) expect(DEFAULT_EVENT_TYPES).toContain(type);
	});
});

describe('sandbox: Ometria push', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({
			ometria: {
				pushRatePerSecond: 1000,
				dataApiRatePerSecond: 0,
				processDelayMs: 5,
				customFields: ['tier', 'points', 'blob'],
				eventTypes: ['loyalty_points_earned'],
			},
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('answers 202 with request id and counts, then applies the records asynchronously', async () => {
		const response = await ometriaPush(sandbox, [contact('c1'), contact('c2')]);
		expect(response.status).toBe(202);
		expect(response.body).toEqual({
			status: 'OK',
			request_id: expect.any(String),
			accepted: 2,
			rejected: 0,
		});
		expect(response.headers['x-queuesize-limit']).toBe('50000');
		expect(response.headers['x-queuesize-remaining']).toBe('49998');
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.contact('c1')?.record.email).toBe('c1@example.com');
		expect(sandbox.state.ometria.pushLog[0]).toMatchObject({
			request_id: response.body.request_id,
			count: 2,
			accepted: 2,
		});
	});

	it('validates and applies only after processDelayMs', async () => {
		const slow = await startSandbox({ ometria: { processDelayMs: 1500 } });
		try {
			await ometriaPush(slow, [contact('late', { phone_number: 'bad' }), contact('fine')]);
			expect(slow.state.ometria.pending).toBe(2);
			expect(slow.state.ometria.contact('fine')).toBeUndefined();
			expect((await ometriaGet(slow, '/push/_errors')).body).toEqual([]);
			await slow.state.ometria.whenIdle();
			expect(slow.state.ometria.contact('fine')).toBeDefined();
			expect((await ometriaGet(slow, '/push/_errors')).body[0].record_id).toBe('late');
		} finally {
			await slow.close();
		}
	});

	it('refuses a missing or wrong X-Ometria-Auth with 403', async () => {
		expect((await ometriaPush(sandbox, [contact('c1')], 'wrong')).status).toBe(403);
		expect((await ometriaGet(sandbox, '/lists', 'wrong')).status).toBe(403);
		expect(sandbox.state.ometria.counters.forbidden403).toBe(2);
	});

	it('rejects non-arrays, more than 100 records and mixed types with 400', async () => {
		expect((await ometriaPush(sandbox, contact('c1'))).status).toBe(400);
		expect((await ometriaPush(sandbox, '{not json')).status).toBe(400);
		const tooMany = Array.from({ length: 101 }, (_, index) => contact(`c${index}`));
		const over = await ometriaPush(sandbox, tooMany);
		expect(over.status).toBe(400);
		expect(over.body.message).toMatch(/100/);
		expect((await ometriaPush(sandbox, tooMany.slice(0, 100))).status).toBe(202);
		const mixed = await ometriaPush(sandbox, [contact('c1'), customEvent('e1')]);
		expect(mixed.status).toBe(400);
		expect(mixed.body.message).toMatch(/same @type/);
		expect((await ometriaPush(sandbox, [{ id: 'x' }])).status).toBe(400);
	});

	it('rejects a record over 60 KB and keeps the rest', async () => {
		const big = contact('big', { properties: { blob: 'x'.repeat(61 * 1024) } });
		const response = await ometriaPush(sandbox, [big, contact('small')]);
		expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
		await sandbox.state.ometria.whenIdle();
		const errors = (await ometriaGet(sandbox, '/push/_errors')).body;
		expect(errors[0]).toMatchObject({
			record_id: 'big',
			error_message: RECORD_TOO_LARGE,
			request_id: response.body.request_id,
		});
		expect(sandbox.state.ometria.contact('small')).toBeDefined();
		expect(sandbox.state.ometria.contact('big')).toBeUndefined();
	});

	it('reports invalid records in GET /push/_errors after processing', async () => {
		const response = await ometriaPush(sandbox, [
			contact('bad-phone', { phone_number: '07700 900123' }),
			contact('bad-dob', { date_of_birth: '01/02/1990' }),
			contact('bad-optin', { marketing_optin: 'YES' }),
			{ '@type': 'contact', id: 'no-identity' },
			contact('bad-ts', { timestamp_subscribed: 'yesterday' }),
			contact('good', {
				phone_number: '+447700900123',
				date_of_birth: '1990-02-01',
				marketing_optin: 'EXPLICITLY_OPTEDIN',
			}),
		]);
		expect(response.body).toMatchObject({ accepted: 6, rejected: 0 });
		await sandbox.state.ometria.whenIdle();
		const errors: Array<Record<string, unknown>> = (await ometriaGet(sandbox, '/push/_errors'))
			.body;
		const byId = Object.fromEntries(errors.map((error) => [error.record_id, error]));
		expect(byId['bad-phone']).toMatchObject({
			request_id: response.body.request_id,
			record_type: 'contact',
			error_message: 'not a valid value',
			error_path: 'root > phone_number',
			record: expect.objectContaining({ id: 'bad-phone' }),
			timestamp: expect.any(String),
		});
		expect(byId['bad-dob'].error_path).toBe('root > date_of_birth');
		expect(byId['bad-optin'].error_path).toBe('root > marketing_optin');
		expect(byId['no-identity'].error_path).toBe('root > email');
		expect(byId['bad-ts'].error_path).toBe('root > timestamp_subscribed');
		expect(byId.good).toBeUndefined();
		expect(sandbox.state.ometria.contactCount()).toBe(1);
	});

	it('validates custom events', async () => {
		await ometriaPush(sandbox, [
			customEvent('ok'),
			customEvent('long-type', { event_type: 'x'.repeat(32) }),
			customEvent('bad-ts', { timestamp: '2025-05-25 15:32' }),
			customEvent('no-identity', { identity_email: undefined }),
			customEvent('by-account', { identity_email: undefined, identity_account_id: 'acc-1' }),
		]);
		await sandbox.state.ometria.whenIdle();
		const paths = Object.fromEntries(
			sandbox.state.ometria.errors.map((error) => [error.record_id, error.error_path]),
		);
		expect(paths).toEqual({
			'long-type': 'root > event_type',
			'bad-ts': 'root > timestamp',
			'no-identity': 'root > identity_email',
		});
		expect([...sandbox.state.ometria.events.keys()].sort()).toEqual(['by-account', 'ok']);
	});

	it('keeps only the 100 most recent errors, newest first', async () => {
		for (let batch = 0; batch < 2; batch++) {
			await ometriaPush(
				sandbox,
				Array.from({ length: 60 }, (_, index) =>
					contact(`b${batch}-${index}`, { phone_number: 'bad' }),
				),
			);
		}
		await sandbox.state.ometria.whenIdle();
		const errors = (await ometriaGet(sandbox, '/push/_errors')).body;
		expect(errors).toHaveLength(100);
		expect(errors[0].record_id).toBe('b1-59');
		expect(sandbox.state.ometria.errors).toHaveLength(120);
	});

	it('merges with @merge (properties key-wise) and replaces without it', async () => {
		await ometriaPush(sandbox, [
			contact('m1', { firstname: 'Ann', properties: { tier: 'Gold', points: 10 } }),
		]);
		await sandbox.state.ometria.whenIdle();
		await ometriaPush(sandbox, [
			{
				'@type': 'contact',
				id: 'm1',
				email: 'm1@example.com',
				'@merge': true,
				properties: { points: 20 },
			},
		]);
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.contact('m1')?.record).toEqual({
			id: 'm1',
			email: 'm1@example.com',
			firstname: 'Ann',
			properties: { tier: 'Gold', points: 20 },
		});
		await ometriaPush(sandbox, [
			{ '@type': 'contact', id: 'm1', email: 'm1@example.com', properties: { points: 30 } },
		]);
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.contact('m1')?.record).toEqual({
			id: 'm1',
			email: 'm1@example.com',
			properties: { points: 30 },
		});
		expect(sandbox.state.ometria.contact('m1')?.updates).toBe(3);
	});

	it('keeps collections apart', async () => {
		await ometriaPush(sandbox, [
			contact('same', { '@collection': 'loyalty', firstname: 'L' }),
			contact('same', { firstname: 'D' }),
		]);
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.contact('same', 'loyalty')?.record.firstname).toBe('L');
		expect(sandbox.state.ometria.contact('same')?.record.firstname).toBe('D');
	});

	it('adds to and removes from lists by integer id, refusing unknown and text ids', async () => {
		const platinum = OMETRIA_SEED_LISTS[0];
		await ometriaPush(sandbox, [
			contact('l1', { '@add_to_lists': [Number(platinum.id)] }),
			contact('l2', { '@add_to_lists': [Number(platinum.id)] }),
			contact('unknown', { '@add_to_lists': [9999] }),
			contact('text', { '@add_to_lists': [platinum.id] }),
		]);
		await sandbox.state.ometria.whenIdle();
		let lists: Array<{ id: string; title: string; size: number }> = (
			await ometriaGet(sandbox, '/lists')
		).body;
		expect(lists.find((list) => list.id === platinum.id)).toMatchObject({
			title: 'Loyalty Platinum',
			size: 2,
		});
		expect(lists.some((list) => list.id === '9999')).toBe(false);
		expect(
			sandbox.state.ometria.errors.map((error) => [
				error.record_id,
				error.error_path,
				error.error_message,
			]),
		).toEqual([
			['unknown', 'root > @add_to_lists', 'list 9999 not found'],
			['text', 'root > @add_to_lists', 'not a valid value'],
		]);
		await ometriaPush(sandbox, [
			contact('l1', { '@merge': true, '@remove_from_lists': [Number(platinum.id)] }),
		]);
		await sandbox.state.ometria.whenIdle();
		lists = (await ometriaGet(sandbox, '/lists')).body;
		expect(lists.find((list) => list.id === platinum.id)?.size).toBe(1);
		expect(sandbox.state.ometria.listMembers(platinum.id)).toEqual([
			{ collection: 'default', id: 'l2' },
		]);
	});

	it("takes custom fields and event types only once declared, the package's own by default", async () => {
		await ometriaPush(sandbox, [
			contact('known', { properties: { annex_current_tier: 'Gold', tier: 'Gold' } }),
			contact('undeclared', { properties: { loyalty_mood: 'happy' } }),
		]);
		await ometriaPush(sandbox, [
			customEvent('preset', { event_type: 'annex_reward_issued' }),
			customEvent('disabled', { event_type: 'loyalty_mood_swing' }),
		]);
		await sandbox.state.ometria.whenIdle();
		expect(
			sandbox.state.ometria.errors.map((error) => [error.record_id, error.error_path]),
		).toEqual([
			['undeclared', 'root > properties > loyalty_mood'],
			['disabled', 'root > event_type'],
		]);
		const declared = await fetch(`${sandbox.url}/_sandbox/ometria/event-types`, {
			method: 'POST',
			body: JSON.stringify({ names: ['loyalty_mood_swing'] }),
		});
		expect(declared.status).toBe(200);
		await ometriaPush(sandbox, [customEvent('disabled', { event_type: 'loyalty_mood_swing' })]);
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.events.has('disabled')).toBe(true);
	});

	it('accepts events older than 4 hours but marks them as entering no automation', async () => {
		const now = Date.now();
		await ometriaPush(sandbox, [
			customEvent('fresh', { timestamp: new Date(now - 3 * 3600_000).toISOString() }),
			customEvent('stale', { timestamp: new Date(now - 5 * 3600_000).toISOString() }),
		]);
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.events.get('fresh')?.automation).toBe('entered');
		expect(sandbox.state.ometria.events.get('stale')?.automation).toBe('too_old');
		expect(sandbox.state.ometria.counters.eventsTooOldForAutomations).toBe(1);
	});

	it('lets at most 1,000 contacts of one event type enter per 5-minute window', async () => {
		const timestamp = new Date().toISOString();
		const later = new Date(Date.now() + 10 * 60_000).toISOString();
		for (let batch = 0; batch < 11; batch++) {
			await ometriaPush(
				sandbox,
				Array.from({ length: 100 }, (_, index) =>
					customEvent(`e${batch}-${index}`, {
						identity_email: `m${batch * 100 + index}@example.com`,
						timestamp: batch === 10 && index >= 50 ? later : timestamp,
					}),
				),
			);
		}
		await sandbox.state.ometria.whenIdle();
		const entries = [...sandbox.state.ometria.events.values()].map((event) => event.automation);
		expect(entries.filter((entry) => entry === 'entered')).toHaveLength(1050);
		expect(sandbox.state.ometria.counters.eventsOverEntryLimit).toBe(50);
	});

	it('lists Ometria-side unsubscribes by since, before and type, refusing other time formats', async () => {
		const added = await fetch(`${sandbox.url}/_sandbox/ometria/unsubscribes`, {
			method: 'POST',
			body: JSON.stringify({
				unsubscribes: [
					{
						email_address: 'A@example.com',
						type: 'link_unsubscribe',
						timestamp: '2026-03-01T10:00:00',
					},
					{
						email_address: 'b@example.com',
						type: 'stopword_unsubscribe_TF',
						timestamp: '2026-03-02T10:00:00',
					},
					{
						email_address: 'c@example.com',
						type: 'preferences_centre',
						timestamp: '2026-02-01T10:00:00',
					},
				],
			}),
		});
		expect(added.status).toBe(200);
		const since = await ometriaGet(sandbox, '/unsubscribes?since=2026-03-01T00:00:00');
		expect(since.body.map((entry: { email_address: string }) => entry.email_address)).toEqual([
			'a@example.com',
			'b@example.com',
		]);
		expect(since.body[0]).toEqual({
			email_address: 'a@example.com',
			profile_id: expect.any(String),
			type: 'link_unsubscribe',
			timestamp: '2026-03-01T10:00:00',
			reason: null,
		});
		const sms = await ometriaGet(sandbox, '/unsubscribes?type=stopword_unsubscribe_TF');
		expect(sms.body).toHaveLength(1);
		const paged = await ometriaGet(sandbox, '/unsubscribes?limit=2&offset=2');
		expect(paged.body.map((entry: { email_address: string }) => entry.email_address)).toEqual([
			'b@example.com',
		]);
		expect((await ometriaGet(sandbox, '/unsubscribes?since=2026-03-01')).status).toBe(400);
	});

	it('stores custom events once per id and counts duplicates', async () => {
		await ometriaPush(sandbox, [customEvent('e1'), customEvent('e1'), customEvent('e2')]);
		await ometriaPush(sandbox, [customEvent('e1', { properties: { changed: true } })]);
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.events.size).toBe(2);
		expect(sandbox.state.ometria.events.get('e1')?.duplicates).toBe(2);
		expect(sandbox.state.ometria.counters.duplicateEvents).toBe(2);
		expect(sandbox.stats()).toMatchObject({ ometria: { duplicateEvents: 2 } });
	});

	it('assembles a profile from every listing with the email', async () => {
		await ometriaPush(sandbox, [
			contact('p1', {
				email: 'Pat@Example.com',
				'@collection': 'loyalty',
				properties: { tier: 'Gold' },
				marketing_optin: 'EXPLICITLY_OPTEDIN',
			}),
			contact('p2', {
				email: 'pat@example.com',
				firstname: 'Pat',
				properties: { points: 5 },
				marketing_optin: 'EXPLICITLY_OPTEDOUT',
			}),
		]);
		await sandbox.state.ometria.whenIdle();
		const profiles = (await ometriaGet(sandbox, '/profiles?email=pat%40example.com')).body;
		expect(profiles).toHaveLength(1);
		expect(profiles[0]).toMatchObject({
			email: 'pat@example.com',
			firstname: 'Pat',
			properties: { tier: 'Gold', points: 5 },
			marketing_optin: 'EXPLICITLY_OPTEDOUT',
		});
		expect(profiles[0].identities).toHaveLength(2);
		expect((await ometriaGet(sandbox, '/profiles?email=nobody%40example.com')).body).toEqual([]);
	});
});

describe('sandbox: Ometria limits', () => {
	it('answers 429 beyond the push rate, with queue headers on every response', async () => {
		const sandbox = await startSandbox({ ometria: { processDelayMs: 0 } });
		try {
			const responses = await Promise.all(
				Array.from({ length: 14 }, (_, index) => ometriaPush(sandbox, [contact(`r${index}`)])),
			);
			const statuses = responses.map((response) => response.status);
			const accepted = statuses.filter((status) => status === 202).length;
			// Burst of 8, plus whatever refilled while the requests were arriving.
			expect(accepted).toBeGreaterThanOrEqual(8);
			expect(accepted).toBeLessThanOrEqual(10);
			expect(statuses.filter((status) => status === 429).length).toBe(14 - accepted);
			for (const response of responses) {
				expect(response.headers['x-queuesize-limit']).toBe('50000');
				expect(response.headers['x-queuesize-remaining']).toMatch(/^\d+$/);
				expect(response.headers['retry-after']).toBeUndefined();
			}
			expect(sandbox.state.ometria.counters.rateLimited429).toBe(14 - accepted);
			// A paced client (8 per second) is never limited.
			await new Promise((resolve) => setTimeout(resolve, 1000));
			for (let index = 0; index < 6; index++) {
				expect((await ometriaPush(sandbox, [contact(`paced${index}`)])).status).toBe(202);
				await new Promise((resolve) => setTimeout(resolve, 125));
			}
		} finally {
			await sandbox.close();
		}
	});

	it('answers 429 when the queue backlog would exceed the limit', async () => {
		const sandbox = await startSandbox({
			ometria: { queueLimit: 150, processDelayMs: 300, pushRatePerSecond: 100 },
		});
		try {
			const batch = (prefix: string) =>
				Array.from({ length: 100 }, (_, index) => contact(`${prefix}${index}`));
			const first = await ometriaPush(sandbox, batch('a'));
			expect(first.status).toBe(202);
			expect(first.headers['x-queuesize-remaining']).toBe('50');
			const second = await ometriaPush(sandbox, batch('b'));
			expect(second.status).toBe(429);
			expect(second.headers['x-queuesize-remaining']).toBe('50');
			expect(sandbox.state.ometria.counters.queueFull429).toBe(1);
			await sandbox.state.ometria.whenIdle();
			expect((await ometriaPush(sandbox, batch('c'))).status).toBe(202);
		} finally {
			await sandbox.close();
		}
	});

	it('limits the data API (GET) to its own rate', async () => {
		const sandbox = await startSandbox({ ometria: { dataApiRatePerSecond: 4 } });
		try {
			const statuses = (
				await Promise.all(Array.from({ length: 6 }, () => ometriaGet(sandbox, '/lists')))
			).map((r) => r.status);
			expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
		} finally {
			await sandbox.close();
		}
	});
});
