import {
	ANNEX_NODE,
	byMember,
	continueOnFail,
	members,
	operationSandbox,
	requests,
	runOperation,
} from '../support';

/**
 * Points › award against the sandbox over real HTTP; writes are checked in its state.
 * The first case also runs Deduct and Get Balance on the awarded member.
 */
describe('Annex Cloud: points award', () => {
	const sandbox = operationSandbox();

	it('awards, deducts and reads the balance', async () => {
		const before = sandbox().state.annex.member('li-lei')!.availablePoints;
		const award = await runOperation(sandbox(), 'points/award', {
			memberId: 'li-lei',
			points: 150,
			reason: 'Win-back gift',
			additionalFields: { orderId: 'ord-1' },
		});
		expect(award.output(ANNEX_NODE)[0]).toMatchObject({
			activity: 'CREDIT',
			points: 150,
			availablePoints: before + 150,
		});
		await runOperation(sandbox(), 'points/deduct', {
			memberId: 'li-lei',
			points: 50,
			idempotencyKey: 'correction-2025-06-18',
		});
		const balance = await runOperation(sandbox(), 'points/getBalance', {
			memberId: 'li-lei',
		});
		expect(balance.output(ANNEX_NODE)[0]).toMatchObject({
			id: 'li-lei',
			availablePoints: before + 100,
		});
	});

	it('refuses a points write without an idempotency key or order id, and sends nothing', async () => {
		const run = await runOperation(
			sandbox(),
			'points/award',
			{ memberId: 'li-lei', points: 10 },
			[{}],
			continueOnFail,
		);
		expect(run.output(ANNEX_NODE)[0].error).toBe(
			'No idempotency key for the award of member li-lei',
		);
		expect(requests(sandbox(), 'annex.points.post')).toBe(0);
	});

	it('a keyed award is booked once: a re-run with the same key is refused as already booked', async () => {
		const award = {
			resource: 'points',
			operation: 'award',
			memberId: 'li-lei',
			points: 10,
			idempotencyKey: 'birthday-bonus:li-lei:2025',
		};
		const first = await runOperation(sandbox(), 'points/award', award);
		expect(first.output(ANNEX_NODE)[0]).toMatchObject({
			customId: 'birthday-bonus:li-lei:2025',
			points: 10,
		});
		const again = await runOperation(sandbox(), 'points/award', award, [{}], continueOnFail);
		expect(again.output(ANNEX_NODE)[0].error).toMatch(/^Already booked: the award with key/);
		expect(sandbox().state.annex.ledgers.get('li-lei')).toHaveLength(1);
	});

	it.each([
		[
			'a 5xx, since a repeat cannot book twice',
			{ rate5xx: 0.5 },
			{ idempotencyKey: '={{ "welcome:" + $json.memberId }}' },
		],
		[
			'a 429 (key derived from the order id)',
			{ rate429: 0.5 },
			{ additionalFields: { orderId: '={{ "ord-" + $json.memberId }}' } },
		],
	])('retries a keyed award answered %s', async (_answer, fault, key) => {
		sandbox().setFaults({ 'annex.points.post': fault });
		const run = await runOperation(
			sandbox(),
			'points/award',
			{ ...byMember, points: 10, ...key },
			members('li-lei', 'zhang-min', 'plat-003'),
		);
		expect(run.error).toBeUndefined();
		expect(requests(sandbox(), 'annex.points.post')).toBeGreaterThan(3);
		for (const id of ['li-lei', 'zhang-min', 'plat-003'])
			expect(sandbox().state.annex.ledgers.get(id)).toHaveLength(1);
	});
});
