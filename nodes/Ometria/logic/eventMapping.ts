import { createHash } from 'crypto';

import {
	canonicalInstant,
	checkDateTime,
	checkEmail,
	checkText,
	isBlank,
	isPlainObject,
	isSafeKey,
	type FieldError,
	type PlainObject,
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
 * The eight Annex Cloud loyalty events (docs/annex-cloud.md, "Webhooks"). Opt-in, point accrual and redemption use the event types
 * Ometria's Annex Cloud integration documents (the redemption one with its published capital A);
 * the other five follow the same `annex_` naming and must be enabled in Ometria under that name.
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
];

export function presetEventType(key: string): string | undefined {
	return LOYALTY_EVENT_PRESETS.find((preset) => preset.key === key)?.eventType;
}

export interface EventParameters {
	eventType?: unknown;
	/** The source system's ID for this event (a loyalty transaction or activity ID). */
	sourceEventId?: unknown;
	timestamp?: unknown;
	identityEmail?: unknown;
	identityAccountId?: unknown;
	profileId?: unknown;
	properties?: PlainObject;
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
}

/**
 * The event's Ometria `id`: a hash of the source event, so replaying or retrying the same source
 * event upserts the same Ometria event instead of adding a second one. The event type is part of
 * the hash because one source event may legitimately produce two event types. Without a source
 * ID the member and the source timestamp (as an instant, so `Z` and `+00:00` agree) identify it.
 */
export function deterministicEventId(source: EventIdSource): string {
	const parts = source.sourceEventId
		? ['source', source.eventType, source.sourceEventId]
		: [
				'member',
				source.eventType,
				(source.member ?? '').toLowerCase(),
				canonicalInstant(source.timestamp) ?? '',
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

export function buildEventRecord(parameters: EventParameters): MappingResult<EventRecord> {
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
		const checked = checkDateTime(parameters.timestamp, true);
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
		const checked = checkText(parameters.identityAccountId);
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
	});
	record.event_type = eventType;
	record.timestamp = timestamp;
	if (email) record.identity_email = email;
	if (accountId) record.identity_account_id = accountId;
	if (!isBlank(parameters.profileId)) record.profile_id = String(parameters.profileId).trim();
	if (Object.keys(flattened.properties).length) record.properties = flattened.properties;
	return { record: record as EventRecord, errors };
}
