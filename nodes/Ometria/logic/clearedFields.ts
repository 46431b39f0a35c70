import { ANNEX_LOYALTY_FIELDS, sourceFieldOf, type PresetOptions } from './loyaltyPreset';
import {
	isBlank,
	isPlainObject,
	readFieldPath as readPath,
	type PlainObject,
} from '../../shared/memberValues';

/**
 * Fields really cleared at the source reach Ometria as `null`. An empty value alone is never sent
 * (it may only mean the source did not say); a field is cleared only when the item lists it among
 * its cleared fields, as the Member Feed node does for a value present in the last snapshot and
 * empty in today's full feed.
 *
 * With `@merge: true` Ometria keeps the fields a record leaves out and takes the ones it sends, so
 * a field sent as `null` replaces the stored value with nothing. Ometria does not document `null`
 * field by field; `keep` turns clearing off for an account where it is not wanted.
 */

export type ClearedFieldHandling = 'null' | 'keep';

export interface ClearedFieldOptions {
	handling: ClearedFieldHandling;
	/** The item field listing the source fields that were cleared (default `clearedFields`). */
	listField?: string;
}

/** Identity is never cleared: without email or ID Ometria could no longer match the profile. */
const NEVER_CLEARED = new Set(['id', 'email']);

function clearedNames(item: unknown, listField: string): Set<string> {
	const listed = readPath(item, listField);
	if (Array.isArray(listed)) return new Set(listed.map(String));
	if (typeof listed === 'string' && listed.trim() !== '')
		return new Set(listed.split(',').map((name) => name.trim()));
	return new Set();
}

/**
 * Sets to `null` the Ometria fields whose loyalty source field the item lists as cleared and
 * still holds no value, unless the record already carries a value for them (a node parameter).
 */
export function clearLoyaltyFields(
	record: PlainObject,
	item: unknown,
	preset: PresetOptions,
	options: ClearedFieldOptions,
): void {
	if (options.handling === 'keep') return;
	const cleared = clearedNames(item, options.listField?.trim() || 'clearedFields');
	if (!cleared.size) return;
	const excluded = new Set(preset.exclude ?? []);
	for (const field of ANNEX_LOYALTY_FIELDS) {
		if (excluded.has(field.key) || (!field.documented && !preset.includeUndocumented)) continue;
		const source = sourceFieldOf(field, preset);
		if (!cleared.has(source) || !isBlank(readPath(item, source))) continue;
		if (field.contactField) {
			if (!NEVER_CLEARED.has(field.contactField) && record[field.contactField] === undefined)
				record[field.contactField] = null;
			continue;
		}
		const properties = isPlainObject(record.properties) ? record.properties : {};
		if (properties[field.property!] === undefined) properties[field.property!] = null;
		record.properties = properties;
	}
}
