/**
 * Acceptance: template 01 (real-time sync) imported as shipped into a real n8n, run against the
 * sandbox, judged by the sandbox's state: loyalty members, attributes, events and tier segments
 * in Ometria. Template 02 (the nightly member sync) is in nightly-feed.test.ts; 03 (segment sync,
 * on Data Tables) in templates-care.test.ts.
 */

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	failedRuns,
	nodeOutput,
	postWebhook,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	waitForExecutions,
	type CredentialRef,
} from './support/n8n';
import {
	importSandboxCredentials,
	loadTemplate,
	runInServer,
	SANDBOX_WEBHOOK_SIGNING,
	SANDBOX_WEBHOOK_TOKEN_HEADERS,
} from './support/templates';

const AS_OF = '2025-06-15';
const TIER_LISTS: Record<string, string> = {
	Platinum: '8401',
	Gold: '8402',
	Silver: '8403',
	Bronze: '8404',
};

let sandbox: Sandbox;
let credentials: CredentialRef[];

beforeAll(async () => {
	sandbox = await startSandbox({ members: 0, asOf: AS_OF });
	await startN8nForTests();
	credentials = await importSandboxCredentials(sandbox);
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

const loyaltyContact = (id: string) => sandbox.state.ometria.contact(id, 'loyalty');
const eventsOfType = (type: string) =>
	[...sandbox.state.ometria.events.values()].filter((event) => event.record.event_type === type);

describe('01 real-time loyalty sync', () => {
	const EVENTS = ['loy_opt_in', 'loy_point_accrual', 'loy_point_redeem', 'tier_upgrade'];
	let published: { id: string; url: string };

	beforeAll(async () => {
		const template = loadTemplate('01-real-time-loyalty-sync.json', credentials);
		const webhookId = (
			template.nodes.find((node) => node.name === 'Annex Cloud Trigger') as unknown as {
				webhookId: string;
			}
		).webhookId;
		const { id, productionUrl } = await publishWebhookWorkflow(template);
		published = { id, url: productionUrl(`${webhookId}/webhook`) };
	});

	it('refuses deliveries without the webhook token: 401, nothing runs', async () => {
		const before = (await waitForExecutions(published.id, 0)).length;
		const event = {
			eventId: 'evt-e2e-unsigned',
			eventName: 'loy_opt_in',
			member: { id: 'li-lei' },
		};
		expect((await postWebhook(published.url, event)).status).toBe(401);
		expect(
			(await postWebhook(published.url, event, { 'X-Webhook-Token': 'guessed-token-0123456789' }))
				.status,
		).toBe(401);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await waitForExecutions(published.id, 0)).toHaveLength(before);
	});

	it('webhook events make loyalty contacts with attributes, tier segments and one event each, replays included', async () => {
		const members = ['plat-001', 'plat-002', 'zhang-min', 'li-lei'].map((id) => {
			const member = sandbox.state.annex.member(id)!;
			return {
				id,
				email: member.email,
				firstName: member.firstName,
				lastName: member.lastName,
				tier: member.tier,
			};
		});
		const sent = await sandbox.sendWebhooks({
			url: published.url,
			events: EVENTS,
			count: 8,
			replay: 3,
			members,
			signing: SANDBOX_WEBHOOK_SIGNING,
			timeoutMs: 60_000,
		});
		expect(sent.counts).toEqual({ valid: 8, forged: 0, replay: 3 });
		expect(await failedRuns(await waitForExecutions(published.id, 8, 120_000))).toEqual([]);
		await sandbox.state.ometria.whenIdle();

		// Replays were answered but started nothing, and Ometria holds each event once.
		const genuine = sent.sent.filter((delivery) => delivery.kind === 'valid');
		for (const delivery of genuine) {
			const type =
				delivery.eventName === 'loy_point_redeem'
					? 'Annex_loy_point_redemption'
					: `annex_${delivery.eventName}`;
			const matching = eventsOfType(type).filter((event) => event.record.properties !== undefined);
			expect(matching.length).toBeGreaterThan(0);
		}
		const annexEvents = [...sandbox.state.ometria.events.values()].filter((event) =>
			/^annex_|^Annex_/.test(String(event.record.event_type)),
		);
		expect(annexEvents).toHaveLength(8);
		expect(annexEvents.every((event) => event.duplicates === 0)).toBe(true);

		// The sender picks a member per delivery; every member an event was about is synced.
		const emails = new Set(annexEvents.map((event) => String(event.record.identity_email)));
		const synced = members.filter((member) => emails.has(member.email));
		expect(synced.length).toBeGreaterThan(1);
		for (const { id } of synced) {
			const contact = loyaltyContact(id);
			const annexMember = sandbox.state.annex.member(id)!;
			expect(contact).toBeDefined(); // the member is a contact
			const properties = contact!.record.properties as Record<string, unknown>;
			expect(properties).toMatchObject({
				annex_loyalty_id: id,
				annex_current_tier: annexMember.tier,
			}); // with its loyalty attributes
			expect(Number(properties.annex_available_points)).toBe(annexMember.availablePoints);
			expect(properties.annex_earned_points).toBeDefined();
			expect(contact!.lists.has(TIER_LISTS[annexMember.tier])).toBe(true); // in its tier's segment only
			for (const [tier, list] of Object.entries(TIER_LISTS)) {
				if (tier !== annexMember.tier) expect(contact!.lists.has(list)).toBe(false);
			}
		}
		// Loyalty events carry the member's identity and loyalty data.
		const accrual = eventsOfType('annex_loy_point_accrual')[0];
		expect(accrual.record).toMatchObject({ identity_email: expect.stringContaining('@') });
	});

	it('the same trigger event posted twice runs once and creates one Ometria event', async () => {
		const before = await waitForExecutions(published.id, 8);
		const event = {
			eventId: 'evt-e2e-replay-0001',
			eventName: 'loy_point_accrual',
			occurredAt: '2025-06-15T09:30:00.000Z',
			member: { id: 'plat-003', email: 'plat.003@example.com', tier: 'Platinum' },
			data: { points: 120, actionId: 109 },
		};
		const first = await postWebhook(published.url, event, SANDBOX_WEBHOOK_TOKEN_HEADERS);
		const second = await postWebhook(published.url, event, SANDBOX_WEBHOOK_TOKEN_HEADERS);
		expect(first.status).toBe(200);
		expect(second.body).toMatchObject({ status: 'ignored' });
		await waitForExecutions(published.id, before.length + 1);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		await sandbox.state.ometria.whenIdle();
		const stored = [...sandbox.state.ometria.events.values()].filter(
			(stored) => stored.record.identity_email === 'plat.003@example.com',
		);
		expect(stored).toHaveLength(1);
		expect(stored[0].duplicates).toBe(0);
	});

	it('runs from its Manual Trigger with the labelled sample event; a second run sends no second event', async () => {
		// 01 records sent events in a Data Table, so it runs inside the server (n8n execute has none).
		const sampleAccruals = () =>
			[...sandbox.state.ometria.events.values()].filter(
				(event) =>
					event.record.identity_email === 'plat.001@example.com' &&
					event.record.event_type === 'annex_loy_point_accrual',
			);
		await sandbox.state.ometria.whenIdle();
		const before = sampleAccruals().length;
		const first = await runInServer(published.id, 'Run now (manual)');
		expect(first.status).toBe('success');
		expect(nodeOutput(first.run, 'Evaluate tier')[0]).toMatchObject({
			tierEvaluation: expect.objectContaining({ currentTier: 'Platinum' }),
		});
		// The second run finds the event in its record of sent events and sends nothing at all.
		const again = await runInServer(published.id, 'Run now (manual)');
		expect(again.status).toBe('success');
		await sandbox.state.ometria.whenIdle();
		const accruals = sampleAccruals();
		expect(accruals).toHaveLength(before + 1);
		expect(accruals.every((event) => event.duplicates === 0)).toBe(true);
		expect(nodeOutput(again.run, 'Evaluate tier')).toHaveLength(0);
	});
});
