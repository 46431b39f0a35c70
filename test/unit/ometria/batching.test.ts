import {
	checkRecordSize,
	MAX_RECORD_BYTES,
	nextStartableBatch,
	planBatches,
	recordByteLength,
	type PlannedRecord,
} from '../../../nodes/Ometria/logic/batching';

const contact = (id: string, itemIndex: number, collection = 'loyalty'): PlannedRecord => ({
	itemIndex,
	record: { '@type': 'contact', '@collection': collection, id },
});

describe('batching', () => {
	it('sends at most 100 records per request, in input order', () => {
		const records = Array.from({ length: 250 }, (_, index) => contact(`c${index}`, index));
		const batches = planBatches(records);
		expect(batches.map((batch) => batch.entries.length)).toEqual([100, 100, 50]);
		expect(batches.flatMap((batch) => batch.entries.map((entry) => entry.itemIndex))).toEqual(
			records.map((record) => record.itemIndex),
		);
		expect(batches.every((batch) => batch.dependsOn.length === 0)).toBe(true);
		expect(planBatches(records, 40)).toHaveLength(7);
		expect(() => planBatches(records, 101)).toThrow(RangeError);
	});

	it('never mixes record types in one request', () => {
		const records: PlannedRecord[] = [
			contact('a', 0),
			{ itemIndex: 1, record: { '@type': 'custom_event', id: 'e1' } },
			contact('b', 2),
		];
		const batches = planBatches(records);
		expect(
			batches.map((batch) => [batch.type, batch.entries.map((entry) => entry.itemIndex)]),
		).toEqual([
			['contact', [0, 2]],
			['custom_event', [1]],
		]);
	});

	it('merges a repeated contact into its open request, the later fields winning', () => {
		const records: PlannedRecord[] = Array.from({ length: 49 }, (_, index) =>
			contact(`m${index}`, index),
		);
		records.push({
			itemIndex: 49,
			record: {
				'@type': 'contact',
				'@collection': 'loyalty',
				id: 'm0',
				firstname: 'Later',
				properties: { annex_current_tier: 'Gold' },
				'@remove_from_lists': [8401],
			},
		});
		records[0].record = {
			...records[0].record,
			firstname: 'Earlier',
			lastname: 'Kept',
			properties: { annex_available_points: '10', annex_current_tier: 'Silver' },
			'@add_to_lists': [8401, 8402],
		};
		const batches = planBatches(records);
		expect(batches).toHaveLength(1);
		expect(batches[0].entries).toHaveLength(49);
		expect(batches[0].entries[0].mergedItems).toEqual([49]);
		expect(batches[0].entries[0].record).toEqual({
			'@type': 'contact',
			'@collection': 'loyalty',
			id: 'm0',
			firstname: 'Later',
			lastname: 'Kept',
			properties: { annex_available_points: '10', annex_current_tier: 'Gold' },
			'@add_to_lists': [8402],
			'@remove_from_lists': [8401],
		});
		expect(batches[0].bytes).toBe(recordByteLength(batches[0].entries.map((e) => e.record)));
	});

	it('puts a repeat after its request filled up in a later request that waits for the first', () => {
		const batches = planBatches(
			[contact('a', 0), contact('b', 1), contact('c', 2), contact('a', 3), contact('a', 4, 'crm')],
			2,
		);
		expect(batches.map((batch) => batch.entries.map((entry) => entry.itemIndex))).toEqual([
			[0, 1],
			[2, 3],
			[4],
		]);
		expect(batches[1].dependsOn).toEqual([0]);
		expect(nextStartableBatch(batches, new Set(), new Set())?.index).toBe(0);
		expect(nextStartableBatch(batches, new Set([0]), new Set())?.index).toBe(2);
		expect(nextStartableBatch(batches, new Set([0, 2]), new Set())).toBeUndefined();
		expect(nextStartableBatch(batches, new Set([0, 2]), new Set([0]))?.index).toBe(1);
	});

	it('measures records as UTF-8 JSON and flags those over 60 KB', () => {
		expect(recordByteLength({ a: 'é' })).toBe(JSON.stringify({ a: 'x' }).length + 1);
		const overhead = recordByteLength({ '@type': 'contact', id: '1', note: '' });
		const fits = { '@type': 'contact', id: '1', note: 'x'.repeat(MAX_RECORD_BYTES - overhead) };
		expect(recordByteLength(fits)).toBe(MAX_RECORD_BYTES);
		expect(checkRecordSize(fits)).toBeUndefined();
		const multiByte = {
			'@type': 'contact',
			id: '1',
			note: '€'.repeat(Math.ceil(MAX_RECORD_BYTES / 3)),
		};
		expect(multiByte.note.length).toBeLessThan(MAX_RECORD_BYTES);
		expect(checkRecordSize(multiByte)?.field).toBe('record');
		expect(checkRecordSize(multiByte)?.message).toMatch(/at most 60 KB/);
	});
});
