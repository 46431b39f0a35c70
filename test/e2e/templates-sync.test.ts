/**
 * Acceptance: templates 01 (real-time sync), 02 (nightly reconciliation) and 03 (segment sync)
 * imported as shipped into a real n8n, run against the sandbox, judged by the sandbox's state.
 * Loyalty members, attributes, events and tier segments in Ometria; the lapsed Platinum segment
 * and its outreach; the nightly sync health report.
 */
import { readdirSync, rmSync, statSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	FIXTURE_MEMBER_COUNT,
	PLATINUM_LAPSED_COUNT,
	PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS,
	PLATINUM_LAPSED_IDS,
	PLATINUM_LAPSED_PUSH_DISABLED_IDS,
	PLATINUM_LAPSED_SMS_UNSUBSCRIBED_COUNT,
	PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS,
} from '../../sandbox/fixtures';
import {
	executeWorkflow,
	importWorkflow,
	nodeOutput,
	postWebhook,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	waitForExecutions,
	type CredentialRef,
	type ExecutionResult,
} from './support/n8n';
import {
	importSandboxCredentials,
	loadTemplate,
	n8nFilesFolder,
	runTemplate,
	type TemplateRun,
} from './support/templates';

const AS_OF = '2025-06-15';
const LAPSED_LIST = '8406';
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

function expectSuccess(result: ExecutionResult | TemplateRun): void {
	if (!result.ok) throw new Error(`run failed in ${result.failedNode}: ${result.error}`);
}

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
		});
		expect(sent.counts).toEqual({ valid: 8, forged: 0, replay: 3 });
		await waitForExecutions(published.id, 8, 120_000);
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
		const first = await postWebhook(published.url, event);
		const second = await postWebhook(published.url, event);
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
		expectSuccess(await executeWorkflow(published.id));
		const again = await executeWorkflow(published.id);
		expectSuccess(again);
		await sandbox.state.ometria.whenIdle();
		const accruals = [...sandbox.state.ometria.events.values()].filter(
			(event) =>
				event.record.identity_email === 'plat.001@example.com' &&
				event.record.event_type === 'annex_loy_point_accrual',
		);
		const sample = accruals.find((event) => event.duplicates > 0);
		expect(sample).toBeDefined();
		expect(sample!.duplicates).toBe(1);
		expect(nodeOutput(again.run, 'Evaluate tier')[0]).toMatchObject({
			tierEvaluation: expect.objectContaining({ currentTier: 'Platinum' }),
		});
	});
});

describe('02 nightly reconciliation', () => {
	it('syncs every member and writes a sync health report (PDF, HTML, CSV) with success rate and consistency score', async () => {
		const folder = n8nFilesFolder('reconciliation');
		const id = await importWorkflow(
			loadTemplate('02-nightly-reconciliation.json', credentials, {
				settings: { reportFolder: folder, reconcileSample: 30 },
			}),
		);
		const result = await runTemplate(id);
		expectSuccess(result);
		await sandbox.state.ometria.whenIdle();

		expect(sandbox.state.ometria.contactsIn('loyalty')).toHaveLength(FIXTURE_MEMBER_COUNT);
		const report = nodeOutput(result.run, 'Sync health report')[0] as {
			push: { sent: number; accepted: number; successRate: number };
			reconciliation: { consistencyScore: number; sourceMembers: number; targetMembers: number };
		};
		expect(report.push).toMatchObject({
			sent: FIXTURE_MEMBER_COUNT,
			accepted: FIXTURE_MEMBER_COUNT,
			successRate: 1,
		});
		expect(report.reconciliation).toMatchObject({
			sourceMembers: 30,
			targetMembers: 30,
			consistencyScore: 1,
		});
		const files = readdirSync(folder);
		for (const extension of ['pdf', 'html', 'csv']) {
			const file = files.find((name) => name.endsWith(`.${extension}`));
			expect(file).toBeDefined();
			expect(statSync(join(folder, file!)).size).toBeGreaterThan(500);
		}
		rmSync(folder, { recursive: true, force: true });
	});
});

describe('03 segment sync', () => {
	let result: TemplateRun;
	beforeAll(async () => {
		const id = await importWorkflow(
			loadTemplate('03-segment-sync.json', credentials, { asOf: AS_OF }),
		);
		result = await runTemplate(id);
		await sandbox.state.ometria.whenIdle();
	});

	it('the lapsed Platinum audience fills the Ometria segment', () => {
		expectSuccess(result);
		const summary = nodeOutput(result.run, 'Campaign log')[0];
		expect(summary.matched).toBe(PLATINUM_LAPSED_COUNT);
		const listed = sandbox.state.ometria
			.listMembers(LAPSED_LIST)
			.map((member) => member.id)
			.sort();
		const audience = nodeOutput(result.run, 'Lapsed Platinum')
			.map((member) => String(member.loyaltyId))
			.sort();
		expect(listed).toEqual(audience);
		const unreachable = PLATINUM_LAPSED_IDS.filter(
			(id) =>
				PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS.includes(id) &&
				PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(id) &&
				PLATINUM_LAPSED_PUSH_DISABLED_IDS.includes(id),
		);
		expect(audience).toEqual(PLATINUM_LAPSED_IDS.filter((id) => !unreachable.includes(id)).sort());
	});

	it('outreach is scheduled on email, SMS and app push at the configured times', () => {
		const planned = eventsOfType('lapsed_platinum_outreach');
		expect(planned).toHaveLength(nodeOutput(result.run, 'Lapsed Platinum').length);
		const channels = new Set(
			planned.flatMap((event) =>
				String((event.record.properties as Record<string, unknown>).channels).split(','),
			),
		);
		expect([...channels].sort()).toEqual(['email', 'push', 'sms']);
		for (const member of nodeOutput(result.run, 'Lapsed Platinum')) {
			const outreach = member.outreach as { channels: Array<{ channel: string; sendAt: string }> };
			for (const { channel, sendAt } of outreach.channels) {
				const time = { email: '10:00', sms: '12:00', push: '18:00' }[channel];
				expect(sendAt.slice(0, 10)).toBe(AS_OF);
				expect(sendAt).toContain(`T${time}`);
			}
		}
	});

	it('SMS-unsubscribed lapsed members get no SMS and the log counts them', () => {
		const audience = nodeOutput(result.run, 'Lapsed Platinum');
		const smsUnsubscribed = new Set(PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS);
		for (const member of audience) {
			const outreach = member.outreach as {
				channels: Array<{ channel: string }>;
				suppressedChannels: string[];
			};
			const hasSms = outreach.channels.some((channel) => channel.channel === 'sms');
			expect(hasSms).toBe(!smsUnsubscribed.has(String(member.loyaltyId)));
		}
		const log = nodeOutput(result.run, 'Campaign log')[0] as {
			smsWithheldForUnsubscribe: number;
			excludedByReason: Record<string, number>;
			message: string;
		};
		expect(log.smsWithheldForUnsubscribe + log.excludedByReason.unsubscribed_all_channels).toBe(
			PLATINUM_LAPSED_SMS_UNSUBSCRIBED_COUNT,
		);
		expect(log.message).toContain(`SMS withheld from ${log.smsWithheldForUnsubscribe}`);
		for (const event of eventsOfType('lapsed_platinum_outreach')) {
			const properties = event.record.properties as Record<string, string>;
			if (smsUnsubscribed.has(properties.loyalty_id)) expect(properties.sms_at).toBe('');
		}
	});
});
