import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../../sandbox';
import { continueOnFail, OMETRIA_NODE, quickOptions, runOmetria } from './support';
import { runWorkflow } from '../support/runWorkflow';
import { Ometria } from '../../../nodes/Ometria/Ometria.node';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const members = [
	{ id: 'loy-1', email: 'one@example.com' },
	{ id: 'loy-2', email: 'two@example.com' },
];

const membership = (operation: string, segment: IDataObject) => ({
	resource: 'segment',
	operation,
	segment,
	contactId: '={{ $json.id }}',
	email: '={{ $json.email }}',
	options: quickOptions,
});

describe('Ometria › Segment, Profile, Push Error (workflow)', () => {
	it('adds and removes segment members through the contact record', async () => {
		const added = await runOmetria(
			sandbox,
			membership('addMembers', { __rl: true, mode: 'list', value: '8401' }),
			members,
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
		expect(sandbox.stats().requests).not.toHaveProperty(['ometria.push_errors']);
		const checked = await runOmetria(
			sandbox,
			{
				...membership('addMembers', { __rl: true, mode: 'id', value: '8402' }),
				options: { verify: true, verifyWaitSeconds: 0.2 },
			},
			members,
		);
		expect(checked.output(OMETRIA_NODE, 0)[0].status).toBe('verified');
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.listMembers('8401')).toEqual([
			{ collection: 'loyalty', id: 'loy-1' },
			{ collection: 'loyalty', id: 'loy-2' },
		]);
		const removed = await runOmetria(
			sandbox,
			membership('removeMembers', { __rl: true, mode: 'id', value: '8401' }),
			members.slice(0, 1),
		);
		expect(removed.error).toBeUndefined();
		await sandbox.state.ometria.whenIdle();
		expect(sandbox.state.ometria.listMembers('8401')).toEqual([
			{ collection: 'loyalty', id: 'loy-2' },
		]);
	});

	it('lists segments, and searches them by name for the editor', async () => {
		const run = await runOmetria(sandbox, {
			resource: 'segment',
			operation: 'getAll',
			returnAll: true,
		});
		expect(run.output(OMETRIA_NODE, 0).map((segment) => segment.title)).toContain('Loyalty Gold');
		const limited = await runOmetria(sandbox, {
			resource: 'segment',
			operation: 'getAll',
			limit: 2,
			filters: { title: 'loyalty' },
		});
		expect(limited.output(OMETRIA_NODE, 0)).toHaveLength(2);

		const node = new Ometria();
		const context = {
			getCredentials: async () => ({
				apiKey: sandbox.options.ometria.apiKey,
				baseUrl: sandbox.ometriaBaseUrl,
			}),
			getNode: () => ({
				name: 'Ometria',
				type: 'ometria',
				typeVersion: 1,
				parameters: {},
				id: '1',
				position: [0, 0],
			}),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: Record<string, unknown>) => {
					const response = await fetch(`${String(options.url)}?mode=active`, {
						headers: { 'X-Ometria-Auth': sandbox.options.ometria.apiKey },
					});
					return { statusCode: response.status, headers: {}, body: await response.json() };
				},
			},
		};
		const found = await node.methods.listSearch.searchSegments.call(context as never, 'gold');
		expect(found.results).toEqual([{ name: 'Loyalty Gold', value: '8402' }]);
	});

	it('gets a profile by email; an unknown email gives no item, not an error', async () => {
		await runOmetria(
			sandbox,
			membership('addMembers', { __rl: true, mode: 'id', value: '8402' }),
			members,
		);
		const run = await runOmetria(
			sandbox,
			{ resource: 'profile', operation: 'get', by: 'email', email: '={{ $json.email }}' },
			[{ email: 'ONE@example.com' }, { email: 'nobody@example.com' }],
		);
		expect(run.error).toBeUndefined();
		const profiles = run.items(OMETRIA_NODE, 0);
		expect(profiles).toHaveLength(1);
		expect(profiles[0].pairedItem).toEqual({ item: 0 });
		expect(profiles[0].json).toMatchObject({ email: 'one@example.com', lists: ['8402'] });
	});

	it('gets the recent push errors, filtered by request ID', async () => {
		const pushed = await runOmetria(
			sandbox,
			{
				resource: 'contact',
				operation: 'upsert',
				loyaltyPreset: 'none',
				contactId: '={{ $json.id }}',
				email: '={{ $json.id }}@example.com',
				customProperties: { property: [{ fieldId: 'loyalty_mood', value: 'happy' }] },
				options: { verify: false },
			},
			[{ id: 'x-1' }, { id: 'x-2' }],
		);
		const requestId = pushed.output(OMETRIA_NODE, 0)[0].requestId as string;
		await sandbox.state.ometria.whenIdle();
		const run = await runOmetria(sandbox, {
			resource: 'pushError',
			operation: 'getAll',
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

	it('reports a refused key as an error of the item, or on the Rejected output with continueOnFail', async () => {
		const workflowCredentials = {
			ometriaApi: { apiKey: 'wrong', baseUrl: sandbox.ometriaBaseUrl },
		};
		const { ometriaWorkflow } = await import('./support');
		const failed = await runWorkflow(
			ometriaWorkflow({ resource: 'segment', operation: 'getAll' }),
			{
				credentials: workflowCredentials,
			},
		);
		expect(failed.error?.message).toMatch(/403/);
		const pushFailed = await runWorkflow(
			ometriaWorkflow(
				{
					resource: 'contact',
					operation: 'upsert',
					contactId: 'a',
					email: 'a@example.com',
					options: quickOptions,
				},
				continueOnFail,
			),
			{ credentials: workflowCredentials },
		);
		expect(pushFailed.error).toBeUndefined();
		expect(pushFailed.output(OMETRIA_NODE, 1)).toEqual([
			expect.objectContaining({
				stage: 'push',
				recordId: 'a',
				reason: expect.stringMatching(/403/),
			}),
		]);
	});
});
