/**
 * The values module: what "blank" and "an object" mean, and the one dot-path dialect every
 * setting that names a field uses (README, "Values and field paths"). Field paths are compiled
 * once into readers so that evaluating a rule does no string work per member.
 */

export type PlainObject = Record<string, unknown>;

export type FieldReader = (record: unknown) => unknown;

/** An object with keys: not null, not an array. */
export function isPlainObject(value: unknown): value is PlainObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Missing, null, and text that is empty or only spaces: "not given". */
export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** An object, or JSON text of one (a Data Table column holding JSON); `{}` for anything else. */
export function toPlainObject(value: unknown): PlainObject {
	if (isPlainObject(value)) return value;
	if (isBlank(value)) return {};
	try {
		const parsed: unknown = JSON.parse(String(value));
		return isPlainObject(parsed) ? parsed : {};
	} catch {
		return {};
	}
}

const readNothing: FieldReader = () => undefined;

/** The keys of a dot path; `orders[0].amount` and `orders.0.amount` are the same path. */
export function fieldPathKeys(path: string): string[] {
	return path
		.trim()
		.replace(/\[(\d+)\]/g, '.$1')
		.split('.')
		.filter((key) => key !== '');
}

/** The record's own value under `key`; inherited ones (`constructor`, `toString`) read as missing. */
function ownValue(record: unknown, key: string): unknown {
	return record !== null &&
		typeof record === 'object' &&
		Object.prototype.hasOwnProperty.call(record, key)
		? (record as Record<string, unknown>)[key]
		: undefined;
}

/**
 * A reader for `path`: keys separated by dots, array positions as `[0]` or `.0`. A record that
 * has the whole path as one key (`{"address.city": …}`) is read by that key first. Only own
 * properties are read, so a path can never lead into a prototype.
 */
export function compileFieldPath(path: string): FieldReader {
	const keys = fieldPathKeys(path);
	if (keys.length === 0) return readNothing;
	if (keys.length === 1) {
		const [key] = keys;
		return (record) => ownValue(record, key);
	}
	const literal = path.trim();
	return (record) => {
		if (isPlainObject(record) && Object.prototype.hasOwnProperty.call(record, literal))
			return record[literal];
		let value = record;
		for (const key of keys) {
			value = ownValue(value, key);
			if (value === undefined) return undefined;
		}
		return value;
	};
}

const compiledPaths = new Map<string, FieldReader>();
/** Distinct paths kept compiled; settings name a handful, so this is only a bound. */
const COMPILED_PATHS_KEPT = 500;

/** `compileFieldPath(path)(record)`, compiling each distinct path once. */
export function readFieldPath(record: unknown, path: string): unknown {
	let reader = compiledPaths.get(path);
	if (!reader) {
		if (compiledPaths.size >= COMPILED_PATHS_KEPT) compiledPaths.clear();
		reader = compileFieldPath(path);
		compiledPaths.set(path, reader);
	}
	return reader(record);
}

/** A finite number from a number or numeric text; NaN for anything else (including ''). */
export function toFiniteNumber(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return NaN;
		const parsed = Number(text);
		return Number.isFinite(parsed) ? parsed : NaN;
	}
	return NaN;
}

/** A list from an array or comma-separated text, trimmed, blanks dropped. */
export function toStringList(value: unknown): string[] {
	if (Array.isArray(value)) {
		return value.filter((entry) => !isBlank(entry)).map((entry) => String(entry).trim());
	}
	if (typeof value === 'string') {
		return value
			.split(',')
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
	}
	if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
	return [];
}

export function normaliseEmail(value: unknown): string {
	return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** Consent as a tri-state: 1 given, -1 refused (opted out, unsubscribed), 0 unknown. */
export type ConsentState = 1 | 0 | -1;

const CONSENT_WORDS = new Map<string, ConsentState>([
	['true', 1],
	['yes', 1],
	['y', 1],
	['1', 1],
	['on', 1],
	['granted', 1],
	['subscribed', 1],
	['opted_in', 1],
	['optedin', 1],
	['opt-in', 1],
	['explicitly_optedin', 1],
	['false', -1],
	['no', -1],
	['n', -1],
	['0', -1],
	['off', -1],
	['denied', -1],
	['refused', -1],
	['unsubscribed', -1],
	['opted_out', -1],
	['optedout', -1],
	['opt-out', -1],
	['explicitly_optedout', -1],
]);

/** Reads booleans, 0/1 and the usual words, including Ometria's EXPLICITLY_OPTEDIN/OUT. */
export function consentState(value: unknown): ConsentState {
	if (value === true || value === 1) return 1;
	if (value === false || value === 0) return -1;
	if (typeof value === 'string') return CONSENT_WORDS.get(value.trim().toLowerCase()) ?? 0;
	return 0;
}

/** A rule module's answer for bad configuration or a bad member: which field, and why. */
export interface RuleFailure {
	ok: false;
	field: string;
	message: string;
}

export function isRuleFailure(value: unknown): value is RuleFailure {
	return value !== null && typeof value === 'object' && (value as { ok?: unknown }).ok === false;
}
