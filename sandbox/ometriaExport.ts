import { hashString, mixSeed, mulberry32, randomInt, type Random } from './random';

/**
 * Ometria's self-serve data export, as docs/ometria.md ("Export files") assumes it: one CSV per
 * channel and export run, one row per message event. The sandbox derives the messages of a
 * campaign from the custom events it received (each one started the automation that sent a
 * message) and the engagement from seeded shares, so the same request writes the same file.
 */

export const EXPORT_CHANNELS = ['email', 'sms', 'push'] as const;
export type ExportChannel = (typeof EXPORT_CHANNELS)[number];

export const EXPORT_EVENT_TYPES = [
	'send',
	'delivery',
	'open',
	'click',
	'bounce',
	'unsubscribe',
] as const;
export type ExportEventType = (typeof EXPORT_EVENT_TYPES)[number];

export const EXPORT_COLUMNS = [
	'timestamp',
	'event_type',
	'channel',
	'campaign_id',
	'campaign_name',
	'customer_id',
	'email',
	'message_id',
	'url',
] as const;

type RateName = Exclude<ExportEventType, 'send'>;
export type ExportRates = Record<RateName, number>;

/** Shares of the messages; opens and clicks are typical of a loyalty email, not measured. */
export const DEFAULT_EXPORT_RATES: ExportRates = {
	delivery: 0.98,
	bounce: 0.02,
	open: 0.45,
	click: 0.12,
	unsubscribe: 0.01,
};

/** Where a click leads; the export reports the link, the sandbox has only one. */
const CLICK_URL = 'https://shop.example.com/loyalty';

export interface ExportRequest {
	path: string;
	ometriaCampaignId: string;
	campaignName: string;
	eventType: string;
	channel: ExportChannel;
	rates: ExportRates;
	seed: number;
	/** When the export runs: the file name's time and the latest event time. */
	at: Date;
}

/** One message Ometria sent: a received custom event of the campaign's type. */
export interface ExportMessage {
	eventId: string;
	customerId: string;
	email: string;
	sentAt: string;
}

export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string>;

export interface OmetriaExport {
	file: string;
	csv: string;
	rows: number;
	counts: Record<ExportEventType, number>;
}

type Parsed = { ok: true; value: ExportRequest } | { ok: false; error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const isShare = (value: unknown): value is number =>
	typeof value === 'number' && value >= 0 && value <= 1;

/** Validates the control route's body; `defaultSeed` is the sandbox's seed. */
export function parseExportRequest(body: unknown, defaultSeed: number, now: Date): Parsed {
	const fail = (error: string): Parsed => ({ ok: false, error });
	if (!isRecord(body)) return fail('body must be an object');
	const { path, ometriaCampaignId, campaignName, eventType, channel, rates, seed, at } = body;
	if (typeof path !== 'string' || path === '')
		return fail('path: the directory to write the export file into');
	if (typeof ometriaCampaignId !== 'string' || ometriaCampaignId === '')
		return fail('ometriaCampaignId: a non-empty string');
	if (typeof eventType !== 'string' || eventType === '')
		return fail('eventType: the custom event type whose events are the messages');
	if (campaignName !== undefined && typeof campaignName !== 'string')
		return fail('campaignName: a string');
	if (channel !== undefined && !EXPORT_CHANNELS.includes(channel as ExportChannel))
		return fail(`channel: one of ${EXPORT_CHANNELS.join(', ')}`);
	if (seed !== undefined && !Number.isInteger(seed)) return fail('seed: an integer');
	const when = at === undefined ? now : new Date(typeof at === 'string' ? at : NaN);
	if (Number.isNaN(when.getTime())) return fail('at: an ISO 8601 time');
	if (rates !== undefined && !isRecord(rates)) return fail('rates: an object of shares');
	const merged: ExportRates = { ...DEFAULT_EXPORT_RATES };
	for (const [name, value] of Object.entries(rates ?? {})) {
		if (!(name in DEFAULT_EXPORT_RATES))
			return fail(`rates.${name}: unknown (${Object.keys(DEFAULT_EXPORT_RATES).join(', ')})`);
		if (!isShare(value)) return fail(`rates.${name}: a share from 0 to 1`);
		merged[name as RateName] = value;
	}
	// A message is delivered or bounces; only a delivered one is opened, only an opened one clicked.
	if (merged.delivery + merged.bounce > 1 + 1e-9)
		return fail('rates: delivery + bounce cannot exceed 1');
	if (merged.open > merged.delivery) return fail('rates: open cannot exceed delivery');
	if (merged.click > merged.open) return fail('rates: click cannot exceed open');
	if (merged.unsubscribe > merged.open) return fail('rates: unsubscribe cannot exceed open');
	return {
		ok: true,
		value: {
			path,
			ometriaCampaignId,
			campaignName: campaignName ?? ometriaCampaignId,
			eventType,
			channel: (channel as ExportChannel | undefined) ?? 'email',
			rates: merged,
			seed: (seed as number | undefined) ?? defaultSeed,
			at: when,
		},
	};
}

/** The received custom events of one type, as messages (customer id from the event's identity). */
export function messagesOf(
	events: Iterable<{ id: string; record: Record<string, unknown> }>,
	eventType: string,
	emailOf: (customerId: string) => string | undefined,
): ExportMessage[] {
	const messages: ExportMessage[] = [];
	for (const event of events) {
		const record = event.record;
		if (record.event_type !== eventType) continue;
		const accountId = record.identity_account_id;
		const identityEmail = typeof record.identity_email === 'string' ? record.identity_email : '';
		const customerId = typeof accountId === 'string' ? accountId : '';
		messages.push({
			eventId: event.id,
			customerId,
			email: identityEmail || (customerId && emailOf(customerId)) || '',
			sentAt: String(record.timestamp),
		});
	}
	return messages;
}

/** `ometria-export-<channel>-<YYYYMMDDHHmmss>.csv` in UTC. */
export function exportFileName(channel: ExportChannel, at: Date): string {
	const stamp = at
		.toISOString()
		.replace(/\.\d{3}Z$/, '')
		.replace(/[-:T]/g, '');
	return `ometria-export-${channel}-${stamp}.csv`;
}

/** The first `count` of a seeded shuffle of `items`. */
function sample<T>(items: readonly T[], count: number, random: Random): T[] {
	const shuffled = [...items];
	for (let index = shuffled.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[shuffled[index], shuffled[other]] = [shuffled[other], shuffled[index]];
	}
	return shuffled.slice(0, Math.min(count, shuffled.length));
}

const MINUTE = 60_000;

/** Rows of the export: a send per message, then each engagement for a seeded share of them. */
export function buildExportRows(messages: readonly ExportMessage[], request: ExportRequest) {
	const random = mulberry32(mixSeed(request.seed, hashString(request.ometriaCampaignId)));
	const total = messages.length;
	const countOf = (name: RateName) => Math.round(request.rates[name] * total);
	const latest = request.at.getTime();
	const rows: Array<ExportRow & { time: number }> = [];
	const add = (
		message: ExportMessage,
		eventType: ExportEventType,
		time: number,
		url = '',
	): number => {
		const bounded = Math.min(time, Math.max(latest, Date.parse(message.sentAt) || latest));
		rows.push({
			time: bounded,
			timestamp: new Date(bounded).toISOString(),
			event_type: eventType,
			channel: request.channel,
			campaign_id: request.ometriaCampaignId,
			campaign_name: request.campaignName,
			customer_id: message.customerId,
			email: message.email,
			message_id: `${request.ometriaCampaignId}-${message.eventId}`,
			url,
		});
		return bounded;
	};
	const sentAt = new Map<ExportMessage, number>();
	for (const message of messages)
		sentAt.set(message, add(message, 'send', Date.parse(message.sentAt) || latest));

	const delivered = sample(messages, countOf('delivery'), random);
	const deliveredSet = new Set(delivered);
	const bounced = sample(
		messages.filter((message) => !deliveredSet.has(message)),
		countOf('bounce'),
		random,
	);
	const deliveredAt = new Map<ExportMessage, number>();
	for (const message of delivered)
		deliveredAt.set(message, add(message, 'delivery', sentAt.get(message)! + MINUTE));
	for (const message of bounced) add(message, 'bounce', sentAt.get(message)! + MINUTE);
	const opened = sample(delivered, countOf('open'), random);
	const openedAt = new Map<ExportMessage, number>();
	for (const message of opened) {
		const after = randomInt(random, 5, 600) * MINUTE;
		openedAt.set(message, add(message, 'open', deliveredAt.get(message)! + after));
	}
	for (const message of sample(opened, countOf('click'), random))
		add(message, 'click', openedAt.get(message)! + randomInt(random, 1, 30) * MINUTE, CLICK_URL);
	for (const message of sample(opened, countOf('unsubscribe'), random))
		add(message, 'unsubscribe', openedAt.get(message)! + randomInt(random, 1, 60) * MINUTE);

	rows.sort((a, b) => a.time - b.time);
	return rows.map(({ time: _time, ...row }) => row);
}

function csvField(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 CSV with a header row. */
export function exportCsv(rows: readonly ExportRow[]): string {
	const lines = [EXPORT_COLUMNS.join(',')];
	for (const row of rows)
		lines.push(EXPORT_COLUMNS.map((column) => csvField(row[column])).join(','));
	return `${lines.join('\r\n')}\r\n`;
}

/** The whole export: file name, content and the count of rows per event type. */
export function buildOmetriaExport(
	messages: readonly ExportMessage[],
	request: ExportRequest,
): OmetriaExport {
	const rows = buildExportRows(messages, request);
	const counts = Object.fromEntries(EXPORT_EVENT_TYPES.map((type) => [type, 0])) as Record<
		ExportEventType,
		number
	>;
	for (const row of rows) counts[row.event_type as ExportEventType]++;
	return {
		file: exportFileName(request.channel, request.at),
		csv: exportCsv(rows),
		rows: rows.length,
		counts,
	};
}
