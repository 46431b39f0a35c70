import { mkdtemp, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../../sandbox';
import {
	buildOmetriaExport,
	exportFileName,
	messagesOf,
	parseExportRequest,
	type ExportMessage,
	type ExportRequest,
} from '../../../sandbox/ometriaExport';
import { contact, customEvent, http, ometriaPush } from './client';

const NOW = new Date('2026-06-02T08:00:00Z');

function request(fields: Record<string, unknown> = {}): ExportRequest {
	const parsed = parseExportRequest(
		{
			path: '/tmp/x',
			ometriaCampaignId: 'auto-77',
			eventType: 'lapsed_platinum_outreach',
			...fields,
		},
		42,
		NOW,
	);
	if (!parsed.ok) throw new Error(parsed.error);
	return parsed.value;
}

const messages = (count: number): ExportMessage[] =>
	Array.from({ length: count }, (_, index) => ({
		eventId: `evt-${index}`,
		customerId: `plat-${String(index).padStart(3, '0')}`,
		email: `plat-${index}@example.com`,
		sentAt: '2026-06-01T09:00:00.000Z',
	}));

/** Parses the CSV the module writes (no quoted fields in these cases). */
function parse(csv: string) {
	const [header, ...lines] = csv.trimEnd().split('\r\n');
	const columns = header.split(',');
	return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
}

describe('sandbox: Ometria export files', () => {
	it('names the file by channel and UTC time', () => {
		expect(exportFileName('sms', new Date('2026-06-01T07:05:09.123Z'))).toBe(
			'ometria-export-sms-20260601070509.csv',
		);
	});

	it('writes one send per message and each engagement for the exact share of messages', () => {
		const result = buildOmetriaExport(
			messages(40),
			request({ rates: { delivery: 0.95, bounce: 0.05, open: 0.5, click: 0.25, unsubscribe: 0 } }),
		);
		expect(result.counts).toEqual({
			send: 40,
			delivery: 38,
			bounce: 2,
			open: 20,
			click: 10,
			unsubscribe: 0,
		});
		expect(result.rows).toBe(110);
		const rows = parse(result.csv);
		expect(result.csv.split('\r\n')[0]).toBe(
			'timestamp,event_type,channel,campaign_id,campaign_name,customer_id,email,message_id,url',
		);
		const of = (type: string) =>
			new Set(rows.filter((r) => r.event_type === type).map((r) => r.customer_id));
		// Funnel: clicks come from openers, opens from delivered messages, bounces never delivered.
		for (const id of of('click')) expect(of('open').has(id)).toBe(true);
		for (const id of of('open')) expect(of('delivery').has(id)).toBe(true);
		for (const id of of('bounce')) expect(of('delivery').has(id)).toBe(false);
		expect(rows.every((r) => r.campaign_id === 'auto-77' && r.channel === 'email')).toBe(true);
		expect(
			rows.filter((r) => r.event_type === 'click').every((r) => r.url.startsWith('https://')),
		).toBe(true);
		expect(rows.filter((r) => r.event_type !== 'click').every((r) => r.url === '')).toBe(true);
		// Ordered by time; nothing after the export ran.
		const times = rows.map((r) => Date.parse(r.timestamp));
		expect([...times].sort((a, b) => a - b)).toEqual(times);
		expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
	});

	it('is the same file for the same seed, another for another seed', () => {
		const first = buildOmetriaExport(messages(30), request({ seed: 7 }));
		expect(buildOmetriaExport(messages(30), request({ seed: 7 })).csv).toBe(first.csv);
		expect(buildOmetriaExport(messages(30), request({ seed: 8 })).csv).not.toBe(first.csv);
	});

	it('quotes fields that hold commas or quotes', () => {
		const result = buildOmetriaExport(
			messages(1),
			request({
				campaignName: 'Platinum, "we miss you"',
				rates: { delivery: 0, bounce: 0, open: 0, click: 0, unsubscribe: 0 },
			}),
		);
		expect(result.csv.split('\r\n')[1]).toContain(',"Platinum, ""we miss you""",');
	});

	it('takes the customer from the event identity and the email from the contact when missing', () => {
		const events = [
			{ id: 'a', record: { event_type: 'x', identity_account_id: 'm1', timestamp: 't1' } },
			{ id: 'b', record: { event_type: 'y', identity_account_id: 'm2', timestamp: 't2' } },
			{ id: 'c', record: { event_type: 'x', identity_email: 'c@example.com', timestamp: 't3' } },
		];
		expect(messagesOf(events, 'x', (id) => `${id}@contacts.example.com`)).toEqual([
			{ eventId: 'a', customerId: 'm1', email: 'm1@contacts.example.com', sentAt: 't1' },
			{ eventId: 'c', customerId: '', email: 'c@example.com', sentAt: 't3' },
		]);
	});

	it.each([
		[{ path: '' }, 'path'],
		[{ ometriaCampaignId: 3 }, 'ometriaCampaignId'],
		[{ eventType: undefined }, 'eventType'],
		[{ channel: 'fax' }, 'channel'],
		[{ at: 'yesterday' }, 'at'],
		[{ rates: { open: 1.5 } }, 'rates.open'],
		[{ rates: { opens: 0.1 } }, 'rates.opens'],
		[{ rates: { open: 0.5, click: 0.6 } }, 'click cannot exceed open'],
		[{ rates: { delivery: 0.9, bounce: 0.2 } }, 'delivery + bounce'],
	])('refuses %j naming the field', (fields, field) => {
		const parsed = parseExportRequest(
			{ path: '/tmp/x', ometriaCampaignId: 'c', eventType: 'e', ...fields },
			1,
			NOW,
		);
		expect(parsed).toEqual({ ok: false, error: expect.stringContaining(field) });
	});

	describe('POST /_sandbox/ometria/export', () => {
		let sandbox: Sandbox;
		let directory: string;

		beforeAll(async () => {
			sandbox = await startSandbox({ ometria: { pushRatePerSecond: 10_000, processDelayMs: 0 } });
			directory = await mkdtemp(join(tmpdir(), 'ometria-export-'));
		});
		afterAll(async () => {
			await sandbox.close();
			await rm(directory, { recursive: true, force: true });
		});

		it('writes the received events of the campaign type as a file of the documented layout', async () => {
			const members = Array.from({ length: 20 }, (_, index) => `plat-x${index}`);
			await ometriaPush(
				sandbox,
				members.map((id) => contact(id)),
			);
			const events = members.map((id) =>
				customEvent(`lapsed-${id}`, {
					event_type: 'lapsed_platinum_outreach',
					identity_email: undefined,
					identity_account_id: id,
					timestamp: '2026-06-01T09:00:00+00:00',
				}),
			);
			await ometriaPush(sandbox, [
				...events,
				customEvent('other', { event_type: 'winback_gift_sent' }),
			]);
			await sandbox.state.ometria.whenIdle();

			const answer = await http(`${sandbox.url}/_sandbox/ometria/export`, {
				method: 'POST',
				body: JSON.stringify({
					path: directory,
					ometriaCampaignId: 'auto-77',
					campaignName: 'Lapsed Platinum',
					eventType: 'lapsed_platinum_outreach',
					rates: { delivery: 1, bounce: 0, open: 0.5, click: 0.2, unsubscribe: 0.05 },
					at: '2026-06-02T08:00:00Z',
				}),
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				file: join(directory, 'ometria-export-email-20260602080000.csv'),
				rows: 20 + 20 + 10 + 4 + 1,
				counts: { send: 20, delivery: 20, open: 10, click: 4, bounce: 0, unsubscribe: 1 },
			});
			const rows = parse(await readFile(answer.body.file, 'utf8'));
			const sends = rows.filter((r) => r.event_type === 'send');
			expect(sends.map((r) => r.customer_id).sort()).toEqual([...members].sort());
			expect(sends.every((r) => r.email === `${r.customer_id}@example.com`)).toBe(true);
		});

		it('answers 400 naming the field', async () => {
			const answer = await http(`${sandbox.url}/_sandbox/ometria/export`, {
				method: 'POST',
				body: JSON.stringify({ path: directory, eventType: 'x' }),
			});
			expect(answer.status).toBe(400);
			expect(answer.body.error).toContain('ometriaCampaignId');
		});
	});
});
