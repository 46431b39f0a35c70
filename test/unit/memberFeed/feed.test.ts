import { CsvReader, csvLine } from '../../../nodes/MemberFeed/logic/csv';
import {
	compareWithSnapshot,
	readFeedPage,
	type CompareInput,
} from '../../../nodes/MemberFeed/logic/feedReader';
import { feedLayout, isoLikeDate, RowReader } from '../../../nodes/MemberFeed/logic/feedSchema';

const HEADER =
	'User ID,Name,Email,Create Date,Tier,Opt in Status,Opt-in Date,Current Balance,Last Purchase Date';

function feed(...rows: string[]): string {
	return `${HEADER}\n${rows.join('\n')}\n`;
}

/** Splits text into small chunks so records and quotes cross chunk borders. */
function chunks(text: string, size = 7): Buffer[] {
	const bytes = Buffer.from(text, 'utf8');
	const parts: Buffer[] = [];
	for (let index = 0; index < bytes.length; index += size)
		parts.push(bytes.subarray(index, index + size));
	return parts;
}

function compare(feedText: string, snapshot?: Buffer, overrides: Partial<CompareInput> = {}) {
	return compareWithSnapshot({
		feed: chunks(feedText),
		snapshot: snapshot ? () => [snapshot] : undefined,
		options: { knownTiers: ['Bronze', 'Silver', 'Gold', 'Platinum'] },
		detection: { mode: 'changes', maxChanges: 1000 },
		minShareOfSnapshot: 0.5,
		rejectLimit: 100,
		...overrides,
	});
}

const DAY_ONE = feed(
	'm1,Ann Lee,ann@example.com,2020-01-02,Gold,YES,2020-01-02 10:00:00,1200,2024-05-01',
	'm2,Bo Chen,bo@example.com,2021-03-04,Silver,YES,2021-03-04 09:30:00,300,',
	'm3,"Cy ""CJ"" Jones",cy@example.com,2022-06-07,Bronze,YES,2022-06-07 12:00:00,50,2024-01-01',
);

describe('CSV reader', () => {
	it('reads quoted delimiters, doubled quotes and line breaks across chunks, with start lines', () => {
		const reader = new CsvReader();
		const text = 'a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\n\nlast,row';
		const records = chunks(text, 3).flatMap((part) => reader.push(part.toString('latin1')));
		records.push(...reader.end());
		expect(records).toEqual([
			{ line: 1, fields: ['a', 'b'] },
			{ line: 2, fields: ['x, y', 'say "hi"'] },
			{ line: 3, fields: ['two\nlines', 'z'] },
			{ line: 6, fields: ['last', 'row'] },
		]);
	});

	it('takes another delimiter and quotes only where needed when writing', () => {
		const reader = new CsvReader({ delimiter: ';' });
		expect([...reader.push('a;"b;c"\n'), ...reader.end()]).toEqual([
			{ line: 1, fields: ['a', 'b;c'] },
		]);
		expect(csvLine(['plain', 'with,comma', 'with "quote"'])).toBe(
			'plain,"with,comma","with ""quote"""',
		);
	});
});

describe('feed rows', () => {
	it('maps the Member Report headers to the loyalty profile field names', () => {
		const layout = feedLayout(HEADER.split(','));
		expect(layout.fields).toEqual([
			'loyaltyId',
			'email',
			'firstName',
			'lastName',
			'createDate',
			'optInStatus',
			'optInDate',
			'currentTier',
			'availablePoints',
			'lastPurchaseDate',
		]);
		const reader = new RowReader(layout);
		expect(
			reader.read([
				'm1',
				'Ann Marie Lee',
				'ann@example.com',
				'2020-01-02',
				'Gold',
				'YES',
				'2020-01-02 10:00:00',
				'1,200',
				'',
			]),
		).toEqual({
			record: {
				loyaltyId: 'm1',
				firstName: 'Ann',
				lastName: 'Marie Lee',
				email: 'ann@example.com',
				createDate: '2020-01-02T00:00:00.000Z',
				currentTier: 'Gold',
				optInStatus: 'YES',
				optInDate: '2020-01-02T10:00:00.000Z',
				availablePoints: 1200,
				lastPurchaseDate: null,
			},
		});
	});

	it('takes a column map, date formats and a time zone from the settings', () => {
		const layout = feedLayout(['Customer No', 'Joined'], {
			columnMap: { 'Customer No': 'loyaltyId', Joined: 'optInDate' },
		});
		const reader = new RowReader(layout, {
			dateFormats: ['dd.MM.yyyy'],
			timeZone: 'Europe/Berlin',
		});
		expect(reader.read(['c-9', '31.12.2023'])).toEqual({
			record: { loyaltyId: 'c-9', optInDate: '2023-12-30T23:00:00.000Z' },
		});
		expect(reader.read(['c-9', '31.02.2023'])).toEqual({
			reason: 'optInDate: "31.02.2023" is not a possible date',
		});
	});

	it('refuses a feed without a member id column', () => {
		expect(() => feedLayout(['Email', 'Tier'])).toThrow('No member id column');
	});
});

describe('change detection', () => {
	it('sends every member on the first run and writes a snapshot', async () => {
		const result = await compare(DAY_ONE);
		expect(result.changes.map((c) => [c.change, c.memberId, c.line])).toEqual([
			['new', 'm1', 2],
			['new', 'm2', 3],
			['new', 'm3', 4],
		]);
		expect(result.changes[2].record.firstName).toBe('Cy');
		expect(result.changes[2].record.lastName).toBe('"CJ" Jones');
		expect(result.snapshot!.toString()).toBe(DAY_ONE);
	});

	it('writes a snapshot of several megabytes with multi-byte names byte for byte', async () => {
		const rows = Array.from(
			{ length: 30_000 },
			(_, index) =>
				`m${index},Zoë Ångström 🎉${index},z${index}@example.com,2020-01-02,Gold,YES,2020-01-02 10:00:00,${index},`,
		);
		const text = feed(...rows);
		const first = await compare(text, undefined, {
			detection: { mode: 'changes', maxChanges: 50_000 },
		});
		expect(first.snapshot!.length).toBeGreaterThan(2 * 1024 * 1024);
		expect(first.snapshot!.equals(Buffer.from(text, 'utf8'))).toBe(true);
		expect(first.changes[29_999].record.lastName).toBe('Ångström 🎉29999');
		const next = await compare(text, first.snapshot, {
			detection: { mode: 'changes', maxChanges: 50_000 },
		});
		expect(next.changes).toEqual([]);
		expect(next.snapshot!.equals(first.snapshot!)).toBe(true);
	});

	it('passes on only new, changed, opted-out and removed members, each with the fields that changed', async () => {
		const first = await compare(DAY_ONE);
		const dayTwo = feed(
			'm1,Ann Lee,ann@example.com,2020-01-02,Platinum,YES,2020-01-02 10:00:00,1500,2024-05-01',
			'm3,"Cy ""CJ"" Jones",cy@example.com,2022-06-07,Bronze,NO,2022-06-07 12:00:00,50,',
			'm4,Di Wu,di@example.com,2024-06-07,Bronze,YES,2024-06-07 12:00:00,0,',
		);
		const result = await compare(dayTwo, first.snapshot);
		expect(
			result.changes.map((c) => ({
				change: c.change,
				id: c.memberId,
				fields: c.changedFields,
				previous: c.previous,
				cleared: c.clearedFields,
			})),
		).toEqual([
			{
				change: 'changed',
				id: 'm1',
				fields: ['currentTier', 'availablePoints'],
				previous: { currentTier: 'Gold', availablePoints: 1200 },
				cleared: [],
			},
			{
				change: 'opted_out',
				id: 'm3',
				fields: ['optInStatus', 'lastPurchaseDate'],
				previous: { optInStatus: 'YES', lastPurchaseDate: '2024-01-01T00:00:00.000Z' },
				cleared: ['lastPurchaseDate'],
			},
			{ change: 'new', id: 'm4', fields: [], previous: {}, cleared: [] },
			{
				change: 'removed',
				id: 'm2',
				fields: ['optInStatus', 'activeStatus'],
				previous: { optInStatus: 'YES', activeStatus: null },
				cleared: [],
			},
		]);
		expect(result.counts).toMatchObject({
			snapshotRows: 3,
			newMembers: 1,
			changedMembers: 1,
			optedOutMembers: 1,
			removedMembers: 1,
			unchangedMembers: 0,
		});
		const third = await compare(dayTwo, result.snapshot);
		expect(third.changes).toEqual([]);
		expect(third.counts.unchangedMembers).toBe(3);
	});

	it('rejects bad rows one by one with line and reason and goes on', async () => {
		const result = await compare(
			feed(
				'm1,Ann Lee,ann@example.com,2020-01-02,Gold,YES,2020-01-02 10:00:00,1200,2024-05-01',
				'm2,Bo Chen,bo@example.com,2021-03-04,Silver,YES',
				'm3,Cy Jones,cy@example.com,2022-02-30,Bronze,YES,2022-06-07 12:00:00,50,',
				'm1,Ann Lee,ann@example.com,2020-01-02,Gold,YES,2020-01-02 10:00:00,1200,2024-05-01',
				'm5,Ed Fox,ed@example.com,2022-01-01,Diamond,YES,2022-06-07 12:00:00,50,',
				'm6,Flo Ray,flo@example.com,2022-01-01,Gold,YES,2022-06-07 12:00:00,lots,',
			),
		);
		expect(result.rejects).toEqual([
			{ line: 3, memberId: 'm2', reason: 'wrong column count: 6 instead of 9' },
			{ line: 4, memberId: 'm3', reason: 'createDate: "2022-02-30" is not a possible date' },
			{ line: 5, memberId: 'm1', reason: 'duplicate member id (first on line 2)' },
			{ line: 6, memberId: 'm5', reason: 'currentTier: unknown tier "Diamond"' },
			{ line: 7, memberId: 'm6', reason: 'availablePoints: "lots" is not a number' },
		]);
		expect(result.rowsRead).toBe(6);
		expect(result.rowsRejected).toBe(5);
		expect(result.changes.map((c) => c.memberId)).toEqual(['m1']);
	});

	it('keeps a member whose row is rejected today, with its last good values', async () => {
		const first = await compare(DAY_ONE);
		const result = await compare(
			feed(
				'm1,Ann Lee,ann@example.com,2020-01-02,Gold,YES,2020-01-02 10:00:00,1200,2024-05-01',
				'm2,Bo Chen,bo@example.com,2021-03-04,Silver,YES,2021-13-04 09:30:00,300,',
				'm3,"Cy ""CJ"" Jones",cy@example.com,2022-06-07,Bronze,YES,2022-06-07 12:00:00,50,2024-01-01',
			),
			first.snapshot,
		);
		expect(result.changes).toEqual([]);
		expect(result.rejects.map((reject) => reject.memberId)).toEqual(['m2']);
		const lines = (text: string) => text.trim().split('\n').sort();
		expect(lines(result.snapshot!.toString())).toEqual(lines(DAY_ONE));
	});

	it('compares field by field when the feed columns moved since the snapshot', async () => {
		const first = await compare(DAY_ONE);
		const moved = [
			'Email,User ID,Name,Create Date,Tier,Opt in Status,Opt-in Date,Current Balance,Last Purchase Date',
			'ann@example.com,m1,Ann Lee,2020-01-02,Gold,YES,2020-01-02 10:00:00,1250,2024-05-01',
			'bo@example.com,m2,Bo Chen,2021-03-04,Silver,YES,2021-03-04 09:30:00,300,',
			'cy@example.com,m3,"Cy ""CJ"" Jones",2022-06-07,Bronze,YES,2022-06-07 12:00:00,50,2024-01-01',
			'',
		].join('\n');
		const result = await compare(moved, first.snapshot);
		expect(result.changes.map((c) => [c.memberId, c.changedFields])).toEqual([
			['m1', ['availablePoints']],
		]);
		expect(result.counts.unchangedMembers).toBe(2);
		const again = await compare(moved, result.snapshot);
		expect(again.changes).toEqual([]);
	});

	it('stops before anything is removed when the feed is empty or far shorter than the snapshot', async () => {
		const first = await compare(DAY_ONE);
		const empty = await compare(feed(), first.snapshot);
		expect(empty.stopReason).toBe('The feed has no member rows (0 rows read)');
		expect(empty.changes).toEqual([]);
		expect(empty.snapshot).toBeUndefined();
		const short = await compare(
			feed('m1,Ann Lee,ann@example.com,2020-01-02,Gold,YES,2020-01-02 10:00:00,1200,2024-05-01'),
			first.snapshot,
		);
		expect(short.stopReason).toBe(
			'The feed has 1 member rows, fewer than 50% of the 3 in the last snapshot',
		);
		expect(short.changes).toEqual([]);
	});

	it('sends everyone on a full resync and only the chosen members on a backfill', async () => {
		const first = await compare(DAY_ONE);
		const full = await compare(DAY_ONE, first.snapshot, {
			detection: { mode: 'full', maxChanges: 1000 },
		});
		expect(full.changes.map((c) => c.change)).toEqual(['resync', 'resync', 'resync']);
		expect(full.counts.unchangedMembers).toBe(3);
		const byId = await compare(DAY_ONE, first.snapshot, {
			detection: { mode: 'backfill', maxChanges: 1000, backfill: { memberIds: new Set(['m2']) } },
		});
		expect(byId.changes.map((c) => c.memberId)).toEqual(['m2']);
		const byDate = await compare(DAY_ONE, first.snapshot, {
			detection: {
				mode: 'backfill',
				maxChanges: 1000,
				backfill: { optInFrom: Date.parse('2021-01-01'), optInTo: Date.parse('2022-12-31') },
			},
		});
		expect(byDate.changes.map((c) => c.memberId)).toEqual(['m2', 'm3']);
		expect(byDate.snapshot!.equals(first.snapshot!)).toBe(true);
	});

	it('leaves members over the per-run limit due for the next run', async () => {
		const first = await compare(DAY_ONE, undefined, {
			detection: { mode: 'changes', maxChanges: 2 },
		});
		expect(first.changes.map((c) => c.memberId)).toEqual(['m1', 'm2']);
		expect(first.counts.deferred).toBe(1);
		const second = await compare(DAY_ONE, first.snapshot);
		expect(second.changes.map((c) => [c.change, c.memberId])).toEqual([['new', 'm3']]);
	});
});

describe('pages', () => {
	it('reads a feed in bounded pages and says where the next one starts', async () => {
		const text = feed(
			'm1,Ann Lee,ann@example.com,2020-01-02,Gold,YES,2020-01-02 10:00:00,1200,2024-05-01',
			'm2,Bo Chen,bo@example.com,2021-03-04,Silver,YES',
			'm3,Cy Jones,cy@example.com,2022-06-07,Bronze,YES,2022-06-07 12:00:00,50,',
		);
		const page = (startRow: number) =>
			readFeedPage({ feed: chunks(text), options: {}, startRow, maxRows: 2, rejectLimit: 10 });
		const one = await page(0);
		expect(one.records.map((r) => r.record.loyaltyId)).toEqual(['m1']);
		expect(one.rejects).toEqual([
			{ line: 3, memberId: 'm2', reason: 'wrong column count: 6 instead of 9' },
		]);
		expect(one.nextStartRow).toBe(2);
		const two = await page(2);
		expect(two.records.map((r) => [r.line, r.record.loyaltyId])).toEqual([[4, 'm3']]);
		expect(two.nextStartRow).toBeUndefined();
	});
});

describe('dates', () => {
	it('reads Annex Cloud date-times and plain dates quickly, and refuses impossible ones', () => {
		expect(isoLikeDate('2024-08-08T07:00:12+0000', false)).toBe('2024-08-08T07:00:12.000Z');
		expect(isoLikeDate('2024-08-08T07:00:12+02:00', false)).toBe('2024-08-08T05:00:12.000Z');
		expect(isoLikeDate('2024-02-29 23:59:59', true)).toBe('2024-02-29T23:59:59.000Z');
		expect(isoLikeDate('2023-02-29', true)).toBe('');
		expect(isoLikeDate('2024-01-01 24:00:00', true)).toBe('');
		expect(isoLikeDate('2024-01-01', false)).toBeUndefined();
		expect(isoLikeDate('01/02/2024', true)).toBeUndefined();
	});
});
