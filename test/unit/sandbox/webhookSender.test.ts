import { createHmac } from 'crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';

import { startSandbox } from '../../../sandbox';
import {
	sendWebhooks,
	WEBHOOK_EVENT_NAMES,
	type WebhookEvent,
} from '../../../sandbox/webhookSender';
import { http } from './client';

interface Received {
	headers: IncomingHttpHeaders;
	body: string;
}

/** A receiver that records deliveries and answers 401 when `accept` says no. */
async function receiver(accept: (delivery: Received) => boolean) {
	const received: Received[] = [];
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const delivery = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
			received.push(delivery);
			response.writeHead(accept(delivery) ? 200 : 401).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	return {
		url,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('sandbox: webhook sender', () => {
	it('signs with HMAC-SHA256 over the raw body (hex), and forges and replays on request', async () => {
		const secret = 'whsec';
		const hook = await receiver(({ headers, body }) => {
			const expected = createHmac('sha256', secret).update(body).digest('hex');
			return headers['x-annexcloud-signature'] === expected;
		});
		try {
			const result = await sendWebhooks({
				url: hook.url,
				count: 11,
				forge: 3,
				replay: 2,
				ratePerSecond: 200,
				signing: { scheme: 'hmac', secret },
			});
			expect(result.counts).toEqual({ valid: 11, forged: 3, replay: 2 });
			expect(result.byStatus).toEqual({ 200: 13, 401: 3 });
			// Deliveries start 5 ms apart and run concurrently, so they may arrive in any order:
			// match them by kind from the sender's own record, not by arrival position.
			const events = hook.received.map((delivery) => JSON.parse(delivery.body) as WebhookEvent);
			expect(events).toHaveLength(16);
			const ofKind = (kind: string) => result.sent.filter((delivery) => delivery.kind === kind);
			expect(new Set(ofKind('valid').map((delivery) => delivery.eventName))).toEqual(
				new Set(WEBHOOK_EVENT_NAMES),
			);
			const ids = events.map((event) => event.eventId);
			expect(new Set(ids).size).toBe(14);
			const genuineIds = ofKind('valid').map((delivery) => delivery.eventId);
			expect(ofKind('replay').map((delivery) => delivery.eventId)).toEqual(genuineIds.slice(0, 2));
			expect(events[0]).toMatchObject({
				eventId: expect.stringMatching(/^evt_/),
				siteId: 'sandbox-site',
				member: { id: expect.any(String), email: expect.any(String) },
				data: expect.any(Object),
			});
			expect(events.find((event) => event.eventName === 'loy_point_accrual')?.data.points).toEqual(
				expect.any(Number),
			);
		} finally {
			await hook.close();
		}
	});

	it('supports base64 with prefix and a signed timestamp header', async () => {
		const secret = 's3';
		const hook = await receiver(({ headers, body }) => {
			const timestamp = String(headers['x-timestamp']);
			const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('base64');
			return (
				headers['x-sig'] === `sha256=${expected}` &&
				Math.abs(Date.now() / 1000 - Number(timestamp)) < 60
			);
		});
		try {
			const result = await sendWebhooks({
				url: hook.url,
				events: ['tier_upgrade'],
				count: 3,
				forge: 1,
				signing: {
					scheme: 'hmac',
					secret,
					header: 'X-Sig',
					encoding: 'base64',
					prefix: 'sha256=',
					timestampHeader: 'X-Timestamp',
					signTimestamp: true,
				},
			});
			expect(result.byStatus).toEqual({ 200: 3, 401: 1 });
		} finally {
			await hook.close();
		}
	});

	it('supports header token and basic auth', async () => {
		const hook = await receiver(
			({ headers }) =>
				headers['x-webhook-token'] === 'tok' ||
				headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`,
		);
		try {
			const token = await sendWebhooks({
				url: hook.url,
				count: 2,
				forge: 1,
				signing: { scheme: 'header-token', token: 'tok' },
			});
			expect(token.byStatus).toEqual({ 200: 2, 401: 1 });
			const basic = await sendWebhooks({
				url: hook.url,
				count: 2,
				forge: 1,
				signing: { scheme: 'basic', username: 'u', password: 'p' },
			});
			expect(basic.byStatus).toEqual({ 200: 2, 401: 1 });
		} finally {
			await hook.close();
		}
	});

	it('paces deliveries at the configured rate and reports unreachable receivers', async () => {
		const hook = await receiver(() => true);
		try {
			const started = Date.now();
			await sendWebhooks({ url: hook.url, count: 5, ratePerSecond: 20 });
			expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		} finally {
			await hook.close();
		}
		const failed = await sendWebhooks({ url: hook.url, count: 1 });
		expect(failed.sent[0]).toMatchObject({ status: null, error: expect.any(String) });
	});

	it('is driven by POST /_sandbox/webhooks/send with sandbox members', async () => {
		const sandbox = await startSandbox();
		const hook = await receiver(() => true);
		try {
			const response = await http(`${sandbox.url}/_sandbox/webhooks/send`, {
				method: 'POST',
				body: JSON.stringify({ url: hook.url, events: ['loy_point_accrual'], count: 4, replay: 1 }),
			});
			expect(response.status).toBe(200);
			expect(response.body.counts).toEqual({ valid: 4, forged: 0, replay: 1 });
			const memberIds = hook.received.map(
				(delivery) => (JSON.parse(delivery.body) as WebhookEvent).member.id,
			);
			for (const id of memberIds) expect(sandbox.state.annex.member(id)).toBeDefined();
		} finally {
			await hook.close();
			await sandbox.close();
		}
	});
});
