import { isBlank, isPlainObject, readFieldPath, type PlainObject } from '../../shared/memberValues';
import { isSafeKey } from '../../shared/safeKeys';
import {
	checkBoolean,
	checkDateTime,
	checkInteger,
	checkNumber,
	checkText,
	type FieldError,
} from './values';

/**
 * The loyalty fields of the Annex Cloud loyalty field list (docs/annex-cloud.md) and where they go in an Ometria
 * contact. Each field is read from the input item under its source name, by default the name the
 * Annex Cloud node's loyalty profile uses (`availablePoints`, `currentTier`, …), and written to
 * the custom field ID Ometria documents for its Annex Cloud integration (`annex_available_points`,
 * `annex_current_tier`, …) with that field's documented type.
 *
 * Seven fields of the list are standard contact fields (identity, names, phone, birthday). They
 * fill the record only where the node's own parameters are left empty.
 *
 * Five fields have no custom field in Ometria's default set (zip code, hold points, tier achieved
 * date, first and last purchase date). They get `annex_`-style IDs, are sent only when
 * `includeUndocumented` is on, and need a custom field of that ID created in Ometria first.
 */

export type PropertyType = 'string' | 'integer' | 'number' | 'date' | 'boolean' | 'auto';

export type ContactFieldKey =
	| 'id'
	| 'email'
	| 'firstname'
	| 'lastname'
	| 'phone_number'
	| 'date_of_birth';

export interface PresetField {
	/** The canonical name, which is also the default source field name. */
	key: string;
	/** Annex Cloud's name for the field in its field list. */
	label: string;
	/** An Ometria custom field ID (`properties.<target>`) … */
	property?: string;
	/** … or a standard contact field. */
	contactField?: ContactFieldKey;
	type: PropertyType;
	/** False for the five fields without a custom field in Ometria's default Annex Cloud set. */
	documented: boolean;
}

export const ANNEX_LOYALTY_FIELDS: readonly PresetField[] = [
	{
		key: 'loyaltyId',
		label: 'Loyalty ID',
		property: 'annex_loyalty_id',
		type: 'string',
		documented: true,
	},
	{
		key: 'firstName',
		label: 'First Name',
		contactField: 'firstname',
		type: 'string',
		documented: true,
	},
	{
		key: 'lastName',
		label: 'Last Name',
		contactField: 'lastname',
		type: 'string',
		documented: true,
	},
	{ key: 'email', label: 'Email Address', contactField: 'email', type: 'string', documented: true },
	{
		key: 'activeStatus',
		label: 'Active Status',
		property: 'annex_active_status',
		type: 'string',
		documented: true,
	},
	{
		key: 'birthDate',
		label: 'Birthday',
		contactField: 'date_of_birth',
		type: 'string',
		documented: true,
	},
	{
		key: 'anniversaryDate',
		label: 'Loyalty Anniversary Date',
		property: 'annex_loyalty_anniversary_date',
		type: 'date',
		documented: true,
	},
	{
		key: 'phone',
		label: 'Phone No',
		contactField: 'phone_number',
		type: 'string',
		documented: true,
	},
	{
		key: 'zipCode',
		label: 'Zip Code',
		property: 'annex_zip_code',
		type: 'string',
		documented: false,
	},
	{
		key: 'optInStatus',
		label: 'Opt-in Status',
		property: 'annex_user_opt_in_status',
		type: 'string',
		documented: true,
	},
	{
		key: 'optInDate',
		label: 'Opt-in Date',
		property: 'annex_opt_in_date',
		type: 'date',
		documented: true,
	},
	// Ometria documents available and earned points as String fields, used and expired as Integer.
	{
		key: 'availablePoints',
		label: 'Available Points',
		property: 'annex_available_points',
		type: 'string',
		documented: true,
	},
	{
		key: 'earnedPoints',
		label: 'Earned Points',
		property: 'annex_earned_points',
		type: 'string',
		documented: true,
	},
	{
		key: 'usedPoints',
		label: 'Used Points',
		property: 'annex_used_points',
		type: 'integer',
		documented: true,
	},
	{
		key: 'holdPoints',
		label: 'Hold Points',
		property: 'annex_hold_points',
		type: 'integer',
		documented: false,
	},
	{
		key: 'nextExpiringPoints',
		label: 'Next Expiring Points',
		property: 'annex_next_expiring_points',
		type: 'integer',
		documented: true,
	},
	{
		key: 'pointsExpirationDate',
		label: 'Points Expiration Date',
		property: 'annex_points_expiration_date',
		type: 'date',
		documented: true,
	},
	{
		key: 'expiredPoints',
		label: 'Expired Points',
		property: 'annex_expired_points',
		type: 'integer',
		documented: true,
	},
	{
		key: 'currentTier',
		label: 'Current Tier',
		property: 'annex_current_tier',
		type: 'string',
		documented: true,
	},
	{
		key: 'nextTier',
		label: 'Next Tier',
		property: 'annex_next_tier',
		type: 'string',
		documented: true,
	},
	{
		key: 'pointsToNextTier',
		label: 'Points Req For Next Tier',
		property: 'annex_points_req_for_next_tier',
		type: 'integer',
		documented: true,
	},
	{
		key: 'tierAchievedDate',
		label: 'Tier Achieve Date',
		property: 'annex_tier_achieved_date',
		type: 'date',
		documented: false,
	},
	{
		key: 'availableRewards',
		label: 'Available Rewards',
		property: 'annex_available_rewards1',
		type: 'string',
		documented: true,
	},
	{
		key: 'pointsToNextReward',
		label: 'Points Req For Next Reward',
		property: 'annex_points_req_for_next_reward',
		type: 'integer',
		documented: true,
	},
	{
		key: 'highestAvailableReward',
		label: 'Highest Available Reward',
		property: 'annex_highest_available_reward1',
		type: 'string',
		documented: true,
	},
	{
		key: 'firstActivityDate',
		label: 'First Loyalty Activity Date',
		property: 'annex_first_activity',
		type: 'date',
		documented: true,
	},
	{
		key: 'lastActivityDate',
		label: 'Last Loyalty Activity Date',
		property: 'annex_last_activity_date',
		type: 'date',
		documented: true,
	},
	{
		key: 'firstPurchaseDate',
		label: 'First Purchase Date',
		property: 'annex_first_purchase_date',
		type: 'date',
		documented: false,
	},
	{
		key: 'lastPurchaseDate',
		label: 'Last Purchase Date',
		property: 'annex_last_purchase_date',
		type: 'date',
		documented: false,
	},
];

/** The contact listing ID comes from the loyalty ID when the node leaves it empty: it holds no PII. */
const CONTACT_ID_SOURCE = 'loyaltyId';

export interface PresetOptions {
	/** Source field name per canonical key, e.g. `{ availablePoints: 'points.available' }`. */
	sourceFields?: Record<string, string>;
	/** Canonical keys not to send. */
	exclude?: string[];
	/** Also send the five fields without a default Ometria custom field. */
	includeUndocumented?: boolean;
	/** Time zone of dates written without an offset (default UTC). */
	timeZone?: string;
}

export interface PresetResult {
	properties: PlainObject;
	/** Standard contact fields found in the item, used where the node's parameters are empty. */
	contactFields: Partial<Record<ContactFieldKey, unknown>>;
	errors: FieldError[];
}

export function sourceFieldOf(field: PresetField, options: PresetOptions): string {
	const override = options.sourceFields?.[field.key];
	return override !== undefined && override.trim() !== '' ? override.trim() : field.key;
}

/** Reads the loyalty fields of one input item and converts them to the Ometria field types. */
export function mapLoyaltyPreset(item: unknown, options: PresetOptions = {}): PresetResult {
	const result: PresetResult = { properties: {}, contactFields: {}, errors: [] };
	const excluded = new Set(options.exclude ?? []);
	const known = new Set(ANNEX_LOYALTY_FIELDS.map((field) => field.key));
	for (const key of [...excluded, ...Object.keys(options.sourceFields ?? {})]) {
		if (!known.has(key)) {
			result.errors.push({
				field: 'loyaltyPreset',
				message: `unknown loyalty field "${key}"; known fields: ${[...known].join(', ')}`,
			});
		}
	}
	for (const field of ANNEX_LOYALTY_FIELDS) {
		if (excluded.has(field.key)) continue;
		if (!field.documented && !options.includeUndocumented) continue;
		const value = readFieldPath(item, sourceFieldOf(field, options));
		if (isBlank(value)) continue;
		if (field.contactField) {
			result.contactFields[field.contactField] = value;
			continue;
		}
		const property = field.property as string;
		const converted = convertProperty(value, field.type, options.timeZone);
		if ('error' in converted) {
			result.errors.push({ field: `properties.${property}`, message: converted.error });
		} else {
			result.properties[property] = converted.value;
		}
	}
	if (!excluded.has(CONTACT_ID_SOURCE)) {
		const id = readFieldPath(item, sourceFieldOf(ANNEX_LOYALTY_FIELDS[0], options));
		if (!isBlank(id)) result.contactFields.id = id;
	}
	return result;
}

/** Reward lists arrive as text ("$5 Reward | $10 Reward") or as a list of names or reward objects. */
function joinList(values: unknown[]): string | undefined {
	const names: string[] = [];
	for (const value of values) {
		if (isPlainObject(value)) {
			const name = value.name ?? value.rewardName ?? value.title ?? value.displayText;
			if (typeof name !== 'string') return undefined;
			names.push(name);
		} else if (typeof value === 'string' || typeof value === 'number') {
			names.push(String(value));
		} else {
			return undefined;
		}
	}
	return names.join(' | ');
}

/** Converts one value to the type of its custom field; dates leave as ISO 8601. */
export function convertProperty(
	value: unknown,
	type: PropertyType,
	timeZone = 'utc',
): { value: unknown } | { error: string } {
	switch (type) {
		case 'string': {
			if (Array.isArray(value)) {
				const joined = joinList(value);
				return joined === undefined
					? { error: 'expected text or a list of names' }
					: { value: joined };
			}
			return checkText(value);
		}
		case 'integer':
			return checkInteger(value);
		case 'number':
			return checkNumber(value);
		case 'date':
			return checkDateTime(value, false, timeZone);
		case 'boolean':
			return checkBoolean(value);
		case 'auto':
			if (Array.isArray(value) || isPlainObject(value)) {
				return { error: 'expected a single value; custom contact fields hold no lists or objects' };
			}
			return { value };
	}
}

export interface CustomProperty {
	fieldId: string;
	value: unknown;
	type?: PropertyType;
}

/** The user's own field mappings, added after the preset so they can override a preset field. */
export function mapCustomProperties(
	entries: CustomProperty[],
	timeZone = 'utc',
): {
	properties: PlainObject;
	errors: FieldError[];
} {
	const properties: PlainObject = {};
	const errors: FieldError[] = [];
	for (const entry of entries) {
		const fieldId = (entry.fieldId ?? '').trim();
		if (fieldId === '') {
			if (!isBlank(entry.value))
				errors.push({ field: 'properties', message: 'a custom field has a value but no field ID' });
			continue;
		}
		if (!isSafeKey(fieldId) || !/^[A-Za-z0-9_.-]+$/.test(fieldId)) {
			errors.push({
				field: `properties.${fieldId}`,
				message: 'a field ID has letters, digits and _ . - only',
			});
			continue;
		}
		if (isBlank(entry.value)) continue;
		const converted = convertProperty(entry.value, entry.type ?? 'auto', timeZone);
		if ('error' in converted)
			errors.push({ field: `properties.${fieldId}`, message: converted.error });
		else properties[fieldId] = converted.value;
	}
	return { properties, errors };
}
