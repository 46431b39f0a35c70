import { ANNEX_NODE, continueOnFail, operationSandbox, runOperation } from '../support';

/**
 * Points › deduct against the sandbox over real HTTP; writes are checked in its state.
 * The first Award case also deducts from the awarded member.
 */
describe('Annex Cloud: points deduct', () => {
	const sandbox = operationSandbox();

	it('deducts points once under its idempotency key', async () => {
		const before = sandbox().state.annex.member('li-lei')!.availablePoints;
		const deduct = {
			memberId: 'li-lei',
			points: 50,
			idempotencyKey: 'correction-2025-06-18',
		};
		const run = await runOperation(sandbox(), 'points/deduct', deduct);
		expect(run.output(ANNEX_NODE)[0]).toMatchObject({ activity: 'DEBIT', points: 50 });
		expect(sandbox().state.annex.member('li-lei')!.availablePoints).toBe(before - 50);
		const again = await runOperation(sandbox(), 'points/deduct', deduct, [{}], continueOnFail);
		expect(again.output(ANNEX_NODE)[0].error).toMatch(/^Already booked/);
		expect(sandbox().state.annex.member('li-lei')!.availablePoints).toBe(before - 50);
	});
});
