/** Rows of the `loyalty_sync_runs` Data Table (docs/data-tables.md) for tests of every layer. */
/** A row of the `loyalty_sync_runs` Data Table: a successful nightly run, unless overridden. */
export type RunRow = Record<string, string | number | null>;

export function syncRunRow(overrides: RunRow = {}): RunRow {
	return {
		runId: '1001',
		workflow: '02 Nightly sync',
		mode: 'changes',
		status: 'success',
		startedAt: '2026-11-30T02:00:00.000Z',
		endedAt: '2026-11-30T02:03:05.000Z',
		durationMs: 185_000,
		sourceFile: 'members-2026-11-30.csv',
		sourceFileDate: '2026-11-30T01:10:00.000Z',
		rowsRead: 10_000,
		rowsRejected: 12,
		newMembers: 20,
		changedMembers: 180,
		removedMembers: 5,
		unchangedMembers: 9_783,
		sent: 205,
		accepted: 204,
		rejected: 1,
		retries: 2,
		throttled429: 1,
		error: '',
		...overrides,
	};
}

/** `count` nightly runs, one a day at 02:00 UTC, the last one on 2026-11-30. */
export function nightlyRuns(count: number): RunRow[] {
	return Array.from({ length: count }, (_, index) => {
		const day = new Date(Date.UTC(2026, 10, 30 - (count - 1 - index), 2));
		return syncRunRow({
			runId: String(1000 + index),
			startedAt: day.toISOString(),
			endedAt: new Date(day.getTime() + 60_000).toISOString(),
			durationMs: 60_000,
			sent: 100 + index,
			accepted: 100 + index,
			rejected: 0,
		});
	});
}
