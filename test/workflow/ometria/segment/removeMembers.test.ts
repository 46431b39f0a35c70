import { fileSandbox, loyaltyMembers, quickOptions, runOperation } from '../support';

/** Segment › Remove Members against the sandbox over real HTTP. */
const sandbox = fileSandbox();

describe('Ometria › Segment › Remove Members (workflow)', () => {
	it('removes segment members through the contact record', async () => {
		const segment = { __rl: true, mode: 'id', value: '8401' };
		await runOperation(
			sandbox(),
			'segment/addMembers',
			{ segment, options: quickOptions },
			loyaltyMembers,
		);
		await sandbox().state.ometria.whenIdle();
		const removed = await runOperation(
			sandbox(),
			'segment/removeMembers',
			{ segment, options: quickOptions },
			loyaltyMembers.slice(0, 1),
		);
		expect(removed.error).toBeUndefined();
		await sandbox().state.ometria.whenIdle();
		expect(sandbox().state.ometria.listMembers('8401')).toEqual([
			{ collection: 'loyalty', id: 'loy-2' },
		]);
	});
});
