import { startSandbox, type Sandbox } from '../../../sandbox';
import { LI_LEI_ID } from '../../../sandbox/fixtures';
import { annex, http } from './client';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ asOf: '2026-06-20' });
});

afterAll(async () => {
	await sandbox.close();
});

const book = (body: unknown) =>
	http(`${sandbox.url}/_sandbox/annex/purchases`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});

describe('POST /_sandbox/annex/purchases', () => {
	it('books dated purchases that the activity endpoint lists as action 109 credits', async () => {
		const before = sandbox.state.annex.member(LI_LEI_ID)!.availablePoints;
		const booked = await book({
			purchases: [{ memberId: LI_LEI_ID, points: 120, at: '2026-06-05T12:30:00Z', orderId: 'o-1' }],
		});
		expect(booked).toMatchObject({ status: 200, body: { booked: 1 } });
		const activity = await annex(sandbox, 'GET', `/users/${LI_LEI_ID}/activity?page=1`);
		expect(activity.body.activityDetail).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					actionId: 109,
					activity: 'CREDIT',
					credit: 120,
					orderId: 'o-1',
					createDate: '2026-06-05T12:30:00+0000',
				}),
			]),
		);
		expect(sandbox.state.annex.member(LI_LEI_ID)!.availablePoints).toBe(before + 120);
	});

	it('refuses malformed purchases and unknown members, booking nothing', async () => {
		const count = () => sandbox.state.annex.ledgers.get(LI_LEI_ID)?.length ?? 0;
		const before = count();
		expect((await book({ purchases: [] })).status).toBe(400);
		expect(
			(
				await book({
					purchases: [{ memberId: LI_LEI_ID, points: 1.5, at: '2026-06-05T00:00:00Z' }],
				})
			).body,
		).toEqual({ error: 'purchases[0].points must be a positive integer' });
		expect(
			(await book({ purchases: [{ memberId: LI_LEI_ID, points: 5, at: 'yesterday' }] })).status,
		).toBe(400);
		const unknown = await book({
			purchases: [
				{ memberId: LI_LEI_ID, points: 5, at: '2026-06-05T00:00:00Z' },
				{ memberId: 'nobody', points: 5, at: '2026-06-05T00:00:00Z' },
			],
		});
		expect(unknown).toMatchObject({ status: 404, body: { error: 'member nobody does not exist' } });
		expect(count()).toBe(before);
	});
});
