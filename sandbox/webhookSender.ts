import { createHmac } from 'crypto';
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';

import { hashString, mixSeed, mulberry32, pick, randomInt, type Random } from './random';

/**
 * Posts Annex Cloud style loyalty events to a receiver (the n8n trigger under test). Annex Cloud's
 * real webhook payload, signature and retry policy are not public (notes §3.3): the payload and
 * signing schemes here are the sandbox's own, built to exercise the trigger's options.
 */

export const WEBHOOK_EVENT_NAMES = [
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
] as const;

export const DEFAULT_TOKEN_HEADER = 'X-Webhook-Token';
export const DEFAULT_SIGNATURE_HEADER = 'X-AnnexCloud-Signature';

export type WebhookSigning =
	| { scheme: 'none' }
	| { scheme: 'header-token'; token: string; header?: string }
	| { scheme: 'basic'; username: string; password: string }
	| {
			scheme: 'hmac';
			secret: string;
			/** Header carrying the signature; default `X-AnnexCloud-Signature`. */
			header?: string;
			encoding?: 'hex' | 'base64';
			/** Written before the digest, e.g. `sha256=`; default none. */
			prefix?: string;
			/** When set, the send time (Unix seconds) goes in this header. */
			timestampHeader?: string;
			/** Sign `${timestamp}.${body}` instead of the body alone (needs timestampHeader). */
			signTimestamp?: boolean;
	  };

export interface WebhookMember {
	id: string;
	email: string;
	firstName?: string;
	lastName?: string;
	tier?: string;
	availablePoints?: number;
	lifetimePoints?: number;
}

export interface WebhookEvent {
	eventId: string;
	eventName: string;
	occurredAt: string;
	siteId: string;
	member: WebhookMember;
	data: Record<string, unknown>;
}

export interface WebhookSendOptions {
	url: string;
	/** Event names to cycle through; default all of WEBHOOK_EVENT_NAMES. Unknown names are sent as-is. */
	events?: string[];
	/** Genuine deliveries; default one per event name. */
	count?: number;
	/** Deliveries started per second (they overlap when the receiver is slow); default 20. */
	ratePerSecond?: number;
	signing?: WebhookSigning;
	/** Extra deliveries whose credentials are wrong (bad HMAC, token or password). */
	forge?: number;
	/** Extra deliveries repeating earlier genuine ones byte for byte (same eventId and headers). */
	replay?: number;
	seed?: number;
	siteId?: string;
	/** Members the events are about; default a single synthetic member. */
	members?: WebhookMember[];
	timeoutMs?: number;
	/** Extra headers on every delivery. */
	headers?: Record<string, string>;
}

export type DeliveryKind = 'valid' | 'forged' | 'replay';

export interface WebhookDelivery {
	index: number;
	kind: DeliveryKind;
	eventId: string;
	eventName: string;
	sentAt: string;
	/** HTTP status, or null when the request failed (see error). */
	status: number | null;
	error?: string;
	/** First 500 characters of the receiver's answer. */
	responseBody?: string;
	durationMs: number;
}

export interface WebhookSendResult {
	url: string;
	scheme: WebhookSigning['scheme'];
	sent: WebhookDelivery[];
	counts: Record<DeliveryKind, number>;
	/** Deliveries per HTTP status (`error` when none came back). */
	byStatus: Record<string, number>;
}

const TIER_ORDER = ['Bronze', 'Silver', 'Gold', 'Platinum'];
const FALLBACK_MEMBER: WebhookMember = {
	id: 'm000000',
	email: 'member@example.com',
	tier: 'Silver',
};

function eventId(seed: number, index: number): string {
	const high = mixSeed(seed, index).toString(16).padStart(8, '0');
	const low = mixSeed(seed ^ 0x5bd1e995, index)
		.toString(16)
		.padStart(8, '0');
	return `evt_${high}${low}`;
}

function eventData(
	name: string,
	member: WebhookMember,
	random: Random,
	now: Date,
): Record<string, unknown> {
	const tierIndex = Math.max(0, TIER_ORDER.indexOf(member.tier ?? 'Bronze'));
	const available = member.availablePoints ?? randomInt(random, 0, 5000);
	const today = now.toISOString().slice(0, 10);
	switch (name) {
		case 'loy_opt_in':
			return { optInStatus: 'YES', optInDate: now.toISOString(), source: 'web' };
		case 'loy_opt_out':
			return { optInStatus: 'NO', optOutDate: now.toISOString() };
		case 'loy_point_accrual': {
			const points = randomInt(random, 2, 40) * 5;
			return {
				points,
				actionId: 109,
				actionName: 'Purchase',
				orderId: `ord-${randomInt(random, 100000, 999999)}`,
				availablePoints: available + points,
			};
		}
		case 'loy_point_redeem': {
			const points = pick(random, [500, 1000, 2500]);
			return {
				points,
				actionId: 107,
				rewardId: 1000 + randomInt(random, 1, 3),
				rewardCode: `RW-${randomInt(random, 100000, 999999)}`,
				availablePoints: Math.max(0, available - points),
			};
		}
		case 'tier_upgrade':
			return {
				previousTier: TIER_ORDER[Math.max(0, tierIndex - 1)],
				tier: member.tier ?? TIER_ORDER[tierIndex],
				tierAchievedDate: today,
			};
		case 'tier_downgrade':
			return {
				previousTier: TIER_ORDER[Math.min(3, tierIndex + 1)],
				tier: member.tier ?? TIER_ORDER[tierIndex],
				tierAchievedDate: today,
			};
		case 'tier_anniversary':
			return {
				tier: member.tier ?? TIER_ORDER[tierIndex],
				tierAchievedDate: today,
				years: randomInt(random, 1, 5),
			};
		case 'close_to_tier_upgrade':
			return {
				tier: member.tier ?? TIER_ORDER[tierIndex],
				nextTier: TIER_ORDER[Math.min(3, tierIndex + 1)],
				pointsToNextTier: randomInt(random, 1, 20) * 10,
			};
		case 'user_created':
			return { createDate: now.toISOString() };
		case 'user_updated':
			return {
				changedFields: [pick(random, ['firstName', 'lastName', 'phone', 'zipCode', 'birthDate'])],
			};
		case 'reward_issued':
			return {
				rewardId: 1004,
				rewardName: 'Birthday coupon: 20% off',
				rewardCode: `RW1004-${randomInt(random, 100000, 999999)}`,
			};
		default:
			return {};
	}
}

export function buildWebhookEvent(
	name: string,
	member: WebhookMember,
	options: { seed: number; index: number; siteId: string; now?: Date },
): WebhookEvent {
	const now = options.now ?? new Date();
	const random = mulberry32(mixSeed(options.seed, options.index + hashString(name)));
	const { id, email, firstName, lastName, tier } = member;
	return {
		eventId: eventId(options.seed, options.index),
		eventName: name,
		occurredAt: now.toISOString(),
		siteId: options.siteId,
		member: { id, email, firstName, lastName, tier },
		data: eventData(name, member, random, now),
	};
}

/** Headers that authenticate `body` under `signing`; `forged` makes them wrong on purpose. */
export function signWebhook(
	body: string,
	signing: WebhookSigning,
	timestampSeconds: number,
	forged = false,
): Record<string, string> {
	switch (signing.scheme) {
		case 'none':
			return {};
		case 'header-token':
			return {
				[signing.header ?? DEFAULT_TOKEN_HEADER]: forged
					? `${signing.token}-forged`
					: signing.token,
			};
		case 'basic': {
			const password = forged ? `${signing.password}-forged` : signing.password;
			return {
				Authorization: `Basic ${Buffer.from(`${signing.username}:${password}`).toString('base64')}`,
			};
		}
		case 'hmac': {
			const secret = forged ? `${signing.secret}-forged` : signing.secret;
			const signed =
				signing.signTimestamp && signing.timestampHeader ? `${timestampSeconds}.${body}` : body;
			const digest = createHmac('sha256', secret)
				.update(signed)
				.digest(signing.encoding ?? 'hex');
			const headers: Record<string, string> = {
				[signing.header ?? DEFAULT_SIGNATURE_HEADER]: `${signing.prefix ?? ''}${digest}`,
			};
			if (signing.timestampHeader) headers[signing.timestampHeader] = String(timestampSeconds);
			return headers;
		}
	}
}

interface PlannedDelivery {
	kind: DeliveryKind;
	event: WebhookEvent;
	body: string;
	/** Set when sent (signatures carry the send time); a replay reuses its original's. */
	headers?: Record<string, string>;
	original?: PlannedDelivery;
}

function post(url: URL, body: string, headers: Record<string, string>, timeoutMs: number) {
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const request = send(
			url,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					'Content-Length': String(Buffer.byteLength(body)),
					...headers,
				},
				timeout: timeoutMs,
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				response.on('error', reject);
			},
		);
		request.on('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
		request.on('error', reject);
		request.end(body);
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `count` genuine deliveries, then `forge` forged ones, then `replay` replays, starting one
 * every 1/ratePerSecond seconds, and reports each delivery's status.
 */
export async function sendWebhooks(options: WebhookSendOptions): Promise<WebhookSendResult> {
	const url = new URL(options.url);
	const signing = options.signing ?? { scheme: 'none' };
	const names =
		options.events && options.events.length > 0 ? options.events : [...WEBHOOK_EVENT_NAMES];
	const count = options.count ?? names.length;
	const seed = options.seed ?? 42;
	const siteId = options.siteId ?? 'sandbox-site';
	const members =
		options.members && options.members.length > 0 ? options.members : [FALLBACK_MEMBER];
	const memberRandom = mulberry32(mixSeed(seed, 0x77656268));
	const extraHeaders = options.headers ?? {};
	const plan: PlannedDelivery[] = [];
	const build = (kind: DeliveryKind, index: number) => {
		const event = buildWebhookEvent(names[index % names.length], pick(memberRandom, members), {
			seed,
			index,
			siteId,
		});
		plan.push({ kind, event, body: JSON.stringify(event) });
	};
	for (let index = 0; index < count; index++) build('valid', index);
	for (let index = 0; index < (options.forge ?? 0); index++) build('forged', count + index);
	const genuine = plan.filter((delivery) => delivery.kind === 'valid');
	for (let index = 0; index < (options.replay ?? 0) && genuine.length > 0; index++) {
		const original = genuine[index % genuine.length];
		plan.push({ kind: 'replay', event: original.event, body: original.body, original });
	}
	const intervalMs = 1000 / Math.max(0.001, options.ratePerSecond ?? 20);
	const timeoutMs = options.timeoutMs ?? 10_000;
	const started = Date.now();
	const sent = await Promise.all(
		plan.map(async (delivery, index): Promise<WebhookDelivery> => {
			await sleep(Math.max(0, started + index * intervalMs - Date.now()));
			const sentAt = Date.now();
			const headers = (delivery.headers = delivery.original?.headers ?? {
				...extraHeaders,
				...signWebhook(
					delivery.body,
					signing,
					Math.floor(sentAt / 1000),
					delivery.kind === 'forged',
				),
			});
			const base = {
				index,
				kind: delivery.kind,
				eventId: delivery.event.eventId,
				eventName: delivery.event.eventName,
				sentAt: new Date(sentAt).toISOString(),
			};
			try {
				const response = await post(url, delivery.body, headers, timeoutMs);
				return {
					...base,
					status: response.status,
					responseBody: response.body.slice(0, 500),
					durationMs: Date.now() - sentAt,
				};
			} catch (error) {
				return {
					...base,
					status: null,
					error: (error as Error).message,
					durationMs: Date.now() - sentAt,
				};
			}
		}),
	);
	const counts: Record<DeliveryKind, number> = { valid: 0, forged: 0, replay: 0 };
	const byStatus: Record<string, number> = {};
	for (const delivery of sent) {
		counts[delivery.kind]++;
		const status = delivery.status === null ? 'error' : String(delivery.status);
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}
	return { url: options.url, scheme: signing.scheme, sent, counts, byStatus };
}
