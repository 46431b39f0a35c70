import { ANNEX_NODE, operationSandbox, runOperation } from '../support';

/**
 * Member › create against the sandbox over real HTTP; writes are checked in its state.
 * Enrolling is followed by Update, Opt Out and Opt In of the new member, asserted here where the
 * member exists; those operations have their own files too.
 */
describe('Annex Cloud: member create', () => {
	const sandbox = operationSandbox();

	it('enrolls, updates, opts out and opts in', async () => {
		const id = 'new.member@example.com';
		const create = await runOperation(sandbox(), 'member/create', {
			memberId: id,
			email: id,
			additionalFields: {
				firstName: 'New',
				lastName: 'Member',
				birthDate: '1991-02-03',
				extendedAttribute: '{"smsOptIn":"YES"}',
			},
		});
		expect(create.error).toBeUndefined();
		expect(create.output(ANNEX_NODE)[0]).toMatchObject({
			id,
			optInStatus: 'YES',
			firstName: 'New',
		});
		expect(sandbox().state.annex.member(id)?.consent.sms).toBe(true);

		const update = await runOperation(sandbox(), 'member/update', {
			memberId: id,
			updateFields: { zipCode: '10115', phone: '+4915112345678' },
		});
		expect(update.output(ANNEX_NODE)[0]).toMatchObject({ id, zipCode: '10115' });

		await runOperation(sandbox(), 'member/optOut', { memberId: id });
		expect(sandbox().state.annex.member(id)?.optInStatus).toBe('NO');
		await runOperation(sandbox(), 'member/optIn', {
			memberId: id,
			options: { optInDate: '2025-06-01T09:30:00Z' },
		});
		expect(sandbox().state.annex.member(id)).toMatchObject({
			optInStatus: 'YES',
			optInDate: '2025-06-01T09:30:00+0000',
		});
	});
});
