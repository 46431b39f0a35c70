import { clearLoyaltyFields, type ClearedFieldOptions } from './clearedFields';
import {
	mapCustomProperties,
	mapLoyaltyPreset,
	type CustomProperty,
	type PresetOptions,
} from './loyaltyPreset';
import { isBlank, type PlainObject } from '../../shared/memberValues';
import {
	checkCalendarDate,
	checkDateTime,
	checkEmail,
	checkId,
	checkListIds,
	checkPhone,
	checkText,
	type Checked,
	type FieldError,
} from './values';

/** Turns one input item and the node's parameters into an Ometria `contact` push record. */

export const MARKETING_OPTIN_VALUES = [
	'EXPLICITLY_OPTEDIN',
	'EXPLICITLY_OPTEDOUT',
	'NOT_SPECIFIED',
] as const;
export type MarketingOptin = (typeof MARKETING_OPTIN_VALUES)[number];

export const DEFAULT_COLLECTION = 'loyalty';

export interface ContactParameters {
	/** Contact listing ID within the collection; must hold no personal data. */
	id?: unknown;
	collection?: string;
	merge?: boolean;
	email?: unknown;
	customerId?: unknown;
	prefix?: unknown;
	firstName?: unknown;
	middleName?: unknown;
	lastName?: unknown;
	phoneNumber?: unknown;
	dateOfBirth?: unknown;
	gender?: unknown;
	countryId?: unknown;
	timestampAcquired?: unknown;
	/** Empty: consent is not sent. */
	emailMarketing?: unknown;
	emailConsentTimestamp?: unknown;
	/** Sent only when on, and only with `emailMarketing`. */
	forceOptin?: boolean;
	/** `allow`, `deny`, or empty for "not sent". */
	smsMarketing?: unknown;
	smsConsentTimestamp?: unknown;
	addToSegments?: unknown;
	removeFromSegments?: unknown;
	/** Time zone of timestamps written without an offset (IANA name; default UTC). */
	timeZone?: string;
	/**
	 * Whether the record must carry something Ometria matches a profile on (email or customer ID,
	 * or phone with `matchOnPhone`). Off only for changes to a listing that already exists.
	 */
	requireIdentity?: boolean;
	/** The account matches profiles on phone numbers too. */
	matchOnPhone?: boolean;
	/** The loyalty preset reads the input item; `undefined` turns it off. */
	loyaltyPreset?: PresetOptions;
	/** How loyalty fields the item lists as cleared at the source reach Ometria (preset only). */
	clearedFields?: ClearedFieldOptions;
	customProperties?: CustomProperty[];
}

export interface ContactRecord extends PlainObject {
	'@type': 'contact';
	'@collection': string;
	id: string;
}

export interface MappingResult<T> {
	record?: T;
	errors: FieldError[];
}

const GENDERS = new Set(['m', 'f', 'o']);
const COUNTRY = /^[A-Z]{2}$/;

export function buildContactRecord(
	item: unknown,
	parameters: ContactParameters,
): MappingResult<ContactRecord> {
	const errors: FieldError[] = [];
	const record: PlainObject = { '@type': 'contact' };
	const zone = parameters.timeZone ?? 'utc';
	const preset = parameters.loyaltyPreset
		? mapLoyaltyPreset(item, { ...parameters.loyaltyPreset, timeZone: zone })
		: undefined;
	errors.push(...(preset?.errors ?? []));
	const fromPreset = preset?.contactFields ?? {};
	const pick = (own: unknown, presetValue: unknown) => (isBlank(own) ? presetValue : own);

	const set = (field: string, value: unknown, check: (value: unknown) => Checked<unknown>) => {
		if (isBlank(value)) return;
		const checked = check(value);
		if ('error' in checked) errors.push({ field, message: checked.error });
		else record[field] = checked.value;
	};

	const collection = isBlank(parameters.collection)
		? DEFAULT_COLLECTION
		: String(parameters.collection).trim();
	record['@collection'] = collection;

	const id = pick(parameters.id, fromPreset.id);
	if (isBlank(id)) {
		errors.push({ field: 'id', message: 'a contact needs an ID (e.g. the loyalty ID)' });
	} else {
		set('id', id, checkId);
	}
	set('customer_id', parameters.customerId, checkId);
	set('email', pick(parameters.email, fromPreset.email), checkEmail);
	set('prefix', parameters.prefix, checkText);
	set('firstname', pick(parameters.firstName, fromPreset.firstname), checkText);
	set('middlename', parameters.middleName, checkText);
	set('lastname', pick(parameters.lastName, fromPreset.lastname), checkText);
	set('phone_number', pick(parameters.phoneNumber, fromPreset.phone_number), checkPhone);
	set('date_of_birth', pick(parameters.dateOfBirth, fromPreset.date_of_birth), checkCalendarDate);
	set('gender', parameters.gender, (value) => {
		const gender = String(value).trim().toLowerCase();
		return GENDERS.has(gender)
			? { value: gender }
			: { error: `expected m, f or o, got "${String(value)}"` };
	});
	set('country_id', parameters.countryId, (value) => {
		const country = String(value).trim().toUpperCase();
		return COUNTRY.test(country)
			? { value: country }
			: { error: `expected an ISO 3166 alpha-2 code, got "${String(value)}"` };
	});
	set('timestamp_acquired', parameters.timestampAcquired, (value) =>
		checkDateTime(value, false, zone),
	);
	if (parameters.requireIdentity !== false) checkIdentity(parameters, record, errors);

	addEmailConsent(parameters, record, errors, zone);
	addSmsConsent(parameters, record, errors, zone);

	const addTo = segmentIds('@add_to_lists', parameters.addToSegments, errors);
	const removeFrom = segmentIds('@remove_from_lists', parameters.removeFromSegments, errors);
	const both = addTo.filter((segment) => removeFrom.includes(segment));
	if (both.length) {
		errors.push({
			field: '@add_to_lists',
			message: `segment ${both.join(', ')} is both added and removed`,
		});
	}
	if (addTo.length) record['@add_to_lists'] = addTo;
	if (removeFrom.length) record['@remove_from_lists'] = removeFrom;

	const custom = mapCustomProperties(parameters.customProperties ?? [], zone);
	errors.push(...custom.errors);
	const properties = { ...(preset?.properties ?? {}), ...custom.properties };
	if (Object.keys(properties).length) record.properties = properties;
	if (parameters.loyaltyPreset && parameters.clearedFields)
		clearLoyaltyFields(record, item, parameters.loyaltyPreset, parameters.clearedFields);

	record['@merge'] = parameters.merge ?? true;
	return errors.length ? { errors } : { record: record as ContactRecord, errors };
}

function segmentIds(field: string, value: unknown, errors: FieldError[]): number[] {
	const checked = checkListIds(value);
	if ('value' in checked) return checked.value;
	errors.push({ field, message: checked.error });
	return [];
}

/**
 * Ometria clusters listings into profiles by customer ID, then email (phone only where the
 * account is set up for it): a record with none of them would create a profile nobody can reach.
 */
function checkIdentity(parameters: ContactParameters, record: PlainObject, errors: FieldError[]) {
	if (record.email !== undefined || record.customer_id !== undefined) return;
	if (parameters.matchOnPhone && record.phone_number !== undefined) return;
	if (errors.some((error) => ['email', 'customer_id', 'phone_number'].includes(error.field)))
		return;
	errors.push({
		field: 'email',
		message: parameters.matchOnPhone
			? 'the contact has nothing Ometria can match a profile on: give an email, a customer ID or a phone number'
			: 'the contact has nothing Ometria can match a profile on: give an email or a customer ID',
	});
}

function addEmailConsent(
	parameters: ContactParameters,
	record: PlainObject,
	errors: FieldError[],
	zone: string,
): void {
	const optin = isBlank(parameters.emailMarketing)
		? undefined
		: String(parameters.emailMarketing).trim();
	if (optin === undefined) {
		if (parameters.forceOptin) {
			errors.push({
				field: '@force_optin',
				message: 'force opt-in needs an email marketing consent value',
			});
		}
		if (!isBlank(parameters.emailConsentTimestamp)) {
			errors.push({
				field: 'marketing_optin',
				message: 'a consent timestamp needs a consent value',
			});
		}
		return;
	}
	if (!(MARKETING_OPTIN_VALUES as readonly string[]).includes(optin)) {
		errors.push({
			field: 'marketing_optin',
			message: `expected ${MARKETING_OPTIN_VALUES.join(', ')}, got "${optin}"`,
		});
		return;
	}
	record.marketing_optin = optin;
	if (!isBlank(parameters.emailConsentTimestamp)) {
		const field =
			optin === 'EXPLICITLY_OPTEDOUT' ? 'timestamp_unsubscribed' : 'timestamp_subscribed';
		const checked = checkDateTime(parameters.emailConsentTimestamp, true, zone);
		if ('error' in checked) errors.push({ field, message: checked.error });
		else record[field] = checked.value;
	}
	if (parameters.forceOptin) record['@force_optin'] = true;
}

function addSmsConsent(
	parameters: ContactParameters,
	record: PlainObject,
	errors: FieldError[],
	zone: string,
): void {
	if (isBlank(parameters.smsMarketing)) {
		if (!isBlank(parameters.smsConsentTimestamp)) {
			errors.push({
				field: 'channels.sms.allow_marketing',
				message: 'a consent timestamp needs a consent value',
			});
		}
		return;
	}
	const value = String(parameters.smsMarketing).trim().toLowerCase();
	const allow =
		value === 'allow' || value === 'true'
			? true
			: value === 'deny' || value === 'false'
				? false
				: undefined;
	if (allow === undefined) {
		errors.push({
			field: 'channels.sms.allow_marketing',
			message: `expected allow or deny, got "${value}"`,
		});
		return;
	}
	const sms: PlainObject = { allow_marketing: allow };
	if (!isBlank(parameters.smsConsentTimestamp)) {
		const checked = checkDateTime(parameters.smsConsentTimestamp, true, zone);
		if ('error' in checked)
			errors.push({ field: 'channels.sms.dt_updated_marketing', message: checked.error });
		else sms.dt_updated_marketing = checked.value;
	}
	record.channels = { sms };
}
