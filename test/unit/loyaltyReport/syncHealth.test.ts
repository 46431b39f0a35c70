import { ReportInputError } from '../../../nodes/LoyaltyReport/logic/inputValues';
import {
	checkSyncHealth,
	DEFAULT_SYNC_HEALTH_OPTIONS,
	mergeSyncHealthParts,
} from '../../../nodes/LoyaltyReport/logic/syncHealth';
import { syncSnapshot } from './fixtures';

describe('checkSyncHealth', () => {
	const figures = checkSyncHealth(syncSnapshot);

	it('computes the push success rate', () => {
		expect(figures.push).toMatchObject({ sent: 50, accepted: 45, rejected: 5, successRate: 0.9 });
	});

	it('lists rejected records by reason, largest first', () => {
		expect(figures.push.rejectedByReason).toEqual([
			{ reason: 'invalid_email', count: 3, share: 0.6 },
			{ reason: 'missing_id', count: 1, share: 0.2 },
			{ reason: 'phone not E.164', count: 1, share: 0.2 },
		]);
	});

	it('scores consistency as the share of source members that agree in the target', () => {
		// M1 agrees (email case and spaces, "120" = 120), M2 differs in tier, M3 agrees,
		// M4 is missing in Ometria: 2 of 4.
		const rec = figures.reconciliation;
		expect(rec.comparedFields).toEqual(['email', 'points', 'tier']);
		expect(rec.consistentMembers).toBe(2);
		expect(rec.consistencyScore).toBe(0.5);
		expect(rec.mismatchedMembers).toBe(1);
		expect(rec.missingInTarget).toBe(1);
		expect(rec.extraInTarget).toBe(1);
		// 3 members in both x 3 fields = 9 values, 8 agree
		expect(rec.fieldAccuracyRate).toBeCloseTo(8 / 9, 10);
	});

	it('samples the differences', () => {
		const rec = figures.reconciliation;
		expect(rec.mismatchesByField).toEqual([{ field: 'tier', count: 1 }]);
		expect(rec.mismatchSample).toEqual([
			{ memberId: 'M2', field: 'tier', source: 'Silver', target: 'Gold' },
		]);
		expect(rec.missingInTargetSample).toEqual(['M4']);
		expect(rec.extraInTargetSample).toEqual(['X9']);
	});

	it('suggests fixes from the findings', () => {
		expect(figures.suggestions).toEqual([
			"Fix the top rejection reason 'invalid_email' (3 of 5 rejected records).",
			'Re-push the 1 member(s) missing in Ometria (sample ids in the report).',
			"Check the mapping of 'tier': 1 member(s) differ between Annex Cloud and Ometria.",
			'1 Ometria contact(s) have no Annex Cloud member: check for deletions or merges that were not synced.',
		]);
		expect(figures.missing).toEqual([]);
		expect(figures.warnings).toEqual([]);
	});

	it('compares only the chosen fields and caps the samples', () => {
		const result = checkSyncHealth(syncSnapshot, {
			...DEFAULT_SYNC_HEALTH_OPTIONS,
			compareFields: ['email', 'points'],
			sampleLimit: 0,
		});
		expect(result.reconciliation.consistencyScore).toBe(0.75);
		expect(result.reconciliation.missingInTargetSample).toEqual([]);
	});

	it('accepts member lists keyed by member id', () => {
		const keyed = {
			push: syncSnapshot.push,
			source: { M1: { tier: 'Gold' }, M2: { tier: 'Silver' } },
			target: { M1: { tier: 'Gold' }, M2: { tier: 'Silver' } },
		};
		expect(checkSyncHealth(keyed).reconciliation.consistencyScore).toBe(1);
	});

	it('reports a healthy sync', () => {
		const healthy = checkSyncHealth({
			push: { accepted: 10, rejected: 0 },
			source: [{ id: 1, tier: 'Gold' }],
			target: [{ id: '1', tier: 'Gold' }],
		});
		expect(healthy.push.sent).toBe(10);
		expect(healthy.suggestions).toEqual(['The sync is healthy: no action needed.']);
	});
});

describe('checkSyncHealth: missing and abnormal data', () => {
	it('flags missing push stats and member lists instead of guessing', () => {
		const figures = checkSyncHealth({ source: syncSnapshot.source });
		expect(figures.missing).toEqual(['push.accepted', 'push.rejected', 'target']);
		expect(figures.push.successRate).toBeNull();
		expect(figures.reconciliation.consistencyScore).toBeNull();
		expect(figures.reconciliation.sourceMembers).toBe(4);
	});

	it('warns when the counts do not add up', () => {
		const figures = checkSyncHealth({
			push: { sent: 10, accepted: 12, rejected: 1, rejectedByReason: [{ reason: 'x', count: 3 }] },
			source: [{ id: 'A' }, { id: 'A' }, { name: 'no id' }],
			target: [],
		});
		expect(figures.warnings).toEqual([
			'Accepted (12) plus rejected (1) does not equal sent (10).',
			'Success rate is 120.0%, over 100%.',
			'Rejections by reason add up to 3, but 1 records were rejected.',
			'Member A appears more than once in the source.',
			"source[2] has no 'id' and was skipped.",
		]);
	});

	it('rejects a count that is not a number, naming the field', () => {
		expect(() => checkSyncHealth({ push: { accepted: 'many', rejected: 0 } })).toThrow(
			new ReportInputError('push.accepted', `'push.accepted' must be a number, got "many"`),
		);
	});
});

describe('mergeSyncHealthParts', () => {
	it('sums push batches and concatenates member lists', () => {
		const merged = mergeSyncHealthParts(
			[
				{ status: 'OK', accepted: 40, rejected: 2, rejectedByReason: { invalid_email: 2 } },
				{
					push: { accepted: 5, rejected: 3, rejectedByReason: { invalid_email: 1, missing_id: 2 } },
				},
				{ source: syncSnapshot.source.slice(0, 2), target: syncSnapshot.target },
				{ source: { M3: { email: 'cai@example.com', tier: 'Platinum', points: 900 } } },
			],
			'id',
		);
		const figures = checkSyncHealth(merged);
		expect(figures.push).toMatchObject({ sent: 50, accepted: 45, rejected: 5, successRate: 0.9 });
		expect(figures.push.rejectedByReason.map((r) => [r.reason, r.count])).toEqual([
			['invalid_email', 3],
			['missing_id', 2],
		]);
		expect(figures.reconciliation.sourceMembers).toBe(3);
		expect(figures.reconciliation.consistentMembers).toBe(2);
	});

	it('names the item that holds bad data', () => {
		let caught: unknown;
		try {
			mergeSyncHealthParts([{ accepted: 1, rejected: 0 }, { push: { accepted: 'x' } }], 'id');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(ReportInputError);
		expect(caught).toMatchObject({ field: 'push.accepted', part: 1 });
	});
});

describe("the Ometria node's summary item", () => {
	/** As the Ometria node's "Include Summary Item" writes it (other counters left out). */
	const summary = {
		operation: 'contact.upsert',
		items: 50,
		sent: 47,
		accepted: 45,
		rejected: 5,
		rejectedBeforeSending: 3,
		rejectedByOmetria: 2,
		failedToSend: 0,
		retries: 1,
		throttled429: 1,
	};

	it('is read directly: accepted plus rejected are the records sent, stages are reasons', () => {
		const figures = checkSyncHealth({ summary });
		expect(figures.push).toMatchObject({ sent: 50, accepted: 45, rejected: 5, successRate: 0.9 });
		expect(figures.push.rejectedByReason).toEqual([
			{ reason: 'rejected before sending (validation)', count: 3, share: 0.6 },
			{ reason: 'rejected by Ometria', count: 2, share: 0.4 },
		]);
		expect(figures.warnings).toEqual([]);
	});

	it("is picked out of the node's output among the contact items when items are merged", () => {
		const merged = mergeSyncHealthParts(
			[{ id: 'M1', email: 'ana@example.com' }, { summary }, { summary }],
			'id',
		);
		expect(merged.push).toEqual({
			accepted: 90,
			rejected: 10,
			rejectedByReason: {
				'rejected before sending (validation)': 6,
				'rejected by Ometria': 4,
			},
		});
	});

	it('names the summary field that is not a number', () => {
		expect(() =>
			mergeSyncHealthParts([{ summary: { ...summary, rejectedByOmetria: 'two' } }], 'id'),
		).toThrow(expect.objectContaining({ field: 'summary.rejectedByOmetria', part: 0 }));
	});
});
