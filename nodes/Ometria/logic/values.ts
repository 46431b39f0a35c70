import { DateTime } from 'luxon';

import { isBlank, isPlainObject } from '../../shared/memberValues';

/**
 * Value checks and conversions shared by the contact and event mappings. Every check answers
 * with either a value or a message; the callers attach the Ometria field path. What blank, an
 * object and a field path mean comes from the package's values module (shared/memberValues).
 */

/** A problem with one field of one record, named by its Ometria path (`properties.annex_x`). */
export interface FieldError {
	field: string;
	message: string;
}

export type Checked<T> = { value: T } | { error: string };

export function checkText(value: unknown): Checked<string> {
	if (typeof value === 'string') return { value: value.trim() };
	if (typeof value === 'number' && Number.isFinite(value)) return { value: String(value) };
	if (typeof value === 'boolean') return { value: String(value) };
	return { error: `expected text, got ${describe(value)}` };
}

export function checkInteger(value: unknown): Checked<number> {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		return { error: `expected a whole number, got ${describe(value)}` };
	}
	if (!Number.isInteger(number)) return { error: `expected a whole number, got ${number}` };
	return { value: number };
}

export function checkNumber(value: unknown): Checked<number> {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) {
		return { error: `expected a number, got ${describe(value)}` };
	}
	return { value: number };
}

export function checkBoolean(value: unknown): Checked<boolean> {
	if (typeof value === 'boolean') return { value };
	if (value === 'true' || value === 1 || value === '1') return { value: true };
	if (value === 'false' || value === 0 || value === '0') return { value: false };
	return { error: `expected true or false, got ${describe(value)}` };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Epoch values below this are read as seconds, above as milliseconds (year 5138 in seconds). */
const EPOCH_MS_THRESHOLD = 1e11;

function fromEpoch(value: number): DateTime {
	const ms = Math.abs(value) < EPOCH_MS_THRESHOLD ? value * 1000 : value;
	return DateTime.fromMillis(ms, { zone: 'utc' });
}

/** ISO text with an explicit offset; `Z` is written `+00:00` as in Ometria's examples. */
function isoWithOffset(dateTime: DateTime): string {
	const iso = dateTime.toISO({ suppressMilliseconds: true }) ?? '';
	return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
}

function parseDateTime(value: unknown, zone = 'utc'): DateTime | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return fromEpoch(value);
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	// Text without an offset is read in the zone the user chose, never the server's zone.
	let parsed: DateTime = DateTime.fromISO(text, { zone, setZone: true });
	if (!parsed.isValid) parsed = DateTime.fromSQL(text, { zone, setZone: true });
	if (!parsed.isValid && /^\d+$/.test(text)) parsed = fromEpoch(Number(text));
	return parsed.isValid ? parsed : undefined;
}

/** Whether `zone` is an IANA time zone (or `utc`) luxon knows. */
export function isKnownTimeZone(zone: string): boolean {
	return DateTime.now().setZone(zone).isValid;
}

/**
 * An ISO 8601 timestamp with offset. Accepts ISO text (with or without offset, `+0000` too),
 * `YYYY-MM-DD HH:mm:ss` and epoch seconds or milliseconds; text without an offset is read in
 * `zone`. A bare date stays a bare date unless `requireTime` asks for a full timestamp (then it is
 * midnight in `zone`).
 */
export function checkDateTime(value: unknown, requireTime = false, zone = 'utc'): Checked<string> {
	if (typeof value === 'string' && DATE_ONLY.test(value.trim()) && !requireTime) {
		return DateTime.fromISO(value.trim()).isValid
			? { value: value.trim() }
			: { error: `"${value}" is not a valid date` };
	}
	const parsed = parseDateTime(value, zone);
	if (!parsed) return { error: `expected an ISO 8601 date or timestamp, got ${describe(value)}` };
	return { value: isoWithOffset(parsed) };
}

/** A calendar date `YYYY-MM-DD`; a timestamp is cut to its date in its own offset. */
export function checkCalendarDate(value: unknown): Checked<string> {
	const parsed =
		typeof value === 'string' && DATE_ONLY.test(value.trim())
			? DateTime.fromISO(value.trim(), { zone: 'utc' })
			: parseDateTime(value);
	if (!parsed?.isValid) return { error: `expected a date as YYYY-MM-DD, got ${describe(value)}` };
	return { value: parsed.toISODate() ?? '' };
}

/** The instant of a timestamp in UTC, so `+0000`, `Z` and `+00:00` spellings compare equal. */
export function canonicalInstant(value: unknown): string | undefined {
	const parsed = parseDateTime(value);
	return parsed ? (parsed.toUTC().toISO() ?? undefined) : undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(value: unknown): Checked<string> {
	const text = checkText(value);
	if ('error' in text) return text;
	return EMAIL.test(text.value) ? text : { error: `"${text.value}" is not an email address` };
}

/** E.164: "+", a non-zero country digit, 8 to 15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;
/** `+44 (0)20 …`: the national trunk prefix written in brackets after the country code. */
const BRACKETED_TRUNK = /^(\+\d{1,3})[\s.-]*\(0\)/;
/** `+44 020 …`: a 0 right after a separated country code is a trunk prefix left in by mistake. */
const LOOSE_TRUNK = /^\+(\d{1,3})[\s.-]+0/;
/** Italy keeps its leading 0 in international numbers. */
const KEEPS_LEADING_ZERO = new Set(['39']);

/**
 * A phone number in E.164. Spaces, dots, dashes and brackets are removed, a bracketed trunk
 * prefix `(0)` after the country code is dropped and a leading `00` becomes `+`. A number that
 * cannot be made E.164 with certainty (no country code, a trunk 0 outside brackets, letters) is an
 * error naming why, never sent altered.
 */
export function checkPhone(value: unknown): Checked<string> {
	const text = checkText(value);
	if ('error' in text) return text;
	let written = text.value;
	if (written.startsWith('00')) written = `+${written.slice(2)}`;
	written = written.replace(BRACKETED_TRUNK, '$1');
	const looseTrunk = LOOSE_TRUNK.exec(written);
	if (looseTrunk && !KEEPS_LEADING_ZERO.has(looseTrunk[1])) {
		return {
			error: `"${text.value}" has a 0 after the country code; write it without the trunk 0, e.g. +442079460958`,
		};
	}
	const compact = written.replace(/[\s.\-()]/g, '');
	if (E164.test(compact)) return { value: compact };
	return {
		error: compact.startsWith('+')
			? `"${text.value}" is not an international (E.164) phone number such as +447700900123`
			: `"${text.value}" has no country code; an international (E.164) number such as +447700900123 is needed`,
	};
}

/** An email address anywhere in a text. */
const EMAIL_INSIDE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
/** An international phone number: `+` or `00` and 8 to 15 digits, separators allowed. */
const INTERNATIONAL_PHONE_INSIDE = /(?:\+|(?<!\d)00)[1-9](?:[\s().-]*\d){7,14}/;
/** A national number with a trunk 0, e.g. `07700 900123` or `020 7946 0958`. */
const NATIONAL_PHONE_INSIDE = /(?<!\d)0[1-9](?:[\s().-]?\d){8,9}(?!\d)/;

/**
 * Why an ID must not be sent: Ometria may expose IDs publicly, so none may hold an email address
 * or a phone number in international or national format. `undefined` when the ID is clean.
 */
export function personalDataInId(id: string): string | undefined {
	if (id.includes('@') || EMAIL_INSIDE.test(id)) {
		return `"${id}" contains an email address; IDs must not contain personal data`;
	}
	if (INTERNATIONAL_PHONE_INSIDE.test(id) || NATIONAL_PHONE_INSIDE.test(id)) {
		return `"${id}" contains a phone number; IDs must not contain personal data`;
	}
	return undefined;
}

/** A text ID without personal data. */
export function checkId(value: unknown): Checked<string> {
	const text = checkText(value);
	if ('error' in text) return text;
	const personal = personalDataInId(text.value);
	return personal ? { error: personal } : text;
}

export function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string')
		return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
	return String(value);
}

/** Segment IDs from a list, a comma-separated text or a single number. */
export function toIdList(value: unknown): string[] {
	if (isBlank(value)) return [];
	const parts = Array.isArray(value) ? value : String(value).split(',');
	const ids: string[] = [];
	for (const part of parts) {
		if (isBlank(part)) continue;
		const id = isPlainObject(part) ? String(part.id ?? part.value ?? '') : String(part).trim();
		if (id !== '' && !ids.includes(id)) ids.push(id);
	}
	return ids;
}

/** Ometria list (segment) IDs are integers: `"8401"` becomes 8401, anything else is an error. */
export function checkListIds(value: unknown): Checked<number[]> {
	const ids: number[] = [];
	for (const id of toIdList(value)) {
		if (!/^\d+$/.test(id)) return { error: `segment IDs are whole numbers, got "${id}"` };
		ids.push(Number(id));
	}
	return { value: ids };
}
