/**
 * Acceptance for the entitlement templates in a real n8n against the sandbox, imported as shipped
 * (credentials bound by type to the sandbox ones, nothing else changed unless a test says so):
 *
 * - 05-tier-change-entitlements (membership upgrade): a member Annex Cloud upgraded gets the
 *   new tier's reward benefits assigned in Annex Cloud, their Ometria contact shows the new tier
 *   and benefits in the tier's segment, and Ometria receives annex_tier_upgrade.
 * - 06-benefit-redemption (entitlement redemption): an eligible redemption debits the points,
 *   is recorded in Annex Cloud and tracked in Ometria; an ineligible one debits nothing and the
 *   answer says why.
 */

import { annexSignedPayload, signAnnexJwt } from '../../nodes/shared/annexJwt';
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	LI_LEI_EMAIL,
	LI_LEI_ID,
	OUT_OF_STOCK_REWARD_ID,
	ZHANG_MIN_EMAIL,
	ZHANG_MIN_ID,
} from '../../sandbox/fixtures';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	loadFixture,
	n8n,
	postWebhook,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	waitForExecutions,
	type CredentialImport,
} from './support/n8n';
import {
	loadTemplate,
	redeemHeaders,
	runInServer,
	SANDBOX_WEBHOOK_TOKEN_HEADERS,
} from './support/templates';

type Workflow = {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		webhookId?: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, { id: string; name: string }>;
	}>;
	[key: string]: unknown;
};

const TIER_TEMPLATE = '05-tier-change-entitlements.json';
const SURVEY_TEMPLATE = '16-benefit-feedback-survey.json';
const REDEMPTION_TEMPLATE = '06-benefit-redemption.json';

let sandbox: Sandbox;
let credentials: CredentialImport[];

function nodeNamed(workflow: Workflow, name: string) {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`${workflow.name} has no node "${name}"`);
	return node;
}

/** A points credit through Annex Cloud's API, as a purchase would make it: the tier follows. */
async function creditPoints(memberId: string, points: number): Promise<Record<string, unknown>> {
	const body = JSON.stringify({
		id: memberId,
		actionId: 100,
		activity: 'CREDIT',
		points,
		reason: 'e2e: qualifying spend',
	});
	const { siteId, siteName, secretKey } = sandbox.options.annex;
	const jwt = signAnnexJwt(
		{ siteId, siteName, secretKey },
		annexSignedPayload('POST', '/points', body),
	);
	const response = await fetch(`${sandbox.annexBaseUrl}/points`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			authorization: `Bearer ${jwt}`,
			'x-annexcloud-site': siteId,
		},
		body,
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, unknown>;
}

function ometriaEvents(eventType: string, email: string) {
	return [...sandbox.state.ometria.events.values()]
		.map((stored) => (stored as { record: Record<string, unknown> }).record)
		.filter((record) => record.event_type === eventType && record.identity_email === email);
}

function segmentMembers(listId: string): string[] {
	return sandbox.state.ometria.listMembers(listId).map((member) => member.id);
}

beforeAll(async () => {
	sandbox = await startSandbox();
	await startN8nForTests();
	credentials = loadFixture<CredentialImport[]>('sandbox.credentials.json', {
		SANDBOX_URL: sandbox.url,
	});
	await importCredentials(credentials);
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

describe('05 tier change and entitlements: membership upgrade', () => {
	let id: string;
	let triggerUrl: string;

	beforeAll(async () => {
		const workflow = loadTemplate(TIER_TEMPLATE, credentials);
		const webhookId = nodeNamed(workflow, 'Annex Cloud Trigger').webhookId!;
		const published = await publishWebhookWorkflow(workflow);
		id = published.id;
		triggerUrl = published.productionUrl(`${webhookId}/webhook`);
	});

	it('an upgrade event assigns the new rewards, updates the Ometria contact and notifies the member', async () => {
		// Zhang Min (Gold, 7,000 lifetime points) qualifies: a 4,000-point credit makes Annex Cloud
		// move her to Platinum, and Annex Cloud sends tier_upgrade.
		const credit = await creditPoints(ZHANG_MIN_ID, 4000);
		expect(credit.tierChanged).toEqual({ from: 'Gold', to: 'Platinum' });
		const answer = await postWebhook(
			triggerUrl,
			{
				eventId: 'e2e-tier-upgrade-zhang-min',
				eventName: 'tier_upgrade',
				occurredAt: new Date().toISOString(),
				siteId: sandbox.options.annex.siteId,
				member: { id: ZHANG_MIN_ID, email: ZHANG_MIN_EMAIL, tier: 'Platinum' },
				data: { previousTier: 'Gold', tier: 'Platinum' },
			},
			SANDBOX_WEBHOOK_TOKEN_HEADERS,
		);
		expect(answer.status).toBe(200);
		const [execution] = await waitForExecutions(id, 1);
		expect(execution.status).toBe('success');
		await sandbox.state.ometria.whenIdle();

		// Upgrade processed and new benefits active in Annex Cloud: the Platinum reward benefit
		// (1003) is assigned, the lower tiers' benefits are kept (cumulative catalog).
		const assigned = sandbox.state.annex.assignments.filter(
			(assignment) => assignment.user_id === ZHANG_MIN_ID,
		);
		expect(assigned.map((assignment) => assignment.reward_id)).toEqual([1003]);

		// ... and in Ometria: the contact shows the new tier and benefits, in the Platinum segment.
		const contact = sandbox.state.ometria.contact(ZHANG_MIN_ID, 'loyalty')?.record as Record<
			string,
			unknown
		>;
		expect(contact).toMatchObject({
			email: ZHANG_MIN_EMAIL,
			properties: expect.objectContaining({ annex_current_tier: 'Platinum' }),
		});
		const properties = contact.properties as Record<string, string>;
		expect(properties.loyalty_benefits).toContain('$25 welcome reward');
		expect(properties.loyalty_benefits).toContain('Personal concierge line');
		expect(properties.loyalty_benefits).toContain('Free express shipping');
		expect(segmentMembers('8401')).toContain(ZHANG_MIN_ID);
		expect(segmentMembers('8402')).not.toContain(ZHANG_MIN_ID);

		// Customer notified: Ometria's automation starts from annex_tier_upgrade.
		const events = ometriaEvents('annex_tier_upgrade', ZHANG_MIN_EMAIL);
		expect(events).toHaveLength(1);
		expect(events[0].properties).toMatchObject({ previous_tier: 'Gold', new_tier: 'Platinum' });

		// The same delivery again (Annex Cloud retries) is ignored by the trigger: nothing twice.
		await postWebhook(
			triggerUrl,
			{
				eventId: 'e2e-tier-upgrade-zhang-min',
				eventName: 'tier_upgrade',
				member: { id: ZHANG_MIN_ID, email: ZHANG_MIN_EMAIL, tier: 'Platinum' },
				data: { previousTier: 'Gold', tier: 'Platinum' },
			},
			SANDBOX_WEBHOOK_TOKEN_HEADERS,
		);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await waitForExecutions(id, 1)).toHaveLength(1);
		expect(
			sandbox.state.annex.assignments.filter((assignment) => assignment.user_id === ZHANG_MIN_ID),
		).toHaveLength(1);
	});

	it('a downgrade records the revoked benefits in Annex Cloud and Ometria and notifies the member', async () => {
		// Li Lei (Silver by her 3,500 lifetime points): Annex Cloud's record says she was moved down
		// from Gold (the sandbox only moves tiers up through its API, so the record is set here).
		const liLei = sandbox.state.annex.member(LI_LEI_ID)!;
		liLei.previousTier = 'Gold';
		liLei.tier = 'Silver';
		liLei.tierAchievedDate = new Date().toISOString().slice(0, 10);
		const answer = await postWebhook(
			triggerUrl,
			{
				eventId: 'e2e-tier-downgrade-li-lei',
				eventName: 'tier_downgrade',
				occurredAt: new Date().toISOString(),
				member: { id: LI_LEI_ID, email: LI_LEI_EMAIL, tier: 'Silver' },
				data: { previousTier: 'Gold', tier: 'Silver' },
			},
			SANDBOX_WEBHOOK_TOKEN_HEADERS,
		);
		expect(answer.status).toBe(200);
		const [latest] = await waitForExecutions(id, 2);
		expect(latest.status).toBe('success');
		const execution = await n8n().getExecution(latest.id);
		const revoked = execution.data.resultData.runData['Record revoked benefits'];
		expect(revoked?.[0]?.executionStatus).toBe('success');
		const revocation = sandbox.state.annex.member(LI_LEI_ID)?.otherAttributes;
		expect(revocation?.revokedBenefits).toEqual(expect.stringMatching(/\S/));
		expect(revocation?.benefitsRevokedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		await sandbox.state.ometria.whenIdle();

		// Nothing is granted on a downgrade; Gold's benefits are revoked and recorded.
		expect(
			sandbox.state.annex.assignments.some((assignment) => assignment.user_id === LI_LEI_ID),
		).toBe(false);
		const contact = sandbox.state.ometria.contact(LI_LEI_ID, 'loyalty')?.record as Record<
			string,
			unknown
		>;
		expect(contact.properties).toMatchObject({
			annex_current_tier: 'Silver',
			loyalty_benefits: '$5 welcome reward, Free standard shipping',
			loyalty_benefits_revoked: '$10 welcome reward, Free express shipping',
		});
		expect(segmentMembers('8403')).toContain(LI_LEI_ID);
		expect(segmentMembers('8402')).not.toContain(LI_LEI_ID);
		const events = ometriaEvents('annex_tier_downgrade', LI_LEI_EMAIL);
		expect(events).toHaveLength(1);
		expect(events[0].properties).toMatchObject({ previous_tier: 'Gold', new_tier: 'Silver' });
	});

	it('runs from its Manual Trigger with the labelled sample event', async () => {
		// The sample: Li Lei, whom Annex Cloud's record shows upgraded from Bronze to Silver.
		const liLei = sandbox.state.annex.member(LI_LEI_ID)!;
		liLei.previousTier = 'Bronze';
		liLei.tier = 'Silver';
		// Another change than the downgrade above (recorded in loyalty_tier_grants): yesterday's.
		liLei.tierAchievedDate = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		// In the server: the template's Data Table nodes need n8n's modules, which `n8n execute` lacks.
		const id = await importWorkflow(loadTemplate(TIER_TEMPLATE, credentials));
		expect((await runInServer(id, 'Run manually')).status).toBe('success');
		await sandbox.state.ometria.whenIdle();
		expect(
			sandbox.state.annex.assignments
				.filter((assignment) => assignment.user_id === LI_LEI_ID)
				.map((assignment) => assignment.reward_id),
		).toEqual([1001]);
		expect(ometriaEvents('annex_tier_upgrade', LI_LEI_EMAIL)).toHaveLength(1);
		expect(segmentMembers('8403')).toContain(LI_LEI_ID);
	});
});

describe('06 benefit redemption: entitlement redemption', () => {
	let redeemUrl: string;

	beforeAll(async () => {
		// 06 calls the survey (16) after a redemption; n8n publishes a workflow only after the
		// sub-workflows it calls are published.
		await publishWebhookWorkflow(loadTemplate(SURVEY_TEMPLATE, credentials));
		const { productionUrl } = await publishWebhookWorkflow(
			loadTemplate(REDEMPTION_TEMPLATE, credentials),
		);
		redeemUrl = productionUrl('loyalty/redeem');
	});

	it('verifies eligibility, redeems, debits the points and tracks the redemption', async () => {
		const member = sandbox.state.annex.member('plat-004')!;
		const before = member.availablePoints;
		const answer = await postWebhook(
			redeemUrl,
			{ memberId: 'plat-004', rewardId: '1002', orderId: 'e2e-order-1' },
			redeemHeaders(),
		);
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({
			status: 'redeemed',
			memberId: 'plat-004',
			rewardId: '1002',
			pointsDebited: 1000,
			availablePoints: before - 1000,
		});
		const rewardCode = (answer.body as { rewardCode: string }).rewardCode;
		expect(rewardCode).toMatch(/^RW1002-/);

		expect(member.availablePoints).toBe(before - 1000);
		expect(
			sandbox.state.annex.redemptions.filter((redemption) => redemption.memberId === 'plat-004'),
		).toEqual([expect.objectContaining({ rewardId: 1002, rewardCode, pointsUsed: 1000 })]);
		await sandbox.state.ometria.whenIdle();
		const events = ometriaEvents('Annex_loy_point_redemption', member.email);
		expect(events).toHaveLength(1);
		expect(events[0].properties).toMatchObject({
			reward_id: '1002',
			reward_code: rewardCode,
			points_used: 1000,
		});
	});

	it('refuses an ineligible reward with a reason code, never the balance, and debits nothing', async () => {
		const member = sandbox.state.annex.member('plat-005')!;
		const before = member.availablePoints;
		const redemptions = sandbox.state.annex.redemptions.length;

		const outOfStock = await postWebhook(
			redeemUrl,
			{ memberId: 'plat-005', rewardId: String(OUT_OF_STOCK_REWARD_ID), orderId: 'e2e-order-2' },
			redeemHeaders(),
		);
		expect(outOfStock.status).toBe(422);
		expect(outOfStock.body).toEqual({ status: 'refused', reason: 'out_of_stock' });

		// Li Lei (Silver) cannot afford the gift package (3,000 points).
		const liLei = sandbox.state.annex.member(LI_LEI_ID)!;
		const liLeiBefore = liLei.availablePoints;
		expect(liLeiBefore).toBeLessThan(3000);
		const tooExpensive = await postWebhook(
			redeemUrl,
			{ memberId: LI_LEI_ID, rewardId: '1005', orderId: 'e2e-order-3' },
			redeemHeaders(),
		);
		expect(tooExpensive.status).toBe(422);
		expect(tooExpensive.body).toEqual({ status: 'refused', reason: 'not_eligible' });
		// Without an order id there is no key to make it happen once: refused, nothing sent.
		const noOrder = await postWebhook(
			redeemUrl,
			{ memberId: 'plat-005', rewardId: '1001' },
			redeemHeaders(),
		);
		expect(noOrder.body).toEqual({ status: 'refused', reason: 'bad_request' });

		expect(member.availablePoints).toBe(before);
		expect(liLei.availablePoints).toBe(liLeiBefore);
		expect(sandbox.state.annex.redemptions).toHaveLength(redemptions);
	});

	it('runs from its Manual Trigger with the labelled sample request', async () => {
		const id = await importWorkflow(loadTemplate(REDEMPTION_TEMPLATE, credentials));
		const result = await executeWorkflow(id);
		expect(result).toMatchObject({ ok: true, status: 'success' });
		expect(result.nodes['Answer: redeemed']).toMatchObject({ status: 'success', items: 1 });
		expect(
			sandbox.state.annex.redemptions.some((redemption) => redemption.memberId === 'plat-001'),
		).toBe(true);
	});
});
