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
		expect(memory.toArray()).toEqual(['b', 'c', 'd']);
		expect(memory.claim('a')).toBe(true);
		expect(memory.size).toBe(3);
	});

	it('restores from and merges saved ids', () => {
		const memory = new RecentIds(4, ['x', 'y']);
		expect(memory.claim('x')).toBe(false);
		memory.merge(['y', 'z', 'w', 'v']);
		expect(memory.toArray()).toEqual(['y', 'z', 'w', 'v']);
		expect(memory.size).toBe(4);
	});
});
