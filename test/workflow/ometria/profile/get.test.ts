import { fileSandbox, loyaltyMembers, OMETRIA_NODE, quickOptions, runOperation } from '../support';

/** Profile › Get against the sandbox over real HTTP. */
const sandbox = fileSandbox();

describe('Ometria › Profile › Get (workflow)', () => {
	it('gets a profile by email; an unknown email gives no item, not an error', async () => {
		await runOperation(
			sandbox(),
			'segment/addMembers',
			{ segment: { __rl: true, mode: 'id', value: '8402' }, options: quickOptions },
			loyaltyMembers,
		);
		// Ometria imports pushed records after accepting them.
		await sandbox().state.ometria.whenIdle();
		const run = await runOperation(sandbox(), 'profile/get', {}, [
			{ email: 'ONE@example.com' },
			{ email: 'nobody@example.com' },
		]);
		expect(run.error).toBeUndefined();
		const profiles = run.items(OMETRIA_NODE, 0);
		expect(profiles).toHaveLength(1);
		expect(profiles[0].pairedItem).toEqual({ item: 0 });
		expect(profiles[0].json).toMatchObject({ email: 'one@example.com', lists: ['8402'] });
	});
});
