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
