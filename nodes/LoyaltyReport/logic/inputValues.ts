import {
	compileFieldPath,
	isBlank,
	isPlainObject,
	toFiniteNumber,
	type PlainObject,
} from '../../shared/memberValues';

/**
 * Reading loosely typed report input: absent values are reported, malformed ones rejected. What
 * blank, an object and a field path mean is the package's values module (shared/memberValues);
 * the report's own modules take those names from here.
 */
export { isPlainObject, type PlainObject };

/**
 * Input that cannot be read at all (a count that is not a number, a list that is not a list).
 * `field` is the path inside the report input; `part` the index of the input item it came
 * from when several items are merged into one report.
 */
export class ReportInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly part?: number,
	) {
		super(message);
		this.name = 'ReportInputError';
	}
}

/** Missing, null or blank text: the values module's "not given". */
export const isAbsent = isBlank;

/**
 * The report input inside an item: the item itself, or the value at the data field path.
 * `part` is the item's index, for the error when the path leads nowhere.
 */
export function reportInputAt(item: unknown, dataField: string, part: number): unknown {
	if (!dataField) return item;
	const value = compileFieldPath(dataField)(item);
	if (value === undefined) {
		throw new ReportInputError(
			dataField,
			`The input data field '${dataField}' is not in the item`,
			part,
		);
	}
	return value;
}

/**
 * A number, or null when absent. Numeric strings are accepted because spreadsheet and CSV
 * sources deliver them; anything else is an input error naming the field.
 */
export function readNumber(value: unknown, field: string, part?: number): number | null {
	if (isAbsent(value)) return null;
	const number = toFiniteNumber(value);
	if (!Number.isNaN(number)) return number;
	throw new ReportInputError(
		field,
		`'${field}' must be a number, got ${JSON.stringify(value)}`,
		part,
	);
}

export function readText(value: unknown, field: string, part?: number): string | null {
	if (isAbsent(value)) return null;
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new ReportInputError(field, `'${field}' must be text, got ${JSON.stringify(value)}`, part);
}

export function readObject(value: unknown, field: string, part?: number): PlainObject | null {
	if (isAbsent(value)) return null;
	if (isPlainObject(value)) return value;
	throw new ReportInputError(
		field,
		`'${field}' must be an object, got ${JSON.stringify(value)}`,
		part,
	);
}

export function readList(value: unknown, field: string, part?: number): unknown[] | null {
	if (isAbsent(value)) return null;
	if (Array.isArray(value)) return value;
	throw new ReportInputError(
		field,
		`'${field}' must be a list, got ${JSON.stringify(value)}`,
		part,
	);
}

/** Drops binary floating-point noise (0.15000000000000002) from a computed figure. */
export function tidy(value: number): number {
	return Number(value.toPrecision(12));
}

/** numerator / denominator, or null when either is unknown or the denominator is 0. */
export function ratio(numerator: number | null, denominator: number | null): number | null {
	if (numerator === null || denominator === null || denominator === 0) return null;
	return tidy(numerator / denominator);
}

/** The sum, or null as soon as one term is unknown: a partial total would be a guess. */
export function sumKnown(values: ReadonlyArray<number | null>): number | null {
	let total = 0;
	for (const value of values) {
		if (value === null) return null;
		total += value;
	}
	return tidy(total);
}

export function percentText(rate: number): string {
	return `${(rate * 100).toFixed(1)}%`;
}
