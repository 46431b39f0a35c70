import { DateTime } from 'luxon';

import { isPlainObject } from '../../shared/memberValues';
import { describe, type Checked } from './values';

/**
 * Unsubscribes recorded by Ometria itself (preference centre, unsubscribe links, SMS stop words),
 * as `GET /v2/unsubscribes` lists them, turned into the channels Segment Build's unsubscribe
 * guardrail reads. Unsubscribes written through the API are not listed by Ometria.
 */

export type UnsubscribeChannel = 'email' | 'sms' | 'all';

/** The documented types: four for email, two SMS stop-word types. */
export const UNSUBSCRIBE_TYPE_CHANNELS: Readonly<Record<string, UnsubscribeChannel>> = {
	preferences_centre: 'email',
	app: 'email',
	list_unsubscribe: 'email',
	link_unsubscribe: 'email',
	stopword_unsubscribe_TF: 'sms',
	stopword_unsubscribe_DO: 'sms',
};

/** What an undocumented type blocks: every channel (the safe default), email only, or nothing. */
export type UnknownTypeRule = 'all' | 'email' | 'ignore';

export function channelOfUnsubscribe(
	type: string,
	unknown: UnknownTypeRule = 'all',
): UnsubscribeChannel | undefined {
	const known = UNSUBSCRIBE_TYPE_CHANNELS[type];
	if (known) return known;
	return unknown === 'ignore' ? undefined : unknown;
}

export interface Unsubscribe {
	email: string;
	profileId: string | null;
	type: string;
	channel: UnsubscribeChannel | null;
	timestamp: string | null;
	reason: string | null;
}

const text = (value: unknown): string | null =>
	typeof value === 'string' && value.trim() !== ''
		? value.trim()
		: typeof value === 'number'
			? String(value)
			: null;

/** The list in the answer: an array, or an object holding one under `data` or `unsubscribes`. */
export function unsubscribeList(body: unknown): unknown[] | undefined {
	if (Array.isArray(body)) return body;
	if (!isPlainObject(body)) return undefined;
	const inner = [body.data, body.unsubscribes, body.results].find(Array.isArray);
	return inner as unknown[] | undefined;
}

/** One entry as documented (`email_address, profile_id, type, timestamp, reason`). */
export function normalizeUnsubscribe(raw: unknown, unknown: UnknownTypeRule): Unsubscribe | null {
	if (!isPlainObject(raw)) return null;
	const email = text(raw.email_address ?? raw.email);
	if (email === null) return null;
	const type = text(raw.type) ?? '';
	return {
		email: email.toLowerCase(),
		profileId: text(raw.profile_id),
		type,
		channel: channelOfUnsubscribe(type, unknown) ?? null,
		timestamp: text(raw.timestamp),
		reason: text(raw.reason),
	};
}

/** Lower-case email → channels, the shape a lookup in a Set or Code node wants. */
export function channelsByEmail(unsubscribes: readonly Unsubscribe[]): Record<string, string[]> {
	const byEmail: Record<string, string[]> = {};
	for (const entry of unsubscribes) {
		if (entry.channel === null) continue;
		const channels = (byEmail[entry.email] ??= []);
		if (!channels.includes(entry.channel)) channels.push(entry.channel);
	}
	return byEmail;
}

/**
 * A time as the endpoint's `since` and `before` take it: `YYYY-MM-DDTHH:MM:SS` in UTC. Text
 * without an offset is read in `zone`; a bare date is its midnight there.
 */
export function unsubscribeTime(value: unknown, zone: string): Checked<string> {
	const raw = value instanceof Date ? value.toISOString() : value;
	if (typeof raw !== 'string' || raw.trim() === '') {
		return { error: `expected a date or timestamp, got ${describe(value)}` };
	}
	let parsed = DateTime.fromISO(raw.trim(), { zone, setZone: true });
	if (!parsed.isValid) parsed = DateTime.fromSQL(raw.trim(), { zone, setZone: true });
	if (!parsed.isValid) return { error: `expected a date or timestamp, got ${describe(value)}` };
	return { value: parsed.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss") };
}
