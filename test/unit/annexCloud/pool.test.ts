import { mapWithConcurrency, runPool } from '../../../nodes/AnnexCloud/logic/pool';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runPool', () => {
	it('keeps index order and never exceeds the bound', async () => {
		let running = 0;
		let peak = 0;
		const outcomes = await runPool(12, 3, async (index) => {
			running++;
			peak = Math.max(peak, running);
			await tick(((index * 7) % 5) + 1);
			running--;
			return index * 2;
		});
		expect(outcomes.map((outcome) => (outcome.ok === true ? outcome.value : undefined))).toEqual(
			Array.from({ length: 12 }, (_, index) => index * 2),
		);
		expect(peak).toBe(3);
	});

	it('keeps going after failures unless told to stop', async () => {
		const all = await runPool(4, 2, async (index) => {
			if (index === 1) throw new Error('boom');
			return index;
		});
		expect(all.map((outcome) => outcome.ok)).toEqual([true, false, true, true]);

		const stopped = await runPool(
			6,
			1,
			async (index) => {
				if (index === 1) throw new Error('boom');
				return index;
			},
			{ stopOnError: true },
		);
		expect(stopped.map((outcome) => outcome.ok)).toEqual([
			true,
			false,
			'skipped',
			'skipped',
			'skipped',
			'skipped',
		]);
	});

	it('treats nonsense concurrency as 1 and handles no work', async () => {
		expect(await runPool(0, 5, async () => 1)).toEqual([]);
		expect((await runPool(2, 0, async (index) => index)).map((outcome) => outcome.ok)).toEqual([
			true,
			true,
		]);
	});

	it('mapWithConcurrency rejects with the failure', async () => {
		await expect(mapWithConcurrency([1, 2, 3], 2, async (value) => value * 10)).resolves.toEqual([
			10, 20, 30,
		]);
		await expect(
			mapWithConcurrency([1, 2, 3], 2, async (value) => {
				if (value === 2) throw new Error('no 2');
				return value;
			}),
		).rejects.toThrow('no 2');
	});
});
