import { startSandbox, type Sandbox } from '../../../sandbox';
import { FIXTURE_MEMBER_COUNT, ZHANG_MIN_ID } from '../../../sandbox/fixtures';
import { annex, contact, http, ometriaPush } from './client';

async function statuses(count: number, call: () => Promise<{ status: number }>): Promise<number[]> {
	const result: number[] = [];
	for (let index = 0; index < count; index++) {
		result.push(
			await call().then(
				(response) => response.status,
				() => -1,
			),
		);
	}
	return result;
}

describe('sandbox: fault injection', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({
			seed: 5,
			ometria: { pushRatePerSecond: 10_000, processDelayMs: 0 },
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('honours the configured shares roughly, per endpoint', async () => {
		sandbox.setFaults({ 'annex.users.get': { rate429: 0.2, rate5xx: 0.2 } });
		const results = await statuses(300, () => annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`));
		const share = (status: number) =>
			results.filter((value) => value === status).length / results.length;
		expect(share(429)).toBeGreaterThan(0.12);
		expect(share(429)).toBeLessThan(0.28);
		expect(share(503)).toBeGreaterThan(0.12);
		expect(share(503)).toBeLessThan(0.28);
		expect(share(200)).toBeGreaterThan(0.5);
		// Other endpoints are untouched.
		expect(await statuses(20, () => annex(sandbox, 'GET', `/points/${ZHANG_MIN_ID}`))).toEqual(
			Array(20).fill(200),
		);
		const stats = sandbox.stats() as {
			requests: Record<string, number>;
			faultsInjected: Record<string, Record<string, number>>;
		};
		expect(stats.requests['annex.users.get']).toBe(300);
		expect(stats.faultsInjected['annex.users.get']['429']).toBe(
			results.filter((value) => value === 429).length,
		);
	});

	it('is deterministic for a seed', async () => {
		const config = { 'ometria.push': { rate429: 0.3, rate5xx: 0.1 } };
		sandbox.setFaults(config);
		const first = await statuses(40, () => ometriaPush(sandbox, [contact('x')]));
		sandbox.reset();
		sandbox.setFaults(config);
		const second = await statuses(40, () => ometriaPush(sandbox, [contact('x')]));
		expect(second).toEqual(first);
		const other = await startSandbox({ seed: 6, ometria: { pushRatePerSecond: 10_000 } });
		try {
			other.setFaults(config);
			expect(await statuses(40, () => ometriaPush(other, [contact('x')]))).not.toEqual(first);
		} finally {
			await other.close();
		}
	});

	it('drops sockets and slows responses, with vendor wildcards', async () => {
		sandbox.setFaults({ 'annex.*': { rateDrop: 1 } });
		await expect(annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`)).rejects.toThrow();
		sandbox.setFaults({ '*': { rateSlow: 1, slowMs: 150 } });
		const started = Date.now();
		expect((await annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`)).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		sandbox.setFaults({});
		expect((await annex(sandbox, 'GET', `/users/${ZHANG_MIN_ID}`)).status).toBe(200);
	});
});

describe('sandbox: control API', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ members: 50, ometria: { processDelayMs: 0 } });
	});
	afterAll(() => sandbox.close());

	it('serves state, contacts, stats, faults and reset over HTTP', async () => {
		await ometriaPush(sandbox, [
			contact('s1', { '@collection': 'loyalty' }),
			contact('s2', { '@collection': 'loyalty' }),
		]);
		await sandbox.state.ometria.whenIdle();
		const state = (await http(`${sandbox.url}/_sandbox/state`)).body;
		expect(state.ometria.contacts.loyalty).toHaveLength(2);
		expect(state.ometria.pushRequests[0]).toMatchObject({
			request_id: expect.any(String),
			count: 2,
			accepted: 2,
		});
		expect(state.annex.memberCount).toBe(FIXTURE_MEMBER_COUNT + 50);
		expect(state.annex.members).toHaveLength(FIXTURE_MEMBER_COUNT + 50);
		const summary = (await http(`${sandbox.url}/_sandbox/state?summary=1`)).body;
		expect(summary.ometria.contacts).toBeUndefined();
		expect(summary.ometria.contactCount).toBe(2);
		const contacts = (
			await http(`${sandbox.url}/_sandbox/state/ometria/contacts?collection=loyalty`)
		).body;
		expect(contacts).toMatchObject({ collection: 'loyalty', count: 2 });
		expect(contacts.contacts[0].record.email).toBe('s1@example.com');
		const faults = await http(`${sandbox.url}/_sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ 'ometria.push': { rate5xx: 1 } }),
		});
		expect(faults.status).toBe(200);
		expect((await ometriaPush(sandbox, [contact('s3')])).status).toBe(503);
		const stats = (await http(`${sandbox.url}/_sandbox/stats`)).body;
		expect(stats.requests['ometria.push']).toBe(2);
		expect(stats.responses['ometria.push']).toEqual({ 202: 1, 503: 1 });
		expect(stats.faultsInjected['ometria.push']['5xx']).toBe(1);
		const info = (await http(`${sandbox.url}/_sandbox/info`)).body;
		expect(info.options.annex.secretKey).toBe('sandbox-secret');
		expect((await http(`${sandbox.url}/_sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect((await ometriaPush(sandbox, [contact('s4')])).status).toBe(202);
		expect(sandbox.state.ometria.pushLog).toHaveLength(1);
		expect((await http(`${sandbox.url}/_sandbox/nothing`)).status).toBe(404);
	});
});
