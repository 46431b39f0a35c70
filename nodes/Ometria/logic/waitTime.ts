/** A wait from `startMs` to `endMs` (epoch milliseconds). */
export type WaitInterval = readonly [startMs: number, endMs: number];

/**
 * Wall time covered by waits that may overlap: three requests paused together for one second
 * count one second, not three.
 */
export function wallTimeMs(intervals: readonly WaitInterval[]): number {
	const sorted = intervals.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
	let total = 0;
	let coveredUntil = -Infinity;
	for (const [start, end] of sorted) {
		if (end <= coveredUntil) continue;
		total += end - Math.max(start, coveredUntil);
		coveredUntil = end;
	}
	return total;
}
