import { wallTimeMs } from '../../../nodes/Ometria/logic/waitTime';

describe('wall time of waits', () => {
	it('counts parallel waits once and separate ones in full', () => {
		expect(wallTimeMs([])).toBe(0);
		expect(
			wallTimeMs([
				[0, 1000],
				[0, 1000],
				[0, 1000],
			]),
		).toBe(1000);
		expect(
			wallTimeMs([
				[500, 1500],
				[0, 1000],
				[2000, 2500],
				[1200, 1300],
			]),
		).toBe(2000);
		expect(wallTimeMs([[100, 100]])).toBe(0);
	});
});
