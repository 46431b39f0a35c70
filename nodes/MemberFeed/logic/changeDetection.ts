import { csvLine, csvRecords, rowFingerprint, type ByteSource, type CsvOptions } from './csv';
import {
	feedLayout,
	FeedFormatError,
	RowReader,
	type FeedLayout,
	type FeedSettings,
	type MemberRecord,
} from './feedSchema';

/**
 * Compares a member feed with the snapshot of the last successful sync, on the member id, and
 * passes on only what changed. The snapshot is the last feed's accepted rows as they were written
 * (header included). It is read twice: first into one fingerprint per member (a number, so a
 * million members take tens of megabytes), then, after the feed, for the old values of the members
 * that changed or left. A feed row whose fingerprint matches is unchanged without being converted;
 * only the others are converted, checked and compared field by field.
 */

export type SyncMode = 'changes' | 'full' | 'backfill';

export type ChangeKind = 'new' | 'changed' | 'opted_out' | 'removed' | 'resync';

export interface MemberChange {
	change: ChangeKind;
	memberId: string;
	/** Feed line of the member (0 for a member only in the snapshot). */
	line: number;
	changedFields: string[];
	/** Fields that had a value and are now empty. */
	clearedFields: string[];
	/** The snapshot's values of the changed fields. */
	previous: MemberRecord;
	record: MemberRecord;
}

export interface Backfill {
	memberIds?: ReadonlySet<string>;
	/** Epoch ms window on the opt-in date (inclusive). */
	optInFrom?: number;
	optInTo?: number;
}

export interface ChangeDetectionOptions {
	mode: SyncMode;
	backfill?: Backfill;
	/** At most this many members go out per run; the rest stay due for the next run. */
	maxChanges: number;
}

export interface RejectedRow {
	line: number;
	memberId: string | null;
	reason: string;
}

export interface ChangeCounts {
	snapshotRows: number;
	newMembers: number;
	changedMembers: number;
	optedOutMembers: number;
	/** Members the feed no longer has. */
	removedMembers: number;
	unchangedMembers: number;
	/** Unchanged members sent anyway (full resync, backfill); also counted as unchanged. */
	resyncMembers: number;
	emitted: number;
	deferred: number;
	changedFieldCounts: Record<string, number>;
}

const OPTED_OUT = new Set(['no', 'n', 'false', '0', 'opted out', 'optout', 'opt-out']);
/** First size of the new snapshot's buffer; it doubles as needed. */
const SNAPSHOT_INITIAL_BYTES = 1024 * 1024;

/**
 * Copies of a row's values that hold no reference to the text they were read from: a value cut
 * out of a chunk of the file keeps the whole chunk (a megabyte) alive for as long as the value
 * lives, so the few rows that outlive their chunk (changes, candidates) would otherwise keep
 * most of the file in memory.
 */
function detached(fields: string[]): string[] {
	return JSON.parse(JSON.stringify(fields)) as string[];
}

/**
 * The new snapshot, written line by line straight into one growing buffer: no joined text, no
 * chunk list to concatenate at the end (which would hold the file twice).
 */
class SnapshotWriter {
	private buffer = Buffer.allocUnsafe(SNAPSHOT_INITIAL_BYTES);
	private length = 0;

	line(text: string): void {
		// UTF-8 takes at most three bytes per UTF-16 unit, plus the line break.
		const most = text.length * 3 + 1;
		if (this.length + most > this.buffer.length) {
			const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + most));
			this.buffer.copy(grown, 0, 0, this.length);
			this.buffer = grown;
		}
		this.length += this.buffer.write(text, this.length, 'utf8');
		this.buffer[this.length++] = 0x0a;
	}

	file(): Buffer {
		return this.buffer.subarray(0, this.length);
	}
}

export function isOptedOut(value: unknown): boolean {
	return typeof value === 'string' && OPTED_OUT.has(value.trim().toLowerCase());
}

export interface FeedReadOptions extends FeedSettings, CsvOptions {}

export interface CompareInput {
	feed: ByteSource;
	/** Opens the last snapshot (it is read twice); undefined on the first run. */
	snapshot?: () => Promise<ByteSource> | ByteSource;
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

/** A feed row whose fingerprint differs from the snapshot's: compared once the old values are read. */
interface Candidate {
	line: number;
	fields: string[];
	record: MemberRecord;
}

/**
 * The fingerprint of a row's mapped values in field order, so that moving columns around changes
 * nothing; unmapped columns are left out.
 */
function fingerprintOf(order: number[], fields: string[]): number {
	return rowFingerprint(order.map((column) => fields[column]));
}

function fingerprintOrder(layout: FeedLayout): number[] {
	return layout.columns
		.map((field, column) => ({ key: field?.key, column }))
		.filter((entry): entry is { key: string; column: number } => entry.key !== undefined)
		.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
		.map((entry) => entry.column);
}

class Comparison {
	/** Member id → snapshot fingerprint (≥ 0) while unseen in the feed, then −(feed line). */
	readonly members = new Map<string, number>();
	readonly candidates = new Map<string, Candidate>();
	/** Members whose snapshot line is carried over as it is (rejected or held back today). */
	readonly keep = new Set<string>();
	readonly changes: MemberChange[] = [];
	readonly rejects: RejectedRow[] = [];
	rowsRead = 0;
	rowsRejected = 0;
	snapshotHeader?: string[];
	snapshotLayout?: FeedLayout;
	snapshotReader?: RowReader;
	snapshotOrder: number[] = [];
	feedHeader: string[] = [];
	feedReader?: RowReader;
	feedOrder: number[] = [];
	/** Same mapped fields on both sides: fingerprints are comparable. */
	comparable = false;
	private readonly snapshotWriter = new SnapshotWriter();
	readonly counts: ChangeCounts = {
		snapshotRows: 0,
		newMembers: 0,
		changedMembers: 0,
		optedOutMembers: 0,
		removedMembers: 0,
		unchangedMembers: 0,
		resyncMembers: 0,
		emitted: 0,
		deferred: 0,
		changedFieldCounts: {},
	};

	constructor(
		readonly detection: ChangeDetectionOptions,
		readonly settings: FeedSettings,
		readonly rejectLimit: number,
	) {}

	snapshotHeaderRow(fields: string[]): void {
		this.snapshotHeader = fields;
		this.snapshotLayout = feedLayout(fields, this.settings, 'snapshot');
		// Values once accepted stay readable even if the tier list changed since.
		this.snapshotReader = new RowReader(this.snapshotLayout, { ...this.settings, knownTiers: [] });
		this.snapshotOrder = fingerprintOrder(this.snapshotLayout);
	}

	/** Pass 1 over the snapshot: one fingerprint per member. */
	snapshotRow(fields: string[]): void {
		const layout = this.snapshotLayout!;
		const id = fields[layout.idColumn]?.trim();
		if (!id || fields.length !== layout.columns.length) return;
		if (!this.members.has(id)) this.counts.snapshotRows++;
		this.members.set(id, fingerprintOf(this.snapshotOrder, fields));
	}

	feedHeaderRow(fields: string[]): void {
		const layout = feedLayout(fields, this.settings);
		this.feedHeader = fields;
		this.feedReader = new RowReader(layout, this.settings);
		this.feedOrder = fingerprintOrder(layout);
		const keys = (l: FeedLayout, order: number[]) => order.map((c) => l.columns[c]!.key).join();
		this.comparable =
			this.snapshotLayout !== undefined &&
			keys(layout, this.feedOrder) === keys(this.snapshotLayout, this.snapshotOrder);
		this.writeLine(csvLine(fields));
	}

	feedRow(line: number, fields: string[], unterminated: boolean): void {
		this.rowsRead++;
		const reader = this.feedReader!;
		const { layout } = reader;
		const id = fields[layout.idColumn]?.trim() || null;
		if (unterminated) return this.reject(line, id, 'a quoted value is never closed');
		if (fields.length !== layout.columns.length)
			return this.reject(
				line,
				id,
				`wrong column count: ${fields.length} instead of ${layout.columns.length}`,
			);
		if (id === null) return this.reject(line, id, 'empty member id');
		const known = this.members.get(id);
		if (known !== undefined && known < 0)
			return this.reject(line, id, `duplicate member id (first on line ${-known})`);
		const same =
			known !== undefined && this.comparable && known === fingerprintOf(this.feedOrder, fields);
		const mode = this.detection.mode;
		if (same && mode === 'changes') {
			this.members.set(id, -line);
			this.counts.unchangedMembers++;
			this.writeLine(csvLine(fields));
			return;
		}
		const own = detached(fields);
		const result = reader.read(own);
		if ('reason' in result) return this.reject(line, id, result.reason);
		this.members.set(id, -line);
		const record = result.record;
		if (known !== undefined && !same) {
			this.candidates.set(id, { line, fields: own, record });
			return;
		}
		const change =
			known === undefined
				? this.change('new', id, line, record)
				: this.change('resync', id, line, record);
		if (!this.selects(record, change.change !== 'resync')) {
			this.counts.unchangedMembers++;
			this.writeLine(csvLine(fields));
			return;
		}
		this.emit(change, fields, known !== undefined);
	}

	/** Pass 2 over the snapshot: old values of changed and removed members, lines carried over. */
	snapshotRowAgain(fields: string[]): void {
		const layout = this.snapshotLayout!;
		const id = fields[layout.idColumn]?.trim();
		if (!id || fields.length !== layout.columns.length) return;
		const candidate = this.candidates.get(id);
		if (candidate) {
			this.candidates.delete(id);
			return this.compareCandidate(id, candidate, fields);
		}
		if (this.keep.delete(id)) return this.keepLine(fields);
		const known = this.members.get(id);
		if (known === undefined || known < 0) return;
		this.members.delete(id);
		if (this.detection.mode === 'backfill') return this.keepLine(fields);
		const old = this.oldValues(fields);
		const change = this.change('removed', id, 0, {
			...old,
			optInStatus: 'NO',
			activeStatus: 'INACTIVE',
		});
		change.changedFields = ['optInStatus', 'activeStatus'];
		change.previous = {
			optInStatus: old.optInStatus ?? null,
			activeStatus: old.activeStatus ?? null,
		};
		if (this.counts.emitted >= this.detection.maxChanges) {
			this.counts.deferred++;
			return this.keepLine(fields);
		}
		this.counts.emitted++;
		this.count(change);
		this.changes.push(change);
	}

	snapshotFile(): Buffer {
		return this.snapshotWriter.file();
	}

	private compareCandidate(id: string, candidate: Candidate, oldFields: string[]): void {
		const old = this.oldValues(oldFields);
		const change = this.change('changed', id, candidate.line, candidate.record);
		for (const field of this.feedReader!.layout.fields) {
			if (!(field in old)) continue;
			const value = candidate.record[field] ?? null;
			if (value === old[field]) continue;
			change.changedFields.push(field);
			change.previous[field] = old[field];
			if (value === null) change.clearedFields.push(field);
		}
		if (!change.changedFields.length) change.change = 'resync';
		else if (
			change.changedFields.includes('optInStatus') &&
			isOptedOut(candidate.record.optInStatus) &&
			!isOptedOut(old.optInStatus)
		)
			change.change = 'opted_out';
		const isChange = change.change !== 'resync';
		if (!this.selects(candidate.record, isChange)) {
			if (isChange) {
				if (this.detection.mode === 'backfill') return this.keepLine(oldFields);
			} else this.counts.unchangedMembers++;
			return this.writeLine(csvLine(candidate.fields));
		}
		if (this.counts.emitted >= this.detection.maxChanges) {
			this.counts.deferred++;
			return this.detection.mode === 'full' ? undefined : this.keepLine(oldFields);
		}
		this.emit(change, candidate.fields, true);
	}

	private emit(change: MemberChange, fields: string[], known: boolean): void {
		if (this.counts.emitted >= this.detection.maxChanges) {
			this.counts.deferred++;
			// Held back: a known member keeps its snapshot line (it is due again next run); a new
			// member, or any member of a full resync, is left out so the next run sends it.
			if (known && this.detection.mode !== 'full') this.keep.add(change.memberId);
			return;
		}
		this.counts.emitted++;
		this.count(change);
		this.changes.push(change);
		this.writeLine(csvLine(fields));
	}

	private reject(line: number, memberId: string | null, reason: string): void {
		this.rowsRejected++;
		if (this.rejects.length < this.rejectLimit) this.rejects.push({ line, memberId, reason });
		if (memberId === null) return;
		const known = this.members.get(memberId);
		// A bad row never removes a member: the last good values stay in the snapshot.
		if (known !== undefined && known >= 0) {
			this.members.set(memberId, -line);
			this.keep.add(memberId);
		}
	}

	private oldValues(fields: string[]): MemberRecord {
		const result = this.snapshotReader!.read(detached(fields));
		return 'record' in result ? result.record : {};
	}

	/** Carries a snapshot line over, moved to the feed's columns when the header changed. */
	private keepLine(oldFields: string[]): void {
		const header = this.snapshotHeader!;
		const same =
			header.length === this.feedHeader.length && header.every((h, i) => h === this.feedHeader[i]);
		this.writeLine(
			csvLine(
				same ? oldFields : this.feedHeader.map((name) => oldFields[header.indexOf(name)] ?? ''),
			),
		);
	}

	private change(kind: ChangeKind, id: string, line: number, record: MemberRecord): MemberChange {
		return {
			change: kind,
			memberId: id,
			line,
			changedFields: [],
			clearedFields: [],
			previous: {},
			record,
		};
	}

	/** Whether the member goes out: what changed, everyone (full), or the chosen ones (backfill). */
	private selects(record: MemberRecord, changed: boolean): boolean {
		const { mode, backfill } = this.detection;
		if (mode === 'full') return true;
		if (mode === 'changes') return changed;
		if (backfill?.memberIds?.has(String(record.loyaltyId))) return true;
		if (backfill?.optInFrom === undefined && backfill?.optInTo === undefined) return false;
		const optIn = typeof record.optInDate === 'string' ? Date.parse(record.optInDate) : NaN;
		if (Number.isNaN(optIn)) return false;
		return (
			(backfill.optInFrom === undefined || optIn >= backfill.optInFrom) &&
			(backfill.optInTo === undefined || optIn <= backfill.optInTo)
		);
	}

	private count(change: MemberChange): void {
		const counts = this.counts;
		if (change.change === 'new') counts.newMembers++;
		else if (change.change === 'changed') counts.changedMembers++;
		else if (change.change === 'opted_out') counts.optedOutMembers++;
		else if (change.change === 'removed') counts.removedMembers++;
		else {
			counts.resyncMembers++;
			counts.unchangedMembers++;
		}
		for (const field of change.changedFields)
			counts.changedFieldCounts[field] = (counts.changedFieldCounts[field] ?? 0) + 1;
	}

	private writeLine(line: string): void {
		this.snapshotWriter.line(line);
	}
}

export async function compareWithSnapshot(input: CompareInput): Promise<CompareResult> {
	const comparison = new Comparison(input.detection, input.options, input.rejectLimit);
	const readSnapshot = async (row: (fields: string[]) => void) => {
		if (!input.snapshot) return;
		let header = true;
		for await (const record of csvRecords(await input.snapshot())) {
			if (header) {
				if (!comparison.snapshotHeader) comparison.snapshotHeaderRow(record.fields);
				header = false;
			} else row(record.fields);
		}
	};
	await readSnapshot((fields) => comparison.snapshotRow(fields));
	for await (const record of csvRecords(input.feed, input.options)) {
		if (!comparison.feedReader) comparison.feedHeaderRow(record.fields);
		else comparison.feedRow(record.line, record.fields, record.unterminated === true);
	}
	const layout = comparison.feedReader?.layout;
	if (!layout) throw new FeedFormatError('The feed is empty: no header row');
	const accepted = comparison.rowsRead - comparison.rowsRejected;
	const snapshotRows = comparison.counts.snapshotRows;
	let stopReason: string | undefined;
	if (accepted === 0) stopReason = `The feed has no member rows (${comparison.rowsRead} rows read)`;
	else if (snapshotRows > 0 && accepted < snapshotRows * input.minShareOfSnapshot)
		stopReason = `The feed has ${accepted} member rows, fewer than ${Math.round(input.minShareOfSnapshot * 100)}% of the ${snapshotRows} in the last snapshot`;
	const result: CompareResult = {
		changes: [],
		counts: comparison.counts,
		rowsRead: comparison.rowsRead,
		rowsRejected: comparison.rowsRejected,
		rejects: comparison.rejects,
		feedFields: layout.fields,
		ignoredColumns: layout.ignoredHeaders,
		stopReason,
	};
	if (stopReason) return result;
	await readSnapshot((fields) => comparison.snapshotRowAgain(fields));
	// Feed order, members who left last.
	result.changes = comparison.changes.sort(
		(a, b) => (a.line || Number.MAX_SAFE_INTEGER) - (b.line || Number.MAX_SAFE_INTEGER),
	);
	result.snapshot = comparison.snapshotFile();
	return result;
}
