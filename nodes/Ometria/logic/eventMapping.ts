import { createHash } from 'crypto';

import { isBlank, isPlainObject, type PlainObject } from '../../shared/memberValues';
import { isSafeKey } from '../../shared/safeKeys';
import {
	canonicalInstant,
	checkDateTime,
	checkEmail,
	checkId,
	checkText,
	type FieldError,
} from './values';
import type { MappingResult } from './contactMapping';

/** Turns one input item and the node's parameters into an Ometria `custom_event` push record. */

/** Ometria truncates longer event types; the check keeps them under 32 characters. */
export const MAX_EVENT_TYPE_LENGTH = 31;
/** Ometria's limit for a text property of a custom event. */
export const MAX_PROPERTY_TEXT_LENGTH = 512;

export interface EventPreset {
	/** The Annex Cloud loyalty event. */
	key: string;
	/** The `event_type` Ometria receives. */
	eventType: string;
	description: string;
}

/**
 * The Annex Cloud loyalty events (docs/annex-cloud.md, "Webhooks") and the member and reward
 * events of its webhooks. Opt-in, point accrual and redemption use the event types
 * Ometria's Annex Cloud integration documents (the redemption one with its published capital A);
 * the others follow the same `annex_` naming and must be enabled in Ometria under that name.
 */
export const LOYALTY_EVENT_PRESETS: readonly EventPreset[] = [
	{
		key: 'loy_opt_in',
		eventType: 'annex_loy_opt_in',
		description: 'A member opts into the loyalty program',
	},
	{
		key: 'loy_point_accrual',
		eventType: 'annex_loy_point_accrual',
		description: 'A member earns points',
	},
	{
		key: 'loy_point_redeem',
		eventType: 'Annex_loy_point_redemption',
		description: 'A member redeems points',
	},
	{
		key: 'loy_opt_out',
		eventType: 'annex_loy_opt_out',
		description: 'A member opts out of the loyalty program',
	},
	{
		key: 'tier_upgrade',
		eventType: 'annex_tier_upgrade',
		description: "A member's tier is upgraded",
	},
	{
		key: 'tier_downgrade',
		eventType: 'annex_tier_downgrade',
		description: "A member's tier is downgraded",
	},
	{
		key: 'tier_anniversary',
		eventType: 'annex_tier_anniversary',
		description: 'A member completes a year in the same tier',
	},
	{
		key: 'close_to_tier_upgrade',
		eventType: 'annex_close_to_tier_upgrade',
		description: "A member's points are close to the next tier",
	},
	{
		key: 'user_created',
		eventType: 'annex_user_created',
		description: 'A loyalty member is created',
	},
	{
		key: 'user_updated',
		eventType: 'annex_user_updated',
		description: "A loyalty member's details change",
	},
	{
		key: 'reward_issued',
		eventType: 'annex_reward_issued',
		description: 'A reward is issued to a member',
	},
];

export function presetEventType(key: string): string | undefined {
	return LOYALTY_EVENT_PRESETS.find((preset) => preset.key === key)?.eventType;
}

/** An event more than 4 hours old does not start an Ometria automation. */
export const AUTOMATION_MAX_AGE_MS = 4 * 60 * 60 * 1000;
/** Ometria lets at most 1,000 contacts enter a flow at once … */
export const AUTOMATION_ENTRY_BATCH = 1000;
/** … and suggests batches of that size every 5 minutes. */
export const AUTOMATION_ENTRY_WINDOW_MINUTES = 5;
/** Where a moved event keeps the time it really happened. */
export const OCCURRED_AT_PROPERTY = 'occurred_at';

export interface EventParameters {
	eventType?: unknown;
	/** The source system's ID for this event (a loyalty transaction or activity ID). */
	sourceEventId?: unknown;
	timestamp?: unknown;
	identityEmail?: unknown;
	identityAccountId?: unknown;
	profileId?: unknown;
	properties?: PlainObject;
	/** Time zone of a timestamp written without an offset (default UTC). */
	timeZone?: string;
	/**
	 * The send time (ms) when the event is meant to start an automation: a timestamp more than
	 * 4 hours before it is replaced by it, and the real time kept in `properties.occurred_at`.
	 */
	automationSendTime?: number;
}

export interface EventMappingResult extends MappingResult<EventRecord> {
	warnings?: string[];
}

export interface EventRecord extends PlainObject {
	'@type': 'custom_event';
	id: string;
	event_type: string;
	timestamp: string;
}

export interface EventIdSource {
	eventType: string;
	sourceEventId?: string;
	/** Account ID or email of the member, used with the timestamp when there is no source ID. */
	member?: string;
	timestamp?: string;
	/** The event's properties: two different events of one member in one second differ here. */
	properties?: PlainObject;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (isPlainObject(value)) {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * The event's Ometria `id`: a hash of the source event, so replaying or retrying the same source
 * event upserts the same Ometria event instead of adding a second one. The event type is part of
 * the hash because one source event may legitimately produce two event types. Without a source
 * ID the member, the source timestamp (as an instant, so `Z` and `+00:00` agree) and the
 * properties identify it: two different events in the same second get different IDs.
 */
export function deterministicEventId(source: EventIdSource): string {
	const parts = source.sourceEventId
		? ['source', source.eventType, source.sourceEventId]
		: [
				'member',
				source.eventType,
				(source.member ?? '').toLowerCase(),
				canonicalInstant(source.timestamp) ?? '',
				canonicalJson(source.properties ?? {}),
			];
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * Flattens nested objects into `parent_child` keys: Ometria cannot segment on nested properties.
 * Lists of text or numbers stay lists (product ID lists); lists of objects are an error.
 */
export function flattenProperties(properties: PlainObject): {
	properties: PlainObject;
	errors: FieldError[];
} {
	const flat: PlainObject = {};
	const errors: FieldError[] = [];
	const visit = (value: unknown, path: string[]) => {
		const field = `properties.${path.join('_')}`;
		if (isPlainObject(value)) {
			for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
			return;
		}
		const key = path.join('_');
		if (!isSafeKey(key)) {
			errors.push({ field, message: 'this property name is not allowed' });
			return;
		}
		if (value === undefined || value === null) return;
		if (Array.isArray(value)) {
			if (value.some((entry) => typeof entry === 'object' && entry !== null)) {
				errors.push({ field, message: 'a list property may hold text or numbers only' });
				return;
			}
			flat[key] = value;
			return;
		}
		if (typeof value === 'string' && value.length > MAX_PROPERTY_TEXT_LENGTH) {
			errors.push({
				field,
				message: `text is ${value.length} characters, Ometria keeps at most 512`,
			});
			return;
		}
		flat[key] = value;
	};
	for (const [key, value] of Object.entries(properties)) visit(value, [key]);
	return { properties: flat, errors };
}

export function buildEventRecord(parameters: EventParameters): EventMappingResult {
	const errors: FieldError[] = [];
	const record: PlainObject = { '@type': 'custom_event' };

	const eventType = isBlank(parameters.eventType) ? '' : String(parameters.eventType).trim();
	if (eventType === '') errors.push({ field: 'event_type', message: 'an event type is required' });
	else if (eventType.length > MAX_EVENT_TYPE_LENGTH) {
		errors.push({
			field: 'event_type',
			message: `"${eventType}" is ${eventType.length} characters; Ometria needs under 32`,
		});
	}

	let timestamp: string | undefined;
	if (isBlank(parameters.timestamp)) {
		errors.push({ field: 'timestamp', message: 'the time the event happened is required' });
	} else {
		const checked = checkDateTime(parameters.timestamp, true, parameters.timeZone ?? 'utc');
		if ('error' in checked) errors.push({ field: 'timestamp', message: checked.error });
		else timestamp = checked.value;
	}

	let email: string | undefined;
	if (!isBlank(parameters.identityEmail)) {
		const checked = checkEmail(parameters.identityEmail);
		if ('error' in checked) errors.push({ field: 'identity_email', message: checked.error });
		else email = checked.value;
	}
	let accountId: string | undefined;
	if (!isBlank(parameters.identityAccountId)) {
		const checked = checkId(parameters.identityAccountId);
		if ('error' in checked) errors.push({ field: 'identity_account_id', message: checked.error });
		else accountId = checked.value;
	}
	if (isBlank(parameters.identityEmail) && isBlank(parameters.identityAccountId)) {
		errors.push({
			field: 'identity_email',
			message: 'an event needs the member: an email or an account ID',
		});
	}

	let sourceEventId: string | undefined;
	if (!isBlank(parameters.sourceEventId)) {
		const checked = checkText(parameters.sourceEventId);
		if ('error' in checked)
			errors.push({ field: 'id', message: `source event ID: ${checked.error}` });
		else sourceEventId = checked.value;
	}

	const flattened = flattenProperties(parameters.properties ?? {});
	errors.push(...flattened.errors);
	if (errors.length) return { errors };

	record.id = deterministicEventId({
		eventType,
		sourceEventId,
		member: accountId ?? email,
		timestamp,
		properties: flattened.properties,
	});
	record.event_type = eventType;
	record.timestamp = timestamp;
	if (email) record.identity_email = email;
	if (accountId) record.identity_account_id = accountId;
	if (!isBlank(parameters.profileId)) record.profile_id = String(parameters.profileId).trim();
	const warnings: string[] = [];
	const sendTime = parameters.automationSendTime;
	if (
		sendTime !== undefined &&
		sendTime - Date.parse(timestamp as string) > AUTOMATION_MAX_AGE_MS
	) {
		// Ometria ignores back-dated events for automations: send "now", keep the real time.
		flattened.properties[OCCURRED_AT_PROPERTY] = timestamp;
		record.timestamp = isoInstant(sendTime);
		warnings.push(
			`the event happened at ${timestamp}, more than 4 hours ago, so it is sent with the send time and its real time in properties.${OCCURRED_AT_PROPERTY}: Ometria starts no automation for older events`,
		);
	}
	if (Object.keys(flattened.properties).length) record.properties = flattened.properties;
	return { record: record as EventRecord, errors, ...(warnings.length ? { warnings } : {}) };
}

/** Milliseconds as ISO text with `+00:00`, the way the node writes every timestamp. */
export function isoInstant(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

/**
 * Spreads automation-starting events so that no more than `batchSize` of one event type share
 * one entry window: the k-th event of a type (in input order) enters no earlier than
 * `sendTime + floor(k / batchSize) × window`. Ometria starts a future-dated event's flow at its
 * timestamp. Answers, per event moved, its new timestamp (the others keep theirs).
 */
export function spreadEntryTimes(
	events: ReadonlyArray<{ eventType: string; timestamp: string }>,
	sendTime: number,
	batchSize = AUTOMATION_ENTRY_BATCH,
	windowMinutes = AUTOMATION_ENTRY_WINDOW_MINUTES,
): Array<string | undefined> {
	const seen = new Map<string, number>();
	return events.map(({ eventType, timestamp }) => {
		const position = seen.get(eventType) ?? 0;
		seen.set(eventType, position + 1);
		const slot = Math.floor(position / Math.max(1, batchSize));
		if (slot === 0) return undefined;
		const entryAt = sendTime + slot * windowMinutes * 60_000;
		return Date.parse(timestamp) >= entryAt ? undefined : isoInstant(entryAt);
	});
}
