import { fileSandbox, loyaltyMembers, OMETRIA_NODE, quickOptions, runOperation } from '../support';

/** Segment › Add Members against the sandbox over real HTTP. */
const sandbox = fileSandbox();

describe('Ometria › Segment › Add Members (workflow)', () => {
	it('adds segment members through the contact record', async () => {
		const added = await runOperation(
			sandbox(),
			'segment/addMembers',
			{ segment: { __rl: true, mode: 'list', value: '8401' }, options: quickOptions },
			loyaltyMembers,
		);
		expect(added.error).toBeUndefined();
		expect(added.output(OMETRIA_NODE, 0)[0].record).toEqual({
			'@type': 'contact',
			'@collection': 'loyalty',
			'@merge': true,
			id: 'loy-1',
			email: 'one@example.com',
			'@add_to_lists': [8401],
		});
		// Segment writes do not wait for a rejection check unless asked to.
		expect(added.output(OMETRIA_NODE, 0)[0].status).toBe('accepted');
		expect(sandbox().stats().requests).not.toHaveProperty(['ometria.push_errors']);
		const checked = await runOperation(
			sandbox(),
			'segment/addMembers',
			{
				segment: { __rl: true, mode: 'id', value: '8402' },
				options: { verify: true, verifyWaitSeconds: 0.2 },
			},
			loyaltyMembers,
		);
		expect(checked.output(OMETRIA_NODE, 0)[0].status).toBe('verified');
		await sandbox().state.ometria.whenIdle();
		expect(sandbox().state.ometria.listMembers('8401')).toEqual([
			{ collection: 'loyalty', id: 'loy-1' },
			{ collection: 'loyalty', id: 'loy-2' },
		]);
	});
});
