import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/** Points › getExpirySchedule against the sandbox over real HTTP. */
describe('Annex Cloud: points getExpirySchedule', () => {
	const sandbox = operationSandbox();

	it('reads the expiry schedule per period', async () => {
		const member = sandbox().state.annex.member('zhang-min')!;
		const run = await runOperation(sandbox(), 'points/getExpirySchedule', {
			memberId: 'zhang-min',
			options: { aggregateBy: 'month' },
		});
		const rows = run.output(ANNEX_NODE);
		expect(rows.reduce((sum, row) => sum + Number(row.points), 0)).toBe(
			member.pointsToExpire > 0 ? member.availablePoints : 0,
		);
		if (member.pointsToExpire > 0)
			expect(rows[0]).toMatchObject({ memberId: 'zhang-min', points: member.pointsToExpire });
	});
});
