import { csvLine, CsvReader, type CsvRecord } from './csv';
import {
	feedLayout,
	FeedFormatError,
	RowReader,
	type FeedSettings,
	type MemberRecord,
} from './feedSchema';

/**
 * Compares a member feed with the snapshot of the last successful sync, on the member id, and
 * passes on only what changed. The snapshot is the last feed's accepted rows as they were
 * written (header included). A feed row written exactly as in the snapshot is unchanged and costs
 * one string comparison; only the other rows are converted, checked and compared field by field.
 * One map holds a line per snapshot member (about 300 MB for a million members); the feed is read
 * one row at a time.
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
const SNAPSHOT_CHUNK_LINES = 10_000;

function parseLine(line: string): CsvRecord[] {
	const reader = new CsvReader();
	return [...reader.push(line), ...reader.end()];
}

export function isOptedOut(value: unknown): boolean {
	return typeof value === 'string' && OPTED_OUT.has(value.trim().toLowerCase());
}

export class FeedComparison {
	/** Member id → its snapshot line while unseen in the feed, then the feed line number. */
	private readonly members = new Map<string, string | number>();
	private snapshotHeader?: string[];
	private snapshotReader?: RowReader;
	private snapshotIdColumn = -1;
	private feedReader?: RowReader;
	private sameHeader = false;
	private feedHeader: string[] = [];
	private readonly snapshotChunks: Buffer[] = [];
	private pendingLines: string[] = [];
	rowsRead = 0;
	rowsRejected = 0;
	readonly rejects: RejectedRow[] = [];
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
		private readonly detection: ChangeDetectionOptions,
		private readonly settings: FeedSettings,
		private readonly rejectLimit: number,
	) {}

	get layout() {
		return this.feedReader?.layout;
	}

	/** A snapshot record: the header first, then one member per row. */
	snapshotRecord(record: CsvRecord): void {
		if (!this.snapshotHeader) {
			this.snapshotHeader = record.fields;
			let layout;
			try {
				layout = feedLayout(record.fields, this.settings);
			} catch (error) {
				throw new FeedFormatError(`The snapshot is not a member feed: ${(error as Error).message}`);
			}
			// Values once accepted stay readable even if the tier list changed since.
			this.snapshotReader = new RowReader(layout, { ...this.settings, knownTiers: [] });
			this.snapshotIdColumn = layout.idColumn;
			return;
		}
		const id = record.fields[this.snapshotIdColumn]?.trim();
		if (!id || record.fields.length !== this.snapshotHeader.length) return;
		if (!this.members.has(id)) this.counts.snapshotRows++;
		this.members.set(id, csvLine(record.fields));
	}

	/** A feed record: the header first (it sets the layout), then one member per row. */
	feedRecord(record: CsvRecord): MemberChange | undefined {
		if (!this.feedReader) {
			this.feedReader = new RowReader(feedLayout(record.fields, this.settings), this.settings);
			this.feedHeader = record.fields;
			this.sameHeader =
				this.snapshotHeader !== undefined &&
				csvLine(this.snapshotHeader) === csvLine(record.fields);
			this.writeSnapshotLine(csvLine(record.fields));
			return undefined;
		}
		this.rowsRead++;
		const reader = this.feedReader;
		const id = record.fields[reader.layout.idColumn]?.trim() || null;
		if (record.unterminated) return this.reject(record.line, id, 'a quoted value is never closed');
		if (record.fields.length !== reader.layout.columns.length)
			return this.reject(
				record.line,
				id,
				`wrong column count: ${record.fields.length} instead of ${reader.layout.columns.length}`,
			);
		if (id === null) return this.reject(record.line, id, 'empty member id');
		const known = this.members.get(id);
		if (typeof known === 'number')
			return this.reject(record.line, id, `duplicate member id (first on line ${known})`);
		const line = csvLine(record.fields);
		if (known === line && this.sameHeader && this.detection.mode === 'changes') {
			this.members.set(id, record.line);
			this.counts.unchangedMembers++;
			this.writeSnapshotLine(line);
			return undefined;
		}
		const result = reader.read(record.fields);
		if ('reason' in result) return this.reject(record.line, id, result.reason);
		this.members.set(id, record.line);
		const change = this.classify(id, record.line, result.record, known);
		if (!this.selects(result.record, change)) {
			if (this.detection.mode === 'backfill') this.keep(known);
			else this.writeSnapshotLine(line);
			if (!change) this.counts.unchangedMembers++;
			return undefined;
		}
		if (this.counts.emitted >= this.detection.maxChanges) {
			this.counts.deferred++;
			// Full resync: leave the member out so the next run sends it as new.
			if (this.detection.mode !== 'full') this.keep(known);
			return undefined;
		}
		this.counts.emitted++;
		this.writeSnapshotLine(line);
		const emitted = change ?? this.resync(id, record.line, result.record);
		this.count(emitted);
		return emitted;
	}

	/** Members of the snapshot the feed no longer has (changes and full modes). */
	*removed(): Generator<MemberChange> {
		const mode = this.detection.mode;
		for (const [id, known] of this.members) {
			if (typeof known === 'number') continue;
			if (mode === 'backfill' || this.counts.emitted >= this.detection.maxChanges) {
				if (mode !== 'backfill') this.counts.deferred++;
				this.keep(known);
				continue;
			}
			this.counts.emitted++;
			const record = this.snapshotValues(known);
			const change: MemberChange = {
				change: 'removed',
				memberId: id,
				line: 0,
				changedFields: ['optInStatus', 'activeStatus'],
				clearedFields: [],
				previous: {
					optInStatus: record.optInStatus ?? null,
					activeStatus: record.activeStatus ?? null,
				},
				record: { ...record, optInStatus: 'NO', activeStatus: 'INACTIVE' },
			};
			this.count(change);
			yield change;
		}
		this.members.clear();
	}

	/** The new snapshot file (CSV); complete once `removed()` has been read to the end. */
	snapshotFile(): Buffer {
		this.flushSnapshot();
		return Buffer.concat(this.snapshotChunks);
	}

	private reject(line: number, memberId: string | null, reason: string): undefined {
		this.rowsRejected++;
		if (this.rejects.length < this.rejectLimit) this.rejects.push({ line, memberId, reason });
		// A bad row never removes a member: the last good values stay in the snapshot.
		if (memberId !== null) {
			const known = this.members.get(memberId);
			if (typeof known === 'string') {
				this.members.set(memberId, line);
				this.keep(known);
			}
		}
		return undefined;
	}

	/** The snapshot line's values, read with the snapshot's own header. */
	private snapshotValues(line: string): MemberRecord {
		const [record] = parseLine(line);
		const result = this.snapshotReader!.read(record.fields);
		return 'record' in result ? result.record : {};
	}

	private classify(
		id: string,
		line: number,
		record: MemberRecord,
		known: string | undefined,
	): MemberChange | undefined {
		const change: MemberChange = {
			change: 'new',
			memberId: id,
			line,
			changedFields: [],
			clearedFields: [],
			previous: {},
			record,
		};
		if (known === undefined) return change;
		const old = this.snapshotValues(known);
		for (const field of this.feedReader!.layout.fields) {
			if (!(field in old)) continue;
			const value = record[field] ?? null;
			if (value === old[field]) continue;
			change.changedFields.push(field);
			change.previous[field] = old[field];
			if (value === null) change.clearedFields.push(field);
		}
		if (!change.changedFields.length) return undefined;
		change.change =
			change.changedFields.includes('optInStatus') &&
			isOptedOut(record.optInStatus) &&
			!isOptedOut(old.optInStatus)
				? 'opted_out'
				: 'changed';
		return change;
	}

	private selects(record: MemberRecord, change: MemberChange | undefined): boolean {
		const { mode, backfill } = this.detection;
		if (mode === 'full') return true;
		if (mode === 'changes') return change !== undefined;
		if (backfill?.memberIds?.has(String(record.loyaltyId))) return true;
		if (backfill?.optInFrom === undefined && backfill?.optInTo === undefined) return false;
		const optIn = typeof record.optInDate === 'string' ? Date.parse(record.optInDate) : NaN;
		if (Number.isNaN(optIn)) return false;
		return (
			(backfill.optInFrom === undefined || optIn >= backfill.optInFrom) &&
			(backfill.optInTo === undefined || optIn <= backfill.optInTo)
		);
	}

	private resync(id: string, line: number, record: MemberRecord): MemberChange {
		return {
			change: 'resync',
			memberId: id,
			line,
			changedFields: [],
			clearedFields: [],
			previous: {},
			record,
		};
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

	/** Carries a snapshot line over, moved to the feed's columns when the header changed. */
	private keep(line: string | undefined): void {
		if (line === undefined) return;
		if (this.sameHeader) return this.writeSnapshotLine(line);
		const [record] = parseLine(line);
		const header = this.snapshotHeader!;
		this.writeSnapshotLine(
			csvLine(this.feedHeader.map((name) => record.fields[header.indexOf(name)] ?? '')),
		);
	}

	private writeSnapshotLine(line: string): void {
		this.pendingLines.push(line);
		if (this.pendingLines.length >= SNAPSHOT_CHUNK_LINES) this.flushSnapshot();
	}

	private flushSnapshot(): void {
		if (!this.pendingLines.length) return;
		this.snapshotChunks.push(Buffer.from(`${this.pendingLines.join('\n')}\n`, 'utf8'));
		this.pendingLines = [];
	}
}
