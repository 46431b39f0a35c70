import { csvLine } from './csv';
import { FEED_FIELDS, type MemberRecord } from './feedSchema';

/**
 * Compares a member feed with the snapshot of the last successful sync, on the member id, and
 * passes on only what changed. The snapshot is a CSV file whose header is the record field names;
 * it is held as one packed string per member (about 250 MB for a million members), and the feed
 * is read one row at a time, so only the changes grow with the work to do.
 */

export type SyncMode = 'changes' | 'full' | 'backfill';

export type ChangeKind = 'new' | 'changed' | 'opted_out' | 'removed' | 'resync';

export interface MemberChange {
	change: ChangeKind;
	memberId: string;
	/** Feed line of the member (0 for a member only in the snapshot). */
	line: number;
	changedFields: string[];
	/** Fields that had a value and are now empty; the value stays where it was sent before. */
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

const SEPARATOR = '\u001f';
const OPTED_OUT = new Set(['no', 'n', 'false', '0', 'opted out', 'optout', 'opt-out']);
const KIND_BY_KEY = new Map(FEED_FIELDS.map((field) => [field.key, field.kind]));
const SNAPSHOT_CHUNK_LINES = 10_000;

export function isOptedOut(value: unknown): boolean {
	return typeof value === 'string' && OPTED_OUT.has(value.trim().toLowerCase());
}

function packValue(value: string | number | null | undefined): string {
	if (value === null || value === undefined) return '';
	return String(value).replace(/\u001f/g, ' ');
}

function unpackValue(field: string, text: string): string | number | null {
	if (text === '') return null;
	if (KIND_BY_KEY.get(field) === 'number') {
		const value = Number(text);
		return Number.isFinite(value) ? value : text;
	}
	return text;
}

export interface ChangeCounts {
	snapshotRows: number;
	newMembers: number;
	changedMembers: number;
	optedOutMembers: number;
	removedMembers: number;
	unchangedMembers: number;
	/** Unchanged members sent anyway (full resync, backfill); also counted as unchanged. */
	resyncMembers: number;
	emitted: number;
	deferred: number;
	changedFieldCounts: Record<string, number>;
}

export class ChangeDetector {
	private readonly previous = new Map<string, string>();
	private snapshotFields: string[] = [];
	private feedFields: string[] = [];
	private sameLayout = false;
	/** Feed fields also in the snapshot, with their position there. */
	private comparable: Array<{ field: string; feedIndex: number; snapshotIndex: number }> = [];
	private readonly snapshotChunks: Buffer[] = [];
	private pendingLines: string[] = [];
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

	constructor(private readonly options: ChangeDetectionOptions) {}

	/** The snapshot's header row. */
	snapshotHeader(fields: string[]): void {
		this.snapshotFields = fields;
		if (!fields.includes('loyaltyId')) throw new Error('The snapshot has no loyaltyId column');
	}

	/** One snapshot row, as the CSV reader returned it. */
	snapshotRow(fields: string[]): void {
		const id = fields[this.snapshotFields.indexOf('loyaltyId')];
		if (!id || fields.length !== this.snapshotFields.length) return;
		if (!this.previous.has(id)) this.counts.snapshotRows++;
		this.previous.set(id, fields.map(packValue).join(SEPARATOR));
	}

	/** Called once the feed's fields are known, before the first `member`. */
	feedLayout(fields: string[]): void {
		this.feedFields = fields;
		this.writeSnapshotLine(csvLine(fields));
		this.sameLayout =
			fields.length === this.snapshotFields.length &&
			fields.every((field, index) => field === this.snapshotFields[index]);
		this.comparable = fields
			.map((field, feedIndex) => ({
				field,
				feedIndex,
				snapshotIndex: this.snapshotFields.indexOf(field),
			}))
			.filter((entry) => entry.snapshotIndex >= 0);
	}

	/** One accepted feed record; returns the change to send, if any. */
	member(record: MemberRecord, line: number): MemberChange | undefined {
		const id = String(record.loyaltyId);
		const values = this.feedFields.map((field) => packValue(record[field]));
		const packed = values.join(SEPARATOR);
		const before = this.previous.get(id);
		this.previous.delete(id);
		const change = this.classify(record, values, packed, before);
		const selected = this.selects(record, change);
		if (!selected) {
			if (this.options.mode === 'backfill') this.keep(before);
			else this.writeSnapshot(values);
			if (!change) this.counts.unchangedMembers++;
			return undefined;
		}
		if (this.counts.emitted >= this.options.maxChanges) {
			this.counts.deferred++;
			// Full resync: leave the member out so the next run sends it as new.
			if (this.options.mode !== 'full') this.keep(before);
			return undefined;
		}
		this.counts.emitted++;
		this.writeSnapshot(values);
		const result = change ?? this.resync(id, line, record);
		result.line = line;
		this.count(result);
		return result;
	}

	/** Members of the snapshot the feed no longer has (changes and full modes). */
	*removed(): Generator<MemberChange> {
		const mode = this.options.mode;
		for (const [id, packed] of this.previous) {
			if (mode === 'backfill' || this.counts.emitted >= this.options.maxChanges) {
				if (mode !== 'backfill') this.counts.deferred++;
				this.keep(packed);
				continue;
			}
			this.counts.emitted++;
			const record = this.unpack(packed);
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
		this.previous.clear();
	}

	/** The new snapshot file (CSV); complete once `removed()` has been read to the end. */
	snapshotFile(): Buffer {
		this.flushSnapshot();
		return Buffer.concat(this.snapshotChunks);
	}

	private classify(
		record: MemberRecord,
		values: string[],
		packed: string,
		before: string | undefined,
	): MemberChange | undefined {
		const id = String(record.loyaltyId);
		if (before === undefined)
			return {
				change: 'new',
				memberId: id,
				line: 0,
				changedFields: [],
				clearedFields: [],
				previous: {},
				record,
			};
		if (this.sameLayout && before === packed) return undefined;
		const old = before.split(SEPARATOR);
		const changedFields: string[] = [];
		const clearedFields: string[] = [];
		const previous: MemberRecord = {};
		for (const { field, feedIndex, snapshotIndex } of this.comparable) {
			if (values[feedIndex] === old[snapshotIndex]) continue;
			changedFields.push(field);
			previous[field] = unpackValue(field, old[snapshotIndex]);
			if (values[feedIndex] === '') clearedFields.push(field);
		}
		if (!changedFields.length) return undefined;
		const optedOut =
			changedFields.includes('optInStatus') &&
			isOptedOut(record.optInStatus) &&
			!isOptedOut(previous.optInStatus);
		return {
			change: optedOut ? 'opted_out' : 'changed',
			memberId: id,
			line: 0,
			changedFields,
			clearedFields,
			previous,
			record,
		};
	}

	private selects(record: MemberRecord, change: MemberChange | undefined): boolean {
		const { mode, backfill } = this.options;
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

	private unpack(packed: string): MemberRecord {
		const values = packed.split(SEPARATOR);
		const record: MemberRecord = {};
		this.snapshotFields.forEach((field, index) => {
			record[field] = unpackValue(field, values[index]);
		});
		return record;
	}

	/** Carries a snapshot line over unchanged (converted to the feed's columns). */
	private keep(packed: string | undefined): void {
		if (packed === undefined) return;
		const record = this.unpack(packed);
		this.writeSnapshot(this.feedFields.map((field) => packValue(record[field])));
	}

	private writeSnapshot(values: string[]): void {
		this.writeSnapshotLine(csvLine(values));
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
