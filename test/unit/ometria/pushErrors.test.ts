import {
	fieldFromErrorPath,
	normalizePushError,
	PushErrorCollector,
	pushErrorList,
	SentRecordIndex,
} from '../../../nodes/Ometria/logic/pushErrors';

describe('push errors', () => {
	it('reads the documented shape and the richer one', () => {
		expect(
			normalizePushError({ error_message: 'not a valid value', error_path: 'root > lastname' }),
		).toMatchObject({
			message: 'not a valid value',
			errorPath: 'root > lastname',
			field: 'lastname',
		});
		expect(
			normalizePushError({
				request_id: 'r1',
				record_type: 'contact',
				record: { id: 'c1', '@type': 'contact' },
				message: { error_message: 'field required', error_path: 'root > email' },
			}),
		).toMatchObject({
			requestId: 'r1',
			recordId: 'c1',
			recordType: 'contact',
			message: 'field required',
			field: 'email',
		});
		expect(fieldFromErrorPath('root > properties > annex_current_tier')).toBe(
			'properties.annex_current_tier',
		);
		expect(fieldFromErrorPath('root')).toBeUndefined();
		expect(pushErrorList({ errors: [{ error_message: 'x' }] })).toHaveLength(1);
		expect(pushErrorList('nope')).toEqual([]);
	});

	it("joins this run's errors to input items and ignores other runs", () => {
		const index = new SentRecordIndex();
		index.add('r1', 'c1', 0);
		index.add('r1', 'c2', 1);
		index.add('r2', 'c1', 5);
		const collector = new PushErrorCollector(index);
		const errors = pushErrorList([
			{
				request_id: 'r2',
				record_id: 'c1',
				error_message: 'not a valid value',
				error_path: 'root > phone_number',
			},
			{
				request_id: 'r1',
				record_id: 'c2',
				error_message: 'field required',
				error_path: 'root > email',
			},
			{ request_id: 'other', record_id: 'c1', error_message: 'x', error_path: 'root > id' },
			{ request_id: 'r1', record_id: 'ghost', error_message: 'x', error_path: 'root > id' },
		]);
		collector.add(errors);
		collector.add(errors);
		expect([...collector.byItem.entries()].map(([item, error]) => [item, error.field])).toEqual([
			[5, 'phone_number'],
			[1, 'email'],
		]);
		expect(collector.unmatched.map((error) => error.recordId)).toEqual(['ghost']);
		expect(collector.possiblyIncomplete).toBe(false);
	});

	it('warns when a full page of new errors may hide older ones', () => {
		const index = new SentRecordIndex();
		for (let record = 0; record < 150; record++) index.add('r1', `c${record}`, record);
		const page = (from: number) =>
			pushErrorList(
				Array.from({ length: 100 }, (_, offset) => ({
					request_id: 'r1',
					record_id: `c${from + offset}`,
					error_message: 'x',
				})),
			);
		const overlapping = new PushErrorCollector(index);
		overlapping.add(page(0));
		overlapping.possiblyIncomplete = false;
		overlapping.add(page(50));
		expect(overlapping.possiblyIncomplete).toBe(false);
		const gap = new PushErrorCollector(index);
		gap.add(page(50));
		expect(gap.possiblyIncomplete).toBe(true);
	});
});
