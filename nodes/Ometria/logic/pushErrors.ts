import { isPlainObject } from '../../shared/memberValues';

/**
 * Reads Ometria's push validation errors (`GET /push/_errors`) and joins them to the input items
 * of this run by request ID and record ID.
 */

export interface PushError {
	requestId?: string;
	recordId?: string;
	recordType?: string;
	message: string;
	/** Ometria's path of the bad field, e.g. `root > lastname`. */
	errorPath?: string;
	/** The same path as a record field, e.g. `lastname`, `properties.annex_current_tier`. */
	field?: string;
	timestamp?: string;
	/** The record as Ometria received it, when the error carries it. */
	record?: unknown;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** `root > properties > annex_current_tier` → `properties.annex_current_tier`. */
export function fieldFromErrorPath(path: string | undefined): string | undefined {
	if (!path) return undefined;
	const parts = path
		.split('>')
		.map((part) => part.trim())
		.filter((part) => part !== '');
	if (parts[0] === 'root') parts.shift();
	return parts.length ? parts.join('.') : undefined;
}

/**
 * One error as documented (`{error_message, error_path}` at the top) or in the richer shape
 * seen in client code (`message: {error_message, error_path}`, `record: {…}`).
 */
export function normalizePushError(raw: unknown): PushError | undefined {
	if (!isPlainObject(raw)) return undefined;
	const nested = isPlainObject(raw.message) ? raw.message : {};
	const record = isPlainObject(raw.record) ? raw.record : {};
	const message =
		text(raw.error_message) ??
		text(nested.error_message) ??
		text(raw.message) ??
		'rejected by Ometria';
	const errorPath = text(raw.error_path) ?? text(nested.error_path);
	return {
		requestId: text(raw.request_id) ?? text(raw.requestId),
		recordId: text(raw.record_id) ?? text(raw.recordId) ?? text(record.id),
		recordType: text(raw.record_type) ?? text(record['@type']),
		message,
		errorPath,
		field: fieldFromErrorPath(errorPath),
		timestamp: text(raw.timestamp),
		record: raw.record,
	};
}

/** The errors list from the answer: an array, or an object holding one. */
export function pushErrorList(body: unknown): PushError[] {
	let list: unknown[] = [];
	if (Array.isArray(body)) list = body;
	else if (isPlainObject(body)) {
		const inner = [body.errors, body.data, body.results].find(Array.isArray);
		if (inner) list = inner as unknown[];
	}
	return list.map(normalizePushError).filter((error): error is PushError => error !== undefined);
}

/** `GET /push/_errors` answers with the 100 most recent errors. */
export const ERRORS_RETURNED = 100;

function errorKey(error: PushError): string {
	return JSON.stringify([error.requestId, error.recordId, error.errorPath, error.message]);
}

/** Where each sent record went: request ID → record ID → input item. */
export class SentRecordIndex {
	private readonly byRequest = new Map<string, Map<string, number>>();

	add(requestId: string, recordId: string, itemIndex: number): void {
		let records = this.byRequest.get(requestId);
		if (!records) {
			records = new Map();
			this.byRequest.set(requestId, records);
		}
		records.set(recordId, itemIndex);
	}

	get requestIds(): string[] {
		return [...this.byRequest.keys()];
	}

	has(requestId: string | undefined): boolean {
		return requestId !== undefined && this.byRequest.has(requestId);
	}

	/** The item an error belongs to; `undefined` for another run's error or an unknown record. */
	itemOf(error: PushError): number | undefined {
		if (!error.requestId || !error.recordId) return undefined;
		return this.byRequest.get(error.requestId)?.get(error.recordId);
	}
}

/**
 * The errors of this run, one per item (the first seen wins), collected across several reads of
 * the 100 most recent errors. Errors of this run's requests that name no known record are kept
 * apart, so the node can report them instead of losing them.
 */
export class PushErrorCollector {
	readonly byItem = new Map<number, PushError>();
	readonly unmatched: PushError[] = [];
	/**
	 * A read returned a full page of this run's errors, none seen before: older ones of this run
	 * may have scrolled out of the 100 Ometria keeps.
	 */
	possiblyIncomplete = false;
	private readonly seen = new Set<string>();

	constructor(private readonly index: SentRecordIndex) {}

	add(errors: PushError[]): void {
		const ours = errors.filter((error) => this.index.has(error.requestId));
		const overlaps = ours.some((error) => this.seen.has(errorKey(error)));
		if (errors.length >= ERRORS_RETURNED && ours.length === errors.length && !overlaps) {
			this.possiblyIncomplete = true;
		}
		for (const error of ours) {
			const key = errorKey(error);
			if (this.seen.has(key)) continue;
			this.seen.add(key);
			const item = this.index.itemOf(error);
			if (item === undefined) this.unmatched.push(error);
			else if (!this.byItem.has(item)) this.byItem.set(item, error);
		}
	}
}

export function describeRejection(error: PushError): string {
	const where = error.field ? ` (field ${error.field})` : '';
	return `${error.message}${where}`;
}
