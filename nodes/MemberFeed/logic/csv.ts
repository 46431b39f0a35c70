/**
 * A streaming CSV reader: text goes in chunk by chunk, complete records come out with the line
 * they started on. Quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF and
 * a leading byte order mark are accepted. Only the current record is held, so a file of any size
 * is read in constant memory.
 */

export interface CsvRecord {
	/** 1-based line of the file the record starts on (the header is line 1). */
	line: number;
	fields: string[];
	/** A quote opened and the file ended before it closed. */
	unterminated?: boolean;
}

export interface CsvOptions {
	/** One character; default `,`. */
	delimiter?: string;
	/** Default `"`. */
	quote?: string;
}

const LF = 10;
const CR = 13;

export class CsvReader {
	private readonly delimiter: number;
	private readonly quote: number;
	private field = '';
	private fields: string[] = [];
	private inQuotes = false;
	/** The previous character closed a quoted section (a quote now is an escaped quote). */
	private quoteClosed = false;
	private recordLine = 1;
	private line = 1;
	private pendingCr = false;
	private started = false;
	private recordHasContent = false;

	constructor(options: CsvOptions = {}) {
		const delimiter = options.delimiter ?? ',';
		const quote = options.quote ?? '"';
		if (delimiter.length !== 1) throw new Error('The delimiter must be one character');
		if (quote.length !== 1) throw new Error('The quote must be one character');
		this.delimiter = delimiter.charCodeAt(0);
		this.quote = quote.charCodeAt(0);
	}

	/** Reads a chunk; returns the records it completed. */
	push(chunk: string): CsvRecord[] {
		const records: CsvRecord[] = [];
		let text = chunk;
		if (!this.started) {
			this.started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		}
		let segmentStart = 0;
		const length = text.length;
		for (let index = 0; index < length; index++) {
			const code = text.charCodeAt(index);
			if (this.pendingCr) {
				this.pendingCr = false;
				if (code === LF) {
					segmentStart = index + 1;
					continue;
				}
			}
			if (this.inQuotes) {
				if (code === this.quote) {
					this.field += text.slice(segmentStart, index);
					segmentStart = index + 1;
					this.inQuotes = false;
					this.quoteClosed = true;
				} else if (code === LF) {
					this.line++;
				}
				continue;
			}
			if (code === this.quote) {
				this.field += text.slice(segmentStart, index);
				segmentStart = index + 1;
				// `""` inside a quoted field is one quote character.
				if (this.quoteClosed) this.field += text[index];
				this.inQuotes = true;
				this.quoteClosed = false;
				this.recordHasContent = true;
				continue;
			}
			this.quoteClosed = false;
			if (code === this.delimiter) {
				this.fields.push(this.field + text.slice(segmentStart, index));
				this.field = '';
				segmentStart = index + 1;
				this.recordHasContent = true;
				continue;
			}
			if (code === LF || code === CR) {
				this.field += text.slice(segmentStart, index);
				segmentStart = index + 1;
				const record = this.endRecord();
				if (record) records.push(record);
				this.line++;
				this.recordLine = this.line;
				if (code === CR) this.pendingCr = true;
				continue;
			}
			this.recordHasContent = true;
		}
		if (segmentStart < length) this.field += text.slice(segmentStart);
		return records;
	}

	/** Ends the input; returns the last record when the file does not end with a line break. */
	end(): CsvRecord[] {
		const unterminated = this.inQuotes;
		const record = this.endRecord();
		if (!record) return [];
		if (unterminated) record.unterminated = true;
		return [record];
	}

	private endRecord(): CsvRecord | undefined {
		const fields = this.fields;
		fields.push(this.field);
		const hasContent = this.recordHasContent || this.field !== '';
		this.fields = [];
		this.field = '';
		this.inQuotes = false;
		this.quoteClosed = false;
		this.recordHasContent = false;
		// Blank lines are not records.
		if (!hasContent) return undefined;
		return { line: this.recordLine, fields };
	}
}

/** One CSV line for the values, quoting only where needed. */
export function csvLine(values: readonly string[], delimiter = ','): string {
	let line = '';
	for (let index = 0; index < values.length; index++) {
		if (index > 0) line += delimiter;
		const value = values[index];
		if (
			value.includes(delimiter) ||
			value.includes('"') ||
			value.includes('\n') ||
			value.includes('\r')
		) {
			line += `"${value.replace(/"/g, '""')}"`;
		} else {
			line += value;
		}
	}
	return line;
}

export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** The records of a byte stream, decoded as UTF-8 across chunk borders. */
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

/**
 * A 53-bit fingerprint of a row's values (two 32-bit FNV-1a hashes): a million members' rows are
 * compared by fingerprint, not kept as text.
 */
export function rowFingerprint(fields: readonly string[]): number {
	let a = 0x811c9dc5;
	let b = 0x01000193;
	for (let index = 0; index < fields.length; index++) {
		const field = fields[index];
		for (let char = 0; char < field.length; char++) {
			const code = field.charCodeAt(char);
			a = Math.imul(a ^ code, 0x01000193);
			b = Math.imul(b ^ code, 0x5bd1e995);
		}
		a = Math.imul(a ^ 0x1f, 0x01000193);
		b = Math.imul(b ^ 0x1f, 0x5bd1e995);
	}
	return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}
