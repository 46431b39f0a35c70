import { fileSandbox, OMETRIA_NODE, runOperation } from '../support';

/** Unsubscribe › Get Many against the sandbox over real HTTP. */
const sandbox = fileSandbox();

beforeEach(() => {
	sandbox().state.ometria.addUnsubscribe({
		email_address: 'Plat.001@example.com',
		type: 'link_unsubscribe',
		timestamp: '2026-03-01T09:00:00',
	});
	sandbox().state.ometria.addUnsubscribe({
		email_address: 'plat.001@example.com',
		type: 'stopword_unsubscribe_TF',
		timestamp: '2026-03-02T09:00:00',
		reason: 'STOP',
	});
	sandbox().state.ometria.addUnsubscribe({
		email_address: 'plat.002@example.com',
		type: 'preferences_centre',
		timestamp: '2025-12-01T09:00:00',
	});
});

describe('Ometria › Unsubscribe › Get Many (workflow)', () => {
	it('reads the unsubscribes made in Ometria since a time, with their channel', async () => {
		const run = await runOperation(sandbox(), 'unsubscribe/getAll', {
			since: '2026-03-01',
			options: { timeZone: 'UTC' },
		});
		expect(run.error).toBeUndefined();
		expect(run.output(OMETRIA_NODE, 0)).toEqual([
			{
				email: 'plat.001@example.com',
				profileId: expect.any(String),
				type: 'link_unsubscribe',
				channel: 'email',
				timestamp: '2026-03-01T09:00:00',
				reason: null,
			},
			expect.objectContaining({ type: 'stopword_unsubscribe_TF', channel: 'sms', reason: 'STOP' }),
		]);
	});

	it('pages through every unsubscribe and answers one lookup item for Segment Build', async () => {
		for (let index = 0; index < 7; index++) {
			sandbox().state.ometria.addUnsubscribe({
				email_address: `m${index}@example.com`,
				type: 'app',
				timestamp: '2026-04-01T09:00:00',
			});
		}
		const run = await runOperation(sandbox(), 'unsubscribe/getAll', {
			output: 'lookup',
			options: { pageSize: 3 },
		});
		const [lookup] = run.output(OMETRIA_NODE, 0);
		expect(lookup.count).toBe(10);
		expect(lookup.channelsByEmail).toMatchObject({
			'plat.001@example.com': ['email', 'sms'],
			'plat.002@example.com': ['email'],
			'm6@example.com': ['email'],
		});
		expect(sandbox().stats().requests).toMatchObject({ 'ometria.unsubscribes': 4 });
	});

	it('filters by type and reads Since in the chosen time zone', async () => {
		const run = await runOperation(sandbox(), 'unsubscribe/getAll', {
			since: '2026-03-01 10:00',
			options: { timeZone: 'Europe/Paris', types: ['stopword_unsubscribe_TF'] },
		});
		expect(run.output(OMETRIA_NODE, 0).map((entry) => entry.type)).toEqual([
			'stopword_unsubscribe_TF',
		]);
		const late = await runOperation(sandbox(), 'unsubscribe/getAll', {
			since: '2026-03-01 10:00',
			options: { timeZone: 'UTC' },
		});
		expect(late.output(OMETRIA_NODE, 0)).toHaveLength(1);
		const bad = await runOperation(sandbox(), 'unsubscribe/getAll', { since: 'yesterday-ish' });
		expect(bad.error?.message).toBe('Since: expected a date or timestamp, got "yesterday-ish"');
	});
});
