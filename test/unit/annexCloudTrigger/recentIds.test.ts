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
