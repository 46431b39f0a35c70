/**
 * Acceptance: the Ometria node in a real n8n (built package installed as a community package)
 * pushes loyalty contacts and events to the sandbox, routes an invalid item to its Rejected
 * output with n8n's default "On Error" (stop), moves a back-dated automation event to the send
 * time, lists segments and Ometria-side unsubscribes, and reports its summary.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { deterministicEventId } from '../../nodes/Ometria/logic/eventMapping';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	startN8nForTests,
	stopN8n,
	type RunLike,
} from './support/n8n';

const CREDENTIAL = { id: 'ometriaE2e000001', name: 'Ometria (e2e)', type: 'ometriaApi' };

const MEMBERS = [
	{
		loyaltyId: 'e2e-1',
		email: 'one@example.com',
		firstName: 'One',
		phone: '+447700900001',
		currentTier: 'Gold',
		availablePoints: 1200,
		activityId: 'act-1',
	},
	{
		loyaltyId: 'e2e-2',
		email: 'two@example.com',
		firstName: 'Two',
		phone: '+44 (0)7700 900002',
		currentTier: 'Silver',
		availablePoints: 300,
		activityId: 'act-2',
	},
	{
		loyaltyId: 'e2e-3',
		email: 'three@example.com',
		firstName: 'Three',
		phone: '07700 900003',
		currentTier: 'Bronze',
		availablePoints: 5,
		activityId: 'act-3',
	},
];

const ometriaNode = (
	name: string,
	x: number,
	y: number,
	parameters: Record<string, unknown>,
	settings: Record<string, unknown> = { onError: 'continueRegularOutput' },
) => ({
	id: name.toLowerCase().replace(/\W+/g, '-'),
	name,
	type: 'n8n-nodes-loyalty-sync.ometria',
	typeVersion: 1,
	position: [x, y],
	parameters,
	credentials: { ometriaApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
	...settings,
});

const workflow = {
	name: 'Ometria e2e: loyalty contacts, events and segments',
	nodes: [
		{
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'members',
			name: 'Members',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: { jsCode: `return ${JSON.stringify(MEMBERS)}.map((json) => ({ json }));` },
		},
		// n8n's default "On Error" (stop): rejected items still go to the Rejected output.
		ometriaNode(
			'Upsert contacts',
			440,
			0,
			{
				resource: 'contact',
				operation: 'upsert',
				consent: { emailMarketing: 'EXPLICITLY_OPTEDIN' },
				additionalFields: { addToSegments: ['8402'] },
				options: { includeSummary: true, verifyWaitSeconds: 0.5 },
			},
			{},
		),
		ometriaNode('Send events', 440, 200, {
			resource: 'customEvent',
			operation: 'send',
			eventPreset: 'loy_opt_in',
			sourceEventId: '={{ $json.activityId }}',
			timestamp: '2025-01-10T12:00:00Z',
			identityEmail: '={{ $json.email }}',
			eventProperties: { property: [{ name: 'tier', value: '={{ $json.currentTier }}' }] },
			options: { verifyWaitSeconds: 0.5 },
		}),
		ometriaNode('Segments', 440, 400, {
			resource: 'segment',
			operation: 'getAll',
			returnAll: true,
		}),
		ometriaNode('Unsubscribes', 220, 200, {
			resource: 'unsubscribe',
			operation: 'getAll',
			since: '2026-01-01',
			output: 'lookup',
		}),
	],
	connections: {
		Start: {
			main: [
				[
					{ node: 'Members', type: 'main', index: 0 },
					{ node: 'Unsubscribes', type: 'main', index: 0 },
				],
			],
		},
		Members: {
			main: [
				[
					{ node: 'Upsert contacts', type: 'main', index: 0 },
					{ node: 'Send events', type: 'main', index: 0 },
					{ node: 'Segments', type: 'main', index: 0 },
				],
			],
		},
	},
	settings: { executionOrder: 'v1' },
};

type Item = { json: Record<string, unknown>; pairedItem?: unknown };

function outputOf(run: RunLike, node: string, output: number): Item[] {
	const runs = run.data.resultData.runData[node] ?? [];
	const main = (runs[runs.length - 1]?.data?.main ?? []) as Array<Item[] | null>;
	return main[output] ?? [];
}

let sandbox: Sandbox;
let workflowId: string;

beforeAll(async () => {
	sandbox = await startSandbox();
	sandbox.state.ometria.addUnsubscribe({
		email_address: 'two@example.com',
		type: 'stopword_unsubscribe_TF',
		timestamp: '2026-02-01T10:00:00',
	});
	await startN8nForTests();
	await importCredentials([
		{
			...CREDENTIAL,
			data: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl },
		},
	]);
	workflowId = await importWorkflow(workflow);
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

describe('the Ometria node in a real n8n', () => {
	it('pushes contacts and events, rejects the invalid item on its second output, and lists segments', async () => {
		const result = await executeWorkflow(workflowId);
		expect(result).toMatchObject({ ok: true, status: 'success' });

		const upserted = outputOf(result.run, 'Upsert contacts', 0);
		expect(
			upserted.slice(0, 2).map((item) => [item.json.recordId, item.json.status, item.pairedItem]),
		).toEqual([
			['e2e-1', 'verified', { item: 0 }],
			['e2e-2', 'verified', { item: 1 }],
		]);
		expect(upserted[2].json.summary).toMatchObject({
			items: 3,
			sent: 2,
			accepted: 2,
			rejected: 1,
			requests: 1,
		});
		const rejected = outputOf(result.run, 'Upsert contacts', 1);
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toMatchObject({
			pairedItem: { item: 2 },
			json: {
				memberId: 'e2e-3',
				email: 'three@example.com',
				field: 'phone_number',
				error_path: 'root > phone_number',
				stage: 'validation',
			},
		});

		const sent = outputOf(result.run, 'Send events', 0);
		expect(sent).toHaveLength(3);
		expect(sent[0].json.warnings).toEqual([expect.stringMatching(/more than 4 hours ago/)]);
		expect(outputOf(result.run, 'Unsubscribes', 0)[0].json).toMatchObject({
			since: expect.stringMatching(/^2026-01-01T\d{2}:00:00$/),
			count: 1,
			channelsByEmail: { 'two@example.com': ['sms'] },
		});
		expect(outputOf(result.run, 'Segments', 0).map((item) => item.json.title)).toContain(
			'Loyalty Gold',
		);

		await sandbox.state.ometria.whenIdle();
		const ometria = sandbox.state.ometria;
		expect(ometria.contact('e2e-1', 'loyalty')?.record).toMatchObject({
			email: 'one@example.com',
			firstname: 'One',
			marketing_optin: 'EXPLICITLY_OPTEDIN',
			properties: { annex_current_tier: 'Gold', annex_available_points: '1200' },
		});
		expect(ometria.contact('e2e-2', 'loyalty')?.record.phone_number).toBe('+447700900002');
		expect(ometria.contact('e2e-3', 'loyalty')).toBeUndefined();
		expect(ometria.listMembers('8402')).toHaveLength(2);
		const eventId = deterministicEventId({ eventType: 'annex_loy_opt_in', sourceEventId: 'act-2' });
		expect(ometria.events.get(eventId)?.record).toMatchObject({
			event_type: 'annex_loy_opt_in',
			identity_email: 'two@example.com',
			properties: { tier: 'Silver', occurred_at: '2025-01-10T12:00:00+00:00' },
		});
		// Sent with the send time, so it starts the automation.
		expect(ometria.events.get(eventId)?.automation).toBe('entered');

		// A second execution (a replay) creates no second event.
		expect((await executeWorkflow(workflowId)).ok).toBe(true);
		await sandbox.state.ometria.whenIdle();
		expect(ometria.events.size).toBe(3);
	});
});
