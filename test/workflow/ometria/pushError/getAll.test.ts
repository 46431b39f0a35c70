import { fileSandbox, OMETRIA_NODE, runOperation } from '../support';

/** Push Error › Get Many against the sandbox over real HTTP. */
const sandbox = fileSandbox();

describe('Ometria › Push Error › Get Many (workflow)', () => {
	it('gets the recent push errors, filtered by request ID', async () => {
		const pushed = await runOperation(
			sandbox(),
			'contact/upsert',
			{
				loyaltyPreset: 'none',
				contactId: '={{ $json.id }}',
				email: '={{ $json.id }}@example.com',
				customProperties: { property: [{ fieldId: 'loyalty_mood', value: 'happy' }] },
				options: { verify: false },
			},
			[{ id: 'x-1' }, { id: 'x-2' }],
		);
		const requestId = pushed.output(OMETRIA_NODE, 0)[0].requestId as string;
		await sandbox().state.ometria.whenIdle();
		const run = await runOperation(sandbox(), 'pushError/getAll', {
			returnAll: true,
			filters: { requestIds: requestId },
		});
		expect(run.output(OMETRIA_NODE, 0)).toEqual([
			expect.objectContaining({
				request_id: requestId,
				record_id: 'x-2',
				error_path: 'root > properties > loyalty_mood',
				field: 'properties.loyalty_mood',
			}),
			expect.objectContaining({
				request_id: requestId,
				record_id: 'x-1',
				error_message: 'custom field not defined',
			}),
		]);
	});
});
