import type { FeedReadOptions, RejectedRow } from './changeDetection';
import { csvRecords, type ByteSource, type CsvRecord } from './csv';
import { FeedFormatError, RowReader, feedLayout, type MemberRecord } from './feedSchema';

export type { ByteSource, FeedReadOptions, RejectedRow };
export { compareWithSnapshot, type CompareInput } from './changeDetection';

/**
 * Reads a member feed from a stream of chunks (n8n's binary stream, or a buffer) and either
 * compares it with the last snapshot or returns one bounded page of records. Bad rows are
 * rejected one by one with their line and reason; they never stop the file.
 */

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
