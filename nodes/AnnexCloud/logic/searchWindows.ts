/**
 * `POST /users/search` returns at most 50 members and Annex Cloud has no export API
 * (docs/annex-cloud.md, "Rate limits and paging"). A larger pull is split into date windows on the opt-in (or
 * create) date; a window that comes back full is halved until its answers fit.
 */

export const SEARCH_PAGE_CAP = 50;

export interface DateWindow {
	/** Epoch ms, inclusive. */
	start: number;
	/** Epoch ms, exclusive. */
	end: number;
}

/** Consecutive windows of `windowMs` covering [start, end); the last one may be shorter. */
export function splitDateRange(start: number, end: number, windowMs: number): DateWindow[] {
	if (!(end > start)) return [];
	if (!(windowMs > 0)) return [{ start, end }];
	const windows: DateWindow[] = [];
	for (let from = start; from < end; from += windowMs) {
		windows.push({ start: from, end: Math.min(from + windowMs, end) });
	}
	return windows;
}

/** Splits a window in two at its midpoint (whole seconds, as the API's dates have). */
export function halveWindow(window: DateWindow): [DateWindow, DateWindow] {
	const middle = window.start + Math.floor((window.end - window.start) / 2000) * 1000;
	return [
		{ start: window.start, end: middle },
		{ start: middle, end: window.end },
	];
}

/** A full answer may hide more members; a window of a second or less cannot be narrowed further. */
export function needsNarrowing(
	window: DateWindow,
	resultCount: number,
	cap = SEARCH_PAGE_CAP,
): boolean {
	return resultCount >= cap && window.end - window.start > 1000;
}

/**
 * The last instant a window covers, for APIs whose end filter is inclusive and to the second: the
 * next window starts one second later, so no member is counted twice.
 */
export function inclusiveEnd(window: DateWindow): number {
	return Math.max(window.start, window.end - 1000);
}

/**
 * Walks windows oldest first, narrowing full ones, until `limit` results are collected.
 * `search` is the I/O (one API call per window); the walk itself is pure and testable.
 */
export async function searchByWindows<T>(
	windows: DateWindow[],
	search: (window: DateWindow) => Promise<T[]>,
	options: { cap?: number; limit?: number; keyOf: (result: T) => string },
): Promise<{ results: T[]; truncatedWindows: DateWindow[]; calls: number }> {
	const pending = [...windows];
	const seen = new Set<string>();
	const results: T[] = [];
	const truncatedWindows: DateWindow[] = [];
	let calls = 0;
	const cap = options.cap ?? SEARCH_PAGE_CAP;
	while (pending.length) {
		const window = pending.shift() as DateWindow;
		calls++;
		const found = await search(window);
		if (needsNarrowing(window, found.length, cap)) {
			pending.unshift(...halveWindow(window));
			continue;
		}
		if (found.length >= cap) truncatedWindows.push(window);
		for (const result of found) {
			const key = options.keyOf(result);
			if (seen.has(key)) continue;
			seen.add(key);
			results.push(result);
			if (options.limit !== undefined && results.length >= options.limit) {
				return { results, truncatedWindows, calls };
			}
		}
	}
	return { results, truncatedWindows, calls };
}
