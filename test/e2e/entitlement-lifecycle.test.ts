/**
 * The entitlement lifecycle in a real n8n against the sandbox, templates imported as shipped
 * (credentials bound by type; Settings values and the survey's form URL set where a test says so):
 *
 * - 05 grants a tier's reward benefit with its last valid day, recorded in `loyalty_entitlements`;
 *   14 (daily) tells the member about the unused benefit, reminds them before it expires and
 *   expires it (Annex Cloud extended attributes, Ometria event), each notice once even when the
 *   day is run twice.
 * - 06 redeems and hands the member to 16, which sends a signed survey link through Ometria; an
 *   answer through the form is recorded per benefit, a forged one is refused.
 * - 15 reports the redemption, the grant, its expiry and the answer (JSON, PDF, HTML, CSV).
 * - 17 promotes a new benefit to the members of the eligible tier from the member feed, recorded
 *   as a campaign, and sends nothing twice.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { LI_LEI_EMAIL, LI_LEI_ID } from '../../sandbox/fixtures';
import {
	importCredentials,
	importWorkflow,
	loadFixture,
	n8n,
	nodeOutput,
	postWebhook,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	waitForExecutions,
	type CredentialImport,
} from './support/n8n';
import { loadTemplate, n8nFilesFolder, redeemHeaders, runInServer } from './support/templates';

type Row = Record<string, unknown>;

let sandbox: Sandbox;
let credentials: CredentialImport[];
let projectId: string;
let folder: string;

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

async function tableRows(name: string): Promise<Row[]> {
	const tables = await n8n().rest<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		`/rest/projects/${projectId}/data-tables`,
	);
	const table = tables.data.find((candidate) => candidate.name === name);
	if (!table) return [];
	const rows = await n8n().rest<{ data: Row[] }>(
		'GET',
		`/rest/projects/${projectId}/data-tables/${table.id}/rows?take=1000`,
	);
	return rows.data;
}

function ometriaEvents(eventType: string, email?: string): Row[] {
	return [...sandbox.state.ometria.events.values()]
		.map((stored) => (stored as { record: Row }).record)
		.filter(
			(record) =>
				record.event_type === eventType && (email === undefined || record.identity_email === email),
		);
}

const imported = new Map<string, string>();

/**
 * Imports the template once (the CLI import takes a minute on a busy machine), then saves the
 * next runs' Settings through the REST API as the editor does, and runs it in the server.
 */
async function runTemplate(file: string, settings: Record<string, string | number> = {}) {
	const workflow = loadTemplate(file, credentials, { settings });
	let id = imported.get(file);
	if (id === undefined) {
		id = await importWorkflow(workflow);
		imported.set(file, id);
	} else {
		const { versionId } = await n8n().rest<{ versionId: string }>('GET', `/rest/workflows/${id}`);
		await n8n().rest('PATCH', `/rest/workflows/${id}?forceSave=true`, {
			versionId,
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
		});
	}
	const result = await runInServer(id, 'Run manually');
	await sandbox.state.ometria.whenIdle();
	return result;
}

beforeAll(async () => {
	sandbox = await startSandbox();
	await startN8nForTests();
	credentials = loadFixture<CredentialImport[]>('sandbox.credentials.json', {
		SANDBOX_URL: sandbox.url,
	});
	await importCredentials(credentials);
	projectId = (await n8n().rest<{ id: string }>('GET', '/rest/projects/personal')).id;
	folder = n8nFilesFolder('entitlement-lifecycle');
}, 600_000);

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

describe('A-1 extended: benefits granted on upgrade carry an expiry date a later run enforces', () => {
	let entitlementKey: string;

	it('05 records the granted reward benefit with its last valid day', async () => {
		// The sample event: Li Lei, whom Annex Cloud's record shows upgraded from Bronze to Silver.
		const liLei = sandbox.state.annex.member(LI_LEI_ID)!;
		liLei.previousTier = 'Bronze';
		liLei.tier = 'Silver';
		liLei.tierAchievedDate = today();
		expect((await runTemplate('05-tier-change-entitlements.json')).status).toBe('success');
		const assignment = sandbox.state.annex.assignments.find((a) => a.user_id === LI_LEI_ID)!;
		expect(assignment.reward_id).toBe(1001);

		const rows = (await tableRows('loyalty_entitlements')).filter((r) => r.memberId === LI_LEI_ID);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			benefitId: '1001',
			benefitName: '$5 welcome reward',
			rewardCode: assignment.rewardCode,
			tier: 'Silver',
			status: 'active',
			// validityDays 90: the day of the grant is the first of 90 valid days.
			expiresAt: inDays(89),
		});
		entitlementKey = rows[0].entitlementKey as string;
	});

	it('14 tells the member about the unused benefit once, even when the day runs twice', async () => {
		const settings = { asOf: inDays(20) };
		for (let run = 0; run < 2; run++) {
			expect((await runTemplate('14-entitlement-lifecycle.json', settings)).status).toBe('success');
		}
		const events = ometriaEvents('loyalty_unused_benefits', LI_LEI_EMAIL);
		expect(events).toHaveLength(1);
		expect(events[0].properties).toMatchObject({
			benefits: '$5 welcome reward',
			expires_on: inDays(89),
		});
		const touches = (await tableRows('loyalty_campaign_touches')).filter(
			(touch) => touch.memberId === LI_LEI_ID && touch.step === 'unused_benefits',
		);
		expect(touches).toEqual([
			expect.objectContaining({
				touchKey: `entitlement-lifecycle-${inDays(20)}:${LI_LEI_ID}:unused_benefits:email`,
				campaignId: `entitlement-lifecycle-${inDays(20)}`,
				status: 'sent',
				ometriaEventId: `${LI_LEI_ID}:unused_benefits:${inDays(20)}`,
			}),
		]);
		const [row] = (await tableRows('loyalty_entitlements')).filter(
			(r) => r.entitlementKey === entitlementKey,
		);
		expect(row).toMatchObject({ status: 'active', unusedNoticeAt: expect.stringMatching(/\S/) });
		const campaigns = await tableRows('loyalty_campaigns');
		expect(campaigns).toContainEqual(
			expect.objectContaining({
				campaignId: `entitlement-lifecycle-${inDays(20)}`,
				template: '14 Entitlement lifecycle',
				status: 'sent',
			}),
		);
		// A later day does not repeat the notice: the entitlement remembers it.
		expect((await runTemplate('14-entitlement-lifecycle.json', { asOf: inDays(21) })).status).toBe(
			'success',
		);
		expect(ometriaEvents('loyalty_unused_benefits', LI_LEI_EMAIL)).toHaveLength(1);
	});

	it('14 reminds the member before the benefit expires, once', async () => {
		for (const asOf of [inDays(85), inDays(85), inDays(86)]) {
			expect((await runTemplate('14-entitlement-lifecycle.json', { asOf })).status).toBe('success');
		}
		const events = ometriaEvents('loyalty_benefit_expiry_reminder', LI_LEI_EMAIL);
		expect(events).toHaveLength(1);
		expect(events[0].properties).toMatchObject({
			benefits: '$5 welcome reward',
			benefit_ids: '1001',
			expires_on: inDays(89),
		});
	});

	it('14 expires the benefit after its last day: Data Table, Annex Cloud attributes and Ometria', async () => {
		expect((await runTemplate('14-entitlement-lifecycle.json', { asOf: inDays(89) })).status).toBe(
			'success',
		);
		expect(ometriaEvents('loyalty_entitlement_expired', LI_LEI_EMAIL)).toHaveLength(0);
		for (let run = 0; run < 2; run++) {
			const asOf = inDays(90);
			expect((await runTemplate('14-entitlement-lifecycle.json', { asOf })).status).toBe('success');
		}
		const [row] = (await tableRows('loyalty_entitlements')).filter(
			(r) => r.entitlementKey === entitlementKey,
		);
		expect(row).toMatchObject({ status: 'expired', expiredAt: inDays(90) });
		expect(sandbox.state.annex.member(LI_LEI_ID)?.otherAttributes).toMatchObject({
			expiredBenefits: '1001',
			benefitsExpiredOn: inDays(90),
		});
		const events = ometriaEvents('loyalty_entitlement_expired', LI_LEI_EMAIL);
		expect(events).toHaveLength(1);
		expect(events[0].properties).toMatchObject({ benefit_ids: '1001', expires_on: inDays(89) });
	});
});

describe('B-1 extended: a redemption triggers the survey and appears in the benefit usage report', () => {
	const FORM_URL = () => `${n8n().url}/form/benefit-survey`;
	let surveyUrl: string;
	let surveyRuns = 0;

	beforeAll(async () => {
		const survey = loadTemplate('16-benefit-feedback-survey.json', credentials);
		const surveySettings = survey.nodes.find((node) => node.name === 'Survey settings')!;
		const list = (
			surveySettings.parameters.assignments as {
				assignments: Array<{ name: string; value: unknown }>;
			}
		).assignments;
		list.find((entry) => entry.name === 'surveyFormUrl')!.value = FORM_URL();
		await publishWebhookWorkflow(survey);
	});

	it('06 redeems and 16 sends the member a signed survey link through Ometria, once a day', async () => {
		const { id, productionUrl } = await publishWebhookWorkflow(
			loadTemplate('06-benefit-redemption.json', credentials),
		);
		const member = sandbox.state.annex.member('plat-004')!;
		for (const orderId of ['e2e-survey-order-1', 'e2e-survey-order-2']) {
			const answer = await postWebhook(
				productionUrl('loyalty/redeem'),
				{ memberId: 'plat-004', rewardId: '1002', orderId },
				redeemHeaders(),
			);
			expect(answer.body).toMatchObject({ status: 'redeemed', rewardId: '1002' });
		}
		const executions = await waitForExecutions(id, 2, 120_000);
		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
		await sandbox.state.ometria.whenIdle();

		// Two redemptions the same day, one survey: at most one per member and day.
		const events = ometriaEvents('loyalty_benefit_survey', member.email);
		expect(events).toHaveLength(1);
		expect(events[0].properties).toMatchObject({
			member_id: 'plat-004',
			benefit_id: '1002',
			benefit_name: '$10 Reward',
			survey_source: 'redemption',
		});
		surveyUrl = (events[0].properties as Row).survey_url as string;
		expect(surveyUrl).toMatch(new RegExp(`^${FORM_URL()}\\?token=[\\w.-]+$`));
		const touches = (await tableRows('loyalty_campaign_touches')).filter(
			(touch) => touch.memberId === 'plat-004' && touch.step === 'survey',
		);
		expect(touches).toEqual([
			expect.objectContaining({
				touchKey: `benefit-survey-${today()}:plat-004:survey:email`,
				ometriaEventId: `plat-004:survey:${today()}`,
			}),
		]);
	});

	async function answerSurvey(token: string, rating: string, comment: string) {
		const form = new FormData();
		form.append('field-0', rating);
		form.append('field-1', comment);
		form.append('field-2', token);
		const response = await fetch(FORM_URL(), { method: 'POST', body: form });
		expect(response.status).toBe(200);
		// The form answers on receipt; the answer is checked and recorded by the run it starts.
		surveyRuns += 1;
		const [latest] = await waitForExecutions('LoyaltySyncTpl16', surveyRuns, 120_000);
		expect(latest.status).toBe('success');
		return (await n8n().getExecution(latest.id)).data.resultData.runData;
	}

	it('16 records the answer per benefit; an altered or made-up link records nothing', async () => {
		surveyRuns = (await waitForExecutions('LoyaltySyncTpl16', 2)).length;
		const token = decodeURIComponent(new URL(surveyUrl).searchParams.get('token')!);
		const answered = await answerSurvey(token, '4', 'Quick & <easy>');
		expect(answered['Record answer']).toHaveLength(1);

		// Another member's id in the same token: the signature no longer matches.
		const [header, payload, signature] = token.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		const forged = Buffer.from(JSON.stringify({ ...claims, memberId: LI_LEI_ID })).toString(
			'base64url',
		);
		for (const bad of [`${header}.${forged}.${signature}`, 'not-a-token']) {
			const refused = await answerSurvey(bad, '1', 'forged');
			expect(refused['Link not valid: nothing recorded']).toHaveLength(1);
			expect(refused['Record answer']).toBeUndefined();
		}

		const rows = await tableRows('loyalty_benefit_feedback');
		expect(rows).toEqual([
			expect.objectContaining({
				memberId: 'plat-004',
				benefitId: '1002',
				benefitName: '$10 Reward',
				source: 'redemption',
				rating: 4,
				comment: 'Quick & <easy>',
			}),
		]);
	});

	it('15 reports the redemption, the grant and its expiry, and the answer as JSON, PDF, HTML and CSV', async () => {
		const result = await runTemplate('15-benefit-usage-report.json', {
			from: today(),
			to: today(),
			reportFolder: folder,
		});
		expect(result.status).toBe('success');
		const [figures] = nodeOutput(result.run, 'Loyalty Report') as Array<{
			totals: Row;
			byBenefit: Row[];
			byTier: Row[];
		}>;
		const benefit = (id: string) => figures.byBenefit.find((row) => row.benefitId === id);
		// The two redemptions of 06 (plat-004, read from Annex Cloud's reward history).
		expect(benefit('1002')).toMatchObject({
			benefitName: '$10 Reward',
			redemptions: 2,
			pointsRedeemed: 2000,
			responses: 1,
			averageRating: 4,
		});
		// Li Lei's grant from 05, expired unused by 14.
		expect(benefit('1001')).toMatchObject({
			granted: 1,
			used: 0,
			expired: 1,
			utilisationRate: 0,
			expiryLossRate: 1,
		});
		expect(figures.byTier).toContainEqual(
			expect.objectContaining({ tier: 'Platinum', redemptions: 2 }),
		);
		expect(figures.totals).toMatchObject({ responses: 1, averageRating: 4 });

		const files = readdirSync(folder);
		const base = `benefit-usage-${today()}-to-${today()}`;
		expect(files).toEqual(expect.arrayContaining([`${base}.pdf`, `${base}.html`, `${base}.csv`]));
		expect(
			readFileSync(join(folder, `${base}.pdf`))
				.subarray(0, 5)
				.toString(),
		).toBe('%PDF-');
		const html = readFileSync(join(folder, `${base}.html`), 'utf8');
		expect(html).toContain('Quick &amp; &lt;easy&gt;');
		expect(readFileSync(join(folder, `${base}.csv`), 'utf8')).toContain('$10 Reward');
	});
});

describe('17 promote a new benefit: members of the eligible tier, through the campaign record', () => {
	it('finds the Platinum members in the member feed, records the campaign and sends once', async () => {
		const feedPath = join(folder, 'member-feed.csv');
		await sandbox.writeMemberFeed(feedPath);
		expect(existsSync(feedPath)).toBe(true);
		const platinum = [...sandbox.state.annex.members.values()].filter(
			(member) => member.tier === 'Platinum' && member.optInStatus === 'YES' && member.email,
		);
		expect(platinum.length).toBeGreaterThan(0);
		const settings = {
			promotion: 'benefit',
			benefitId: 'airport-lounge',
			benefitName: 'Airport lounge access',
			eligibleTiers: 'Platinum',
			campaignSlug: 'promote-airport-lounge',
			campaignName: 'New: airport lounge access',
			feedPath,
		};
		for (let run = 0; run < 2; run++) {
			expect((await runTemplate('17-promote-a-new-tier-or-benefit.json', settings)).status).toBe(
				'success',
			);
		}
		const campaignId = `promote-airport-lounge-${today()}`;
		expect(
			(await tableRows('loyalty_campaigns')).filter((c) => c.campaignId === campaignId),
		).toEqual([
			expect.objectContaining({
				status: 'sent',
				segment: 'eligible-for-airport-lounge',
				offerId: 'airport-lounge',
				audience: platinum.length,
				sent: platinum.length,
			}),
		]);
		const members = (await tableRows('loyalty_campaign_members')).filter(
			(row) => row.campaignId === campaignId,
		);
		expect(members.map((row) => row.memberId).sort()).toEqual(platinum.map((m) => m.id).sort());
		const touches = (await tableRows('loyalty_campaign_touches')).filter(
			(row) => row.campaignId === campaignId,
		);
		expect(touches).toHaveLength(platinum.length);
		const events = ometriaEvents('loyalty_new_tier_promotion');
		expect(events).toHaveLength(platinum.length);
		expect(events[0].properties).toMatchObject({
			promotion: 'benefit',
			benefit_id: 'airport-lounge',
			benefit_name: 'Airport lounge access',
		});
	});
});
