import {
	FeedComparison,
	type ChangeCounts,
	type ChangeDetectionOptions,
	type MemberChange,
	type RejectedRow,
} from './changeDetection';
import { CsvReader, type CsvOptions, type CsvRecord } from './csv';
import {
	FeedFormatError,
	RowReader,
	feedLayout,
	type FeedSettings,
	type MemberRecord,
} from './feedSchema';

/**
 * Reads a member feed from a stream of chunks (n8n's binary stream, or a buffer) and either
 * compares it with the last snapshot or returns one bounded page of records. Bad rows are
 * rejected one by one with their line and reason; they never stop the file.
 */

export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface FeedReadOptions extends FeedSettings, CsvOptions {}

export type { RejectedRow };

export async function* csvRecords(
	source: ByteSource,
	options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
	const reader = new CsvReader(options);
	const decoder = new TextDecoder('utf-8');
	for await (const chunk of source) {
		const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		yield* reader.push(text);
	}
	const rest = decoder.decode();
	if (rest) yield* reader.push(rest);
	yield* reader.end();
}

/** Turns CSV records into member records: header first, then one result per data row. */
class FeedRows {
	private rowReader?: RowReader;
	private readonly seen = new Map<string, number>();
	rowsRead = 0;
	rowsRejected = 0;
	readonly rejects: RejectedRow[] = [];

	constructor(
		private readonly options: FeedReadOptions,
		private readonly rejectLimit: number,
	) {}

	get layout() {
		return this.rowReader?.layout;
	}

	/** The header row: sets the layout; a feed without the member id column fails here. */
	header(record: CsvRecord): void {
		this.rowReader = new RowReader(feedLayout(record.fields, this.options), this.options);
	}

	row(record: CsvRecord): MemberRecord | undefined {
		const reader = this.rowReader as RowReader;
		this.rowsRead++;
		const idText = record.fields[reader.layout.idColumn]?.trim() || null;
		if (record.unterminated)
			return this.reject(record.line, idText, 'a quoted value is never closed');
		const result = reader.read(record.fields);
		if ('reason' in result) return this.reject(record.line, idText, result.reason);
		const id = String(result.record.loyaltyId);
		const firstLine = this.seen.get(id);
		if (firstLine !== undefined)
			return this.reject(record.line, id, `duplicate member id (first on line ${firstLine})`);
		this.seen.set(id, record.line);
		return result.record;
	}

	private reject(line: number, memberId: string | null, reason: string): undefined {
		this.rowsRejected++;
		if (this.rejects.length < this.rejectLimit) this.rejects.push({ line, memberId, reason });
		return undefined;
	}
}

export interface CompareInput {
	feed: ByteSource;
	/** The last snapshot; undefined on the first run. */
	snapshot?: ByteSource;
	options: FeedReadOptions;
	detection: ChangeDetectionOptions;
	/** Stop when the feed has fewer accepted rows than this share of the snapshot (0..1). */
	minShareOfSnapshot: number;
	/** Rejected rows listed one by one (all are counted). */
	rejectLimit: number;
}

export interface CompareResult {
	changes: MemberChange[];
	counts: ChangeCounts;
	rowsRead: number;
	rowsRejected: number;
	rejects: RejectedRow[];
	feedFields: string[];
	ignoredColumns: string[];
	/** Why the run must stop before anything is written, if it must. */
	stopReason?: string;
	/** The snapshot to store once the changes are pushed (absent when stopped). */
	snapshot?: Buffer;
}

export async function compareWithSnapshot(input: CompareInput): Promise<CompareResult> {
	const comparison = new FeedComparison(input.detection, input.options, input.rejectLimit);
	if (input.snapshot)
		for await (const record of csvRecords(input.snapshot)) comparison.snapshotRecord(record);
	const changes: MemberChange[] = [];
	for await (const record of csvRecords(input.feed, input.options)) {
		const change = comparison.feedRecord(record);
		if (change) changes.push(change);
	}
	const layout = comparison.layout;
	if (!layout) throw new FeedFormatError('The feed is empty: no header row');
	const accepted = comparison.rowsRead - comparison.rowsRejected;
	const snapshotRows = comparison.counts.snapshotRows;
	let stopReason: string | undefined;
	if (accepted === 0) stopReason = `The feed has no member rows (${comparison.rowsRead} rows read)`;
	else if (snapshotRows > 0 && accepted < snapshotRows * input.minShareOfSnapshot)
		stopReason = `The feed has ${accepted} member rows, fewer than ${Math.round(input.minShareOfSnapshot * 100)}% of the ${snapshotRows} in the last snapshot`;
	const result: CompareResult = {
		changes: stopReason ? [] : changes,
		counts: comparison.counts,
		rowsRead: comparison.rowsRead,
		rowsRejected: comparison.rowsRejected,
		rejects: comparison.rejects,
		feedFields: layout.fields,
		ignoredColumns: layout.ignoredHeaders,
		stopReason,
	};
	if (stopReason) return result;
	for (const change of comparison.removed()) changes.push(change);
	result.snapshot = comparison.snapshotFile();
	return result;
}

export interface PageInput {
	feed: ByteSource;
	options: FeedReadOptions;
	/** Data rows to pass over first (0-based). */
	startRow: number;
	maxRows: number;
	rejectLimit: number;
}

export interface PageResult {
	records: Array<{ line: number; record: MemberRecord }>;
	rowsRead: number;
	rowsRejected: number;
	rejects: RejectedRow[];
	/** The row the next page starts at, or undefined when the feed ended. */
	nextStartRow?: number;
}

/** One page of a feed: at most `maxRows` data rows from `startRow` on (rejected rows count). */
export async function readFeedPage(input: PageInput): Promise<PageResult> {
	const rows = new FeedRows(input.options, input.rejectLimit);
	const records: PageResult['records'] = [];
	const end = input.startRow + input.maxRows;
	let dataRow = 0;
	for await (const record of csvRecords(input.feed, input.options)) {
		if (!rows.layout) {
			rows.header(record);
			continue;
		}
		if (dataRow >= end) return { ...pageOf(rows), records, nextStartRow: end };
		if (dataRow++ < input.startRow) continue;
		const member = rows.row(record);
		if (member) records.push({ line: record.line, record: member });
	}
	if (!rows.layout) throw new FeedFormatError('The feed is empty: no header row');
	return { ...pageOf(rows), records };
}

function pageOf(rows: FeedRows) {
	return { rowsRead: rows.rowsRead, rowsRejected: rows.rowsRejected, rejects: rows.rejects };
}
