/** Inputs shared by the Loyalty Report tests; the expected figures are worked out in each test. */

export const platinumWinBack = {
	name: 'Platinum win-back',
	period: { start: '2026-05-01', end: '2026-05-31' },
	currency: 'EUR',
	audienceSize: 100,
	reached: 90,
	baselineRevenue: 1000,
	treated: { members: 100, retained: 75 },
	holdout: { members: 20, retained: 12 },
	channels: [
		{
			channel: 'Email',
			sent: 100,
			delivered: 95,
			opened: 38,
			clicked: 19,
			converted: 5,
			revenue: 1500,
			upsellRevenue: 300,
			cost: 100,
			excluded: 0,
		},
		{
			channel: 'SMS',
			sent: 80,
			delivered: 80,
			opened: 60,
			clicked: 20,
			converted: 10,
			revenue: 2500,
			upsellRevenue: 500,
			cost: 100,
			excluded: 4,
		},
		{
			channel: 'App Push',
			sent: 50,
			delivered: 40,
			opened: 10,
			clicked: 4,
			converted: 1,
			revenue: 200,
			upsellRevenue: 0,
			cost: 50,
		},
	],
};

export const syncSnapshot = {
	push: {
		sent: 50,
		accepted: 45,
		rejected: 5,
		rejectedByReason: { invalid_email: 3, missing_id: 1, 'phone not E.164': 1 },
	},
	source: [
		{ id: 'M1', email: 'ana@example.com', tier: 'Gold', points: 120 },
		{ id: 'M2', email: 'ben@example.com', tier: 'Silver', points: 40 },
		{ id: 'M3', email: 'cai@example.com', tier: 'Platinum', points: 900 },
		{ id: 'M4', email: 'dee@example.com', tier: 'Gold', points: 300 },
	],
	target: [
		{ id: 'M1', email: 'Ana@Example.com ', tier: 'Gold', points: '120' },
		{ id: 'M2', email: 'ben@example.com', tier: 'Gold', points: 40 },
		{ id: 'M3', email: 'cai@example.com', tier: 'Platinum', points: 900 },
		{ id: 'X9', email: 'other@example.com', tier: 'Bronze', points: 0 },
	],
};

/** A row of the `loyalty_sync_runs` Data Table: a successful nightly run, unless overridden. */
type RunRow = Record<string, string | number | null>;

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
