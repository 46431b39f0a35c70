import { isPlainObject, type PlainObject } from '../../shared/memberValues';
import { safeEntries } from '../../shared/safeKeys';
import type { FieldError } from './values';

/** Splits records into push requests within Ometria's limits. */

/** Ometria takes at most 100 records per push request. */
export const MAX_RECORDS_PER_REQUEST = 100;
/** … and at most 60 KB per record (answering "Payload invalid: Record is too large."). */
export const MAX_RECORD_BYTES = 60 * 1024;

export interface PushRecord extends PlainObject {
	'@type': string;
	id: string;
}

export interface PlannedRecord {
	itemIndex: number;
	record: PushRecord;
	/** Later input items for the same record, merged into this one (last write wins). */
	mergedItems?: number[];
}

export interface Batch {
	/** Position in the plan; also the order batches are started in. */
	index: number;
	type: string;
	entries: PlannedRecord[];
	/** UTF-8 size of the JSON body. */
	bytes: number;
	/**
	 * Earlier batches holding a record with the same type, collection and ID. This batch must not
	 * start before they have finished, so two updates of one contact are applied in input order
	 * even with several requests in flight and retries.
	 */
	dependsOn: number[];
}

export function recordByteLength(record: unknown): number {
	return Buffer.byteLength(JSON.stringify(record), 'utf8');
}

/** A record over the size limit is an item error before anything is sent. */
export function checkRecordSize(
	record: unknown,
	maxBytes = MAX_RECORD_BYTES,
): FieldError | undefined {
	const bytes = recordByteLength(record);
	if (bytes <= maxBytes) return undefined;
	return {
		field: 'record',
		message: `the record is ${(bytes / 1024).toFixed(1)} KB as JSON; Ometria accepts at most ${maxBytes / 1024} KB per record`,
	};
}

/** Contacts are keyed by collection and ID, other records by ID. */
export function recordKey(record: PushRecord): string {
	const collection = record['@type'] === 'contact' ? String(record['@collection'] ?? '') : '';
	return JSON.stringify([record['@type'], collection, record.id]);
}

const LIST_FIELDS = ['@add_to_lists', '@remove_from_lists'] as const;

function listOf(record: PlainObject, field: string): unknown[] {
	const value = record[field];
	return Array.isArray(value) ? value : [];
}

/**
 * Two updates of one record in one request become one: the later record's fields win, custom
 * fields (`properties`) and channel consents merge key by key, and segment changes combine in
 * order (added then removed ends removed, and the other way round). Other record types: the
 * later record replaces the earlier one.
 */
export function mergeRecords(earlier: PushRecord, later: PushRecord): PushRecord {
	if (later['@type'] !== 'contact') return later;
	const merged: PlainObject = { ...earlier, ...later };
	for (const field of ['properties', 'channels']) {
		const before = earlier[field];
		const after = later[field];
		if (isPlainObject(before) && isPlainObject(after)) {
			const combined: PlainObject = { ...before };
			for (const [key, value] of safeEntries(after)) {
				combined[key] =
					isPlainObject(combined[key]) && isPlainObject(value)
						? { ...(combined[key] as PlainObject), ...value }
						: value;
			}
			merged[field] = combined;
		}
	}
	const [addField, removeField] = LIST_FIELDS;
	const laterAdds = listOf(later, addField);
	const laterRemoves = listOf(later, removeField);
	const adds = [
		...listOf(earlier, addField).filter((id) => !laterRemoves.includes(id)),
		...laterAdds,
	];
	const removes = [
		...listOf(earlier, removeField).filter((id) => !laterAdds.includes(id)),
		...laterRemoves,
	];
	for (const [field, ids] of [
		[addField, adds],
		[removeField, removes],
	] as const) {
		if (ids.length) merged[field] = [...new Set(ids)];
		else delete merged[field];
	}
	return merged as PushRecord;
}

/**
 * Records in input order, in requests of at most `maxRecords` records of one `@type`. A record
 * repeated while its request is still open is merged into the one already there (see
 * `mergeRecords`), so a validation error that names a request and a record ID points at one
 * entry, whose items are all answered. A repeat after its request filled up goes in a later
 * request that waits for the earlier one.
 */
export function planBatches(
	records: PlannedRecord[],
	maxRecords = MAX_RECORDS_PER_REQUEST,
): Batch[] {
	if (maxRecords < 1 || maxRecords > MAX_RECORDS_PER_REQUEST) {
		throw new RangeError(`a batch holds 1 to ${MAX_RECORDS_PER_REQUEST} records`);
	}
	const batches: Batch[] = [];
	const open = new Map<string, { batch: Batch; keys: Set<string> }>();
	const lastBatchOfKey = new Map<string, number>();
	for (const entry of records) {
		const type = entry.record['@type'];
		const key = recordKey(entry.record);
		let current = open.get(type);
		if (current?.keys.has(key)) {
			const same = current.batch.entries.find((planned) => recordKey(planned.record) === key);
			if (same) {
				const merged = mergeRecords(same.record, entry.record);
				current.batch.bytes += recordByteLength(merged) - recordByteLength(same.record);
				same.record = merged;
				same.mergedItems = [...(same.mergedItems ?? []), entry.itemIndex];
				continue;
			}
		}
		if (!current || current.batch.entries.length >= maxRecords) {
			current = {
				batch: { index: batches.length, type, entries: [], bytes: 2, dependsOn: [] },
				keys: new Set(),
			};
			batches.push(current.batch);
			open.set(type, current);
		}
		const { batch } = current;
		const earlier = lastBatchOfKey.get(key);
		if (earlier !== undefined && earlier !== batch.index && !batch.dependsOn.includes(earlier)) {
			batch.dependsOn.push(earlier);
		}
		batch.bytes += recordByteLength(entry.record) + (batch.entries.length ? 1 : 0);
		batch.entries.push(entry);
		current.keys.add(key);
		lastBatchOfKey.set(key, batch.index);
	}
	return batches;
}

/**
 * The next batch that may start: the first one not yet started whose dependencies are all done.
 * `undefined` when every remaining batch waits on one still in flight (or none remain).
 */
export function nextStartableBatch(
	batches: Batch[],
	started: Set<number>,
	done: Set<number>,
): Batch | undefined {
	for (const batch of batches) {
		if (started.has(batch.index)) continue;
		if (batch.dependsOn.every((index) => done.has(index))) return batch;
	}
	return undefined;
}
