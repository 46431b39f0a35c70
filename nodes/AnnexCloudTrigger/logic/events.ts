/**
 * Normalises events posted by Annex Cloud's webhook module. The payload schema is not public
 * (docs/annex-cloud.md, "Webhooks"), so every field is read from a list of candidate field paths
 * (the package's one path dialect, shared/memberValues) the user can change, and the output has
 * one fixed shape whatever the sender's shape was.
 */

import { createHash } from 'crypto';

import { isPlainObject, readFieldPath } from '../../shared/memberValues';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The eight loyalty events marketing tools receive and the native webhook examples (docs/annex-cloud.md). */
export const LOYALTY_EVENTS = [
	'loy_opt_in',
	'loy_point_accrual',
	'loy_point_redeem',
	'loy_opt_out',
	'tier_upgrade',
	'tier_downgrade',
	'tier_anniversary',
	'close_to_tier_upgrade',
] as const;
export const ACCOUNT_EVENTS = ['user_created', 'user_updated', 'reward_issued'] as const;
export const KNOWN_EVENTS: readonly string[] = [...LOYALTY_EVENTS, ...ACCOUNT_EVENTS];

/** Spellings seen in ESP integrations and the webhook admin page, mapped to one name each. */
const ALIASES: Record<string, string> = {
	loy_point_redemption: 'loy_point_redeem',
	loy_points_redeem: 'loy_point_redeem',
	loy_points_accrual: 'loy_point_accrual',
	loy_optin: 'loy_opt_in',
	loy_optout: 'loy_opt_out',
	opt_in: 'loy_opt_in',
	opt_out: 'loy_opt_out',
	user_creation: 'user_created',
	user_create: 'user_created',
	user_update: 'user_updated',
	reward_issue: 'reward_issued',
	tier_upgraded: 'tier_upgrade',
	tier_downgraded: 'tier_downgrade',
};

/**
 * `Annex_loy_point_redemption`, `annex_loy_opt_in`, `User Creation`, `tier-upgrade` → the
 * canonical snake-case name (`loy_point_redeem`, `loy_opt_in`, `user_created`, `tier_upgrade`).
 */
export function canonicalEventName(name: string): string {
	const snake = name
		.trim()
		.toLowerCase()
		.replace(/[\s.-]+/g, '_')
		.replace(/^annex_(?=loy_|tier_|close_|user_|reward_)/, '');
	return ALIASES[snake] ?? snake;
}

export interface FieldPaths {
	eventName: string[];
	eventId: string[];
	memberId: string[];
	email: string[];
	occurredAt: string[];
	points: string[];
	tier: string[];
}

/** Used when a field's setting is left empty; the node shows these as the parameter defaults. */
export const DEFAULT_FIELD_PATHS: FieldPaths = {
	eventName: ['event', 'eventName', 'event_name', 'eventType', 'event_type', 'type'],
	eventId: ['eventId', 'event_id', 'eventID', 'Event ID', 'id'],
	memberId: [
		'memberId',
		'member_id',
		'member.id',
		'userId',
		'user_id',
		'user.id',
		'data.memberId',
		'data.userId',
		'data.id',
		'id',
	],
	email: ['email', 'member.email', 'user.email', 'data.email', 'emailAddress'],
	occurredAt: [
		'occurredAt',
		'occurred_at',
		'timestamp',
		'eventTime',
		'event_time',
		'createdAt',
		'created_at',
		'createDate',
		'data.createDate',
		'date',
	],
	points: ['points', 'data.points', 'credit', 'debit', 'data.credit', 'data.debit', 'pointsEarned'],
	tier: [
		'tier',
		'tierName',
		'currentTier',
		'newTier',
		'member.tier',
		'member.currentTier',
		'data.tier',
		'data.currentTier',
	],
};

/** `"event, data.type"` → `['event', 'data.type']`. */
export function parsePathList(setting: string | undefined, fallback: string[]): string[] {
	const paths = (setting ?? '')
		.split(',')
		.map((path) => path.trim())
		.filter((path) => path !== '');
	return paths.length ? paths : fallback;
}

function present(value: Json | undefined): boolean {
	return value !== undefined && value !== null && value !== '' && typeof value !== 'object';
}

/** The first path that holds a scalar, and its value. */
export function firstScalar(
	source: unknown,
	paths: string[],
): { path: string; value: Json } | undefined {
	for (const path of paths) {
		const value = readFieldPath(source, path) as Json | undefined;
		if (present(value)) return { path, value: value as Json };
	}
	return undefined;
}

export interface NormalizedEvent {
	/** Canonical name (`loy_point_redeem`), or '' when the payload carries none. */
	eventName: string;
	/** The name as sent. */
	eventNameReceived: string;
	/** The payload's own ID, else one derived from the event's content (see contentEventId). */
	eventId: string;
	/** Where `eventId` came from. */
	eventIdSource: 'payload' | 'content';
	memberId: string | null;
	email: string | null;
	/** ISO date; the time n8n received it when the payload has none. */
	occurredAt: string;
	points: number | null;
	tier: string | null;
	receivedAt: string;
	payload: Json;
}

function toIso(value: Json | undefined): string | undefined {
	if (
		value === undefined ||
		value === null ||
		typeof value === 'object' ||
		typeof value === 'boolean'
	)
		return undefined;
	let ms: number;
	if (typeof value === 'number' || /^\d+$/.test(value)) {
		const number = Number(value);
		ms = number < 1e12 ? number * 1000 : number;
	} else {
		ms = Date.parse(value.replace(/ (?=\d{2}:)/, 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
	}
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function toNumber(value: Json | undefined): number | null {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
		return Number(value);
	return null;
}

export function normalizeEvent(
	payload: Json,
	paths: FieldPaths,
	receivedAt: number,
): NormalizedEvent {
	const name = firstScalar(payload, paths.eventName);
	const member = firstScalar(payload, paths.memberId);
	// A top-level `id` is the member's in a flat payload; it is the event's only if the member id
	// was found elsewhere.
	const eventId = firstScalar(
		payload,
		paths.eventId.filter((path) => path !== member?.path),
	);
	const received = new Date(receivedAt).toISOString();
	const tier = firstScalar(payload, paths.tier);
	const email = firstScalar(payload, paths.email);
	return {
		eventName: name ? canonicalEventName(String(name.value)) : '',
		eventNameReceived: name ? String(name.value) : '',
		eventId: eventId ? String(eventId.value) : contentEventId(payload),
		eventIdSource: eventId ? 'payload' : 'content',
		memberId: member ? String(member.value) : null,
		email: email ? String(email.value) : null,
		occurredAt: toIso(firstScalar(payload, paths.occurredAt)?.value) ?? received,
		points: toNumber(firstScalar(payload, paths.points)?.value),
		tier: tier ? String(tier.value) : null,
		receivedAt: received,
		payload,
	};
}

/** JSON with object keys sorted at every level, so equal content gives equal text. */
function canonicalJson(value: Json): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const keys = Object.keys(value).sort();
		return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * The ID of an event that carries none: a hash of its content, whatever the key order, so a
 * repeated delivery is recognised. Two events with identical content count as one.
 */
export function contentEventId(payload: Json): string {
	return `content-${createHash('sha256').update(canonicalJson(payload)).digest('hex').slice(0, 32)}`;
}

/**
 * A delivery holds one event, an array of events, or `{ events: [...] }` (batching is not
 * documented, so all three are read).
 */
export function eventsOfBody(body: Json, eventNamePaths: string[]): Json[] {
	if (Array.isArray(body)) return body;
	if (isPlainObject(body) && Array.isArray(body.events) && !firstScalar(body, eventNamePaths)) {
		return body.events;
	}
	return [body];
}

/** `*` passes everything; otherwise the canonical names of the chosen and typed-in events. */
export function eventFilter(selected: string[], custom: string[]): (eventName: string) => boolean {
	if (selected.includes('*')) return () => true;
	const wanted = new Set(
		[...selected, ...custom].map(canonicalEventName).filter((name) => name !== ''),
	);
	return (eventName) => wanted.has(canonicalEventName(eventName));
}
