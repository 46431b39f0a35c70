import { RecentIds } from '../../../nodes/AnnexCloudTrigger/logic/recentIds';

describe('RecentIds (de-duplication memory)', () => {
	it('accepts an id once', () => {
		const memory = new RecentIds(10);
		expect(memory.claim('evt-1')).toBe(true);
		expect(memory.claim('evt-1')).toBe(false);
		expect(memory.claim('evt-2')).toBe(true);
		expect(memory.has('evt-1')).toBe(true);
	});

	it('forgets the oldest ids beyond its capacity', () => {
		const memory = new RecentIds(3);
		for (const id of ['a', 'b', 'c', 'd']) memory.claim(id);
		expect(['a', 'b', 'c', 'd'].map((id) => memory.has(id))).toEqual([false, true, true, true]);
		expect(memory.claim('a')).toBe(true);
		expect(memory.size).toBe(3);
	});
});

describe('RecentIds with a time limit (a later redelivery starts the workflow again)', () => {
	it('forgets an id once the limit has passed since it was claimed', () => {
		const memory = new RecentIds(10, 60_000);
		expect(memory.claim('evt-1', 1_000)).toBe(true);
		expect(memory.claim('evt-1', 60_999)).toBe(false);
		expect(memory.claim('evt-1', 61_000)).toBe(true);
		expect(memory.claim('evt-1', 61_500)).toBe(false);
	});

	it('forgets only the expired ids, oldest first', () => {
		const memory = new RecentIds(10, 1_000);
		memory.claim('a', 0);
		memory.claim('b', 600);
		expect([memory.has('a', 1_200), memory.has('b', 1_200)]).toEqual([false, true]);
		expect(memory.size).toBe(1);
	});
});
