/**
 * Runs `task` for every index with at most `concurrency` in flight, and returns the outcomes in
 * index order. Annex Cloud publishes no rate limit, so the bound is the user's parameter.
 * After a failure with `stopOnError`, no new index is started; running ones finish.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown } | { ok: 'skipped' };

export async function runPool<T>(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<T>,
	options: { stopOnError?: boolean } = {},
): Promise<Array<Outcome<T>>> {
	const outcomes: Array<Outcome<T>> = Array.from({ length: count }, () => ({
		ok: 'skipped' as const,
	}));
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < count) {
			const index = next++;
			try {
				outcomes[index] = { ok: true, value: await task(index) };
			} catch (error) {
				outcomes[index] = { ok: false, error };
				if (options.stopOnError) stopped = true;
			}
		}
	};
	const width = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));
	await Promise.all(Array.from({ length: width }, worker));
	return outcomes;
}

/** `mapWithConcurrency([a, b], 2, fn)` → `[fn(a), fn(b)]`, rejecting with the first failure. */
export async function mapWithConcurrency<T, R>(
	values: T[],
	concurrency: number,
	fn: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
	const outcomes = await runPool(values.length, concurrency, (index) => fn(values[index], index), {
		stopOnError: true,
	});
	return outcomes.map((outcome) => {
		if (outcome.ok === true) return outcome.value;
		if (outcome.ok === false) throw outcome.error;
		throw new Error('A task was skipped after an earlier failure');
	});
}
