import { isRecord } from './http';

/**
 * The checks the Ometria stand-in applies while "processing" pushed records. Real Ometria reports
 * `{"error_message": "not a valid value", "error_path": "root > lastname"}` (docs); which checks it
 * runs is not published, so these follow the field formats in the notes.
 */

/** What the account has set up: records may only use these. */
export interface AccountSetup {
	customFields: ReadonlySet<string>;
	eventTypes: ReadonlySet<string>;
	lists: ReadonlyMap<string, unknown>;
	contact(id: string, collection?: string): unknown;
}

export interface RecordProblem {
	error_message: string;
	error_path: string;
}

export const RECORD_TYPES = ['contact', 'custom_event', 'order', 'product'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const MAX_RECORDS_PER_PUSH = 100;
/** 60 KB per record (Ometria docs), measured as the UTF-8 bytes of the record's JSON. */
export const MAX_RECORD_BYTES = 60 * 1024;
export const RECORD_TOO_LARGE = 'Payload invalid: Record is too large.';
export const MAX_EVENT_TYPE_LENGTH = 32;
export const MARKETING_OPTIN_VALUES = [
	'EXPLICITLY_OPTEDIN',
	'EXPLICITLY_OPTEDOUT',
	'NOT_SPECIFIED',
];

const NOT_VALID = 'not a valid value';
const REQUIRED = 'field required';

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_ZONE =
	/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

const problem = (path: string, message = NOT_VALID): RecordProblem => ({
	error_message: message,
	error_path: `root > ${path}`,
});

function isRealDate(isoDate: string): boolean {
	const time = Date.parse(`${isoDate}T00:00:00Z`);
	return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === isoDate;
}

/** ISO 8601 date-time with a zone (`Z`, `+00`, `+0000`, `+00:00`). */
export function isIsoDateTime(value: unknown): boolean {
	if (typeof value !== 'string' || !DATE_TIME_WITH_ZONE.test(value)) return false;
	return isRealDate(value.slice(0, 10));
}

/** ISO 8601 date-time with zone, or a bare `YYYY-MM-DD` date (allowed for contact timestamps). */
function isIsoTimestamp(value: unknown): boolean {
	if (typeof value === 'string' && DATE_ONLY.test(value)) return isRealDate(value);
	return isIsoDateTime(value);
}

const isNonEmptyString = (value: unknown): value is string =>
	typeof value === 'string' && value.trim() !== '';
const isId = (value: unknown) =>
	isNonEmptyString(value) || (typeof value === 'number' && Number.isFinite(value));
/** List ids are integers (`@add_to_lists: [8401]`), and the list must exist. */
function listProblem(
	field: string,
	value: unknown,
	account: AccountSetup,
): RecordProblem | undefined {
	if (!Array.isArray(value)) return problem(field);
	for (const id of value) {
		if (typeof id !== 'number' || !Number.isInteger(id)) return problem(field);
		if (!account.lists.has(String(id))) return problem(field, `list ${id} not found`);
	}
	return undefined;
}

export function validateContact(
	record: Record<string, unknown>,
	account: AccountSetup,
): RecordProblem | undefined {
	if (!isId(record.id)) return problem('id', record.id === undefined ? REQUIRED : NOT_VALID);
	if (record['@collection'] !== undefined && !isNonEmptyString(record['@collection']))
		return problem('@collection');
	const hasEmail = record.email !== undefined && record.email !== null;
	if (hasEmail && (typeof record.email !== 'string' || !EMAIL.test(record.email)))
		return problem('email');
	// A merge into a stored listing keeps that listing's identity (e.g. a segment removal).
	const stored =
		record['@merge'] === true &&
		account.contact(String(record.id), record['@collection'] as string | undefined) !== undefined;
	if (!hasEmail && !isId(record.customer_id) && !stored) return problem('email', REQUIRED);
	if (
		record.customer_id !== undefined &&
		record.customer_id !== null &&
		!isId(record.customer_id)
	) {
		return problem('customer_id');
	}
	for (const field of ['firstname', 'lastname', 'middlename', 'prefix']) {
		const value = record[field];
		if (value !== undefined && value !== null && typeof value !== 'string') return problem(field);
	}
	const phone = record.phone_number;
	if (phone !== undefined && phone !== null && (typeof phone !== 'string' || !E164.test(phone))) {
		return problem('phone_number');
	}
	const birth = record.date_of_birth;
	if (
		birth !== undefined &&
		birth !== null &&
		(typeof birth !== 'string' || !DATE_ONLY.test(birth) || !isRealDate(birth))
	) {
		return problem('date_of_birth');
	}
	const optin = record.marketing_optin;
	if (optin !== undefined && optin !== null && !MARKETING_OPTIN_VALUES.includes(optin as string)) {
		return problem('marketing_optin');
	}
	for (const field of ['timestamp_acquired', 'timestamp_subscribed', 'timestamp_unsubscribed']) {
		const value = record[field];
		if (value !== undefined && value !== null && !isIsoTimestamp(value)) return problem(field);
	}
	const country = record.country_id;
	if (
		country !== undefined &&
		country !== null &&
		(typeof country !== 'string' || !/^[A-Z]{2}$/.test(country))
	) {
		return problem('country_id');
	}
	const gender = record.gender;
	if (
		gender !== undefined &&
		gender !== null &&
		gender !== '' &&
		!['m', 'f', 'o'].includes(gender as string)
	) {
		return problem('gender');
	}
	for (const field of ['@add_to_lists', '@remove_from_lists']) {
		const listError =
			record[field] === undefined ? undefined : listProblem(field, record[field], account);
		if (listError) return listError;
	}
	for (const field of ['@merge', '@force_optin']) {
		if (record[field] !== undefined && typeof record[field] !== 'boolean') return problem(field);
	}
	if (record.properties !== undefined && !isRecord(record.properties)) return problem('properties');
	for (const field of Object.keys(record.properties ?? {})) {
		if (!account.customFields.has(field))
			return problem(`properties > ${field}`, 'custom field not defined');
	}
	if (record.channels !== undefined) {
		if (!isRecord(record.channels)) return problem('channels');
		for (const [channel, settings] of Object.entries(record.channels)) {
			if (!isRecord(settings)) return problem(`channels > ${channel}`);
			for (const flag of ['allow_marketing', 'allow_transactional']) {
				const value = settings[flag];
				if (value !== undefined && value !== null && typeof value !== 'boolean') {
					return problem(`channels > ${channel} > ${flag}`);
				}
			}
			for (const stamp of ['dt_updated_marketing', 'dt_updated_transactional']) {
				const value = settings[stamp];
				if (value !== undefined && value !== null && !isIsoDateTime(value)) {
					return problem(`channels > ${channel} > ${stamp}`);
				}
			}
		}
	}
	return undefined;
}

export function validateCustomEvent(
	record: Record<string, unknown>,
	account: AccountSetup,
): RecordProblem | undefined {
	if (!isId(record.id)) return problem('id', record.id === undefined ? REQUIRED : NOT_VALID);
	if (!isNonEmptyString(record.event_type)) {
		return problem('event_type', record.event_type === undefined ? REQUIRED : NOT_VALID);
	}
	if (record.event_type.length >= MAX_EVENT_TYPE_LENGTH) return problem('event_type');
	if (!account.eventTypes.has(record.event_type))
		return problem('event_type', 'event type not enabled for this account');
	if (record.timestamp === undefined) return problem('timestamp', REQUIRED);
	if (!isIsoDateTime(record.timestamp)) return problem('timestamp');
	const hasEmail = record.identity_email !== undefined && record.identity_email !== null;
	if (
		hasEmail &&
		(typeof record.identity_email !== 'string' || !EMAIL.test(record.identity_email))
	) {
		return problem('identity_email');
	}
	if (!hasEmail && !isId(record.identity_account_id)) return problem('identity_email', REQUIRED);
	if (record.properties !== undefined && !isRecord(record.properties)) return problem('properties');
	return undefined;
}

/** Orders and products are stored, not modelled: only their id is checked. */
export function validateOtherRecord(record: Record<string, unknown>): RecordProblem | undefined {
	return isId(record.id)
		? undefined
		: problem('id', record.id === undefined ? REQUIRED : NOT_VALID);
}

export function validateRecord(
	type: RecordType,
	record: Record<string, unknown>,
	account: AccountSetup,
): RecordProblem | undefined {
	if (type === 'contact') return validateContact(record, account);
	if (type === 'custom_event') return validateCustomEvent(record, account);
	return validateOtherRecord(record);
}
