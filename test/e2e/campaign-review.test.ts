/**
 * Acceptance for 08-campaign-review and 13-report-library in a real n8n, imported as shipped (only
 * credentials bound and the "Settings" a user fills in changed), on recorded data:
 *
 * - two campaigns recorded the way template 03 records them (campaign, members with target and
 *   holdout, touches), inserted through n8n's Data Table API under their recorded campaign ids;
 * - their messages sent to the sandbox's Ometria as custom events, Ometria's export files
 *   written by the sandbox (`POST /_sandbox/ometria/export`), purchases of both groups booked in
 *   the sandbox's Annex Cloud ledgers (`POST /_sandbox/annex/purchases`);
 * - members answer the benefit survey about the campaign's offer through template 16's form
 *   (signed links, recorded in `loyalty_benefit_feedback`);
 * - 08's daily check reviews each ended campaign: new GMV, conversion against the holdout, ROI,
 *   per-channel performance from the export files, "Strengthen SMS outreach" only where SMS
 *   performs, satisfaction with the offer from the target members' answers, the PDF archived
 *   with its knowledge-base row, alerts mailed once;
 * - the SMS export arrives later: the next run recomputes the incomplete review as version 2 and
 *   keeps version 1;
 * - 13 serves the mailed per-recipient link once it verifies (recorded in loyalty_report_opens),
 *   refuses a tampered or expired one, and shows the report adoption rate in the library.
 */
import { createHmac } from 'crypto';
import { execFileSync } from 'child_process';
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from '../support/smtpCatcher';
import { insertRows, readRows, type ColumnType } from './support/dataTables';
import {
	importCredentials,
	importWorkflow,
	loadFixture,
	n8n,
	nodeOutput,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	waitForExecutions,
	type CredentialImport,
	type CredentialRef,
	type RunLike,
} from './support/n8n';
import { loadTemplate, n8nFilesFolder, readTemplate } from './support/templates';

jest.setTimeout(600_000);

const REVIEW_TEMPLATE = '08-campaign-review.json';
const LIBRARY_TEMPLATE = '13-report-library.json';
const SURVEY_TEMPLATE = '16-benefit-feedback-survey.json';
const LINK_SECRET = 'report-links-secret-for-tests-0123456789abcdef';
const LIBRARY_USER = { user: 'management', password: 'library-password-123' };
const RECIPIENTS = ['ops@example.com', 'ceo@example.com'];
const DAY_MS = 86_400_000;
const POINTS = 120;

const now = Date.now();
const sentAt = new Date(now - 10 * DAY_MS).toISOString();
const endsAt = new Date(now - 3_600_000).toISOString();
const sendDay = sentAt.slice(0, 10);
const boughtAt = (minutes: number) => new Date(Date.parse(sentAt) + 2 * DAY_MS + minutes * 60_000);

interface RecordedCampaign {
	campaignId: string;
	name: string;
	segment: string;
	eventType: string;
	ometriaCampaignId: string;
	emailMembers: string[];
	smsMembers: string[];
	holdout: string[];
	costPerEmail: number;
	costPerSms: number;
}

let sandbox: Sandbox;
let smtp: SmtpCatcher;
let archiveFolder: string;
let exportFolder: string;
let reviewId: string;
let surveyId: string;
let platinum: RecordedCampaign;
let vip: RecordedCampaign;

/** The columns of a table as template 08 creates it (docs/data-tables.md). */
function columnsOf(table: string): Array<[string, ColumnType]> {
	const create = readTemplate(REVIEW_TEMPLATE).nodes.find(
		(node) => node.parameters.operation === 'create' && node.parameters.tableName === table,
	);
	const columns = (
		create?.parameters.columns as { column: Array<{ name: string; type: ColumnType }> }
	).column;
	return columns.map(({ name, type }) => [name, type]);
}

/** What template 03 records when it sends a campaign: campaign row, members, touches. */
async function recordCampaign(campaign: RecordedCampaign): Promise<void> {
	const target = [...campaign.emailMembers, ...campaign.smsMembers];
	await insertRows('loyalty_campaigns', columnsOf('loyalty_campaigns'), [
		{
			campaignId: campaign.campaignId,
			campaignSlug: campaign.campaignId.slice(0, -11),
			name: campaign.name,
			template: '03 Segment sync',
			segment: campaign.segment,
			offerId: 'gift-travel-kit',
			channels: 'email,sms',
			eventType: campaign.eventType,
			ometriaCampaignId: campaign.ometriaCampaignId,
			status: 'sent',
			sentAt,
			endsAt,
			audience: target.length + campaign.holdout.length,
			holdout: campaign.holdout.length,
			excluded: 0,
			sent: target.length,
			accepted: target.length,
			rejected: 0,
			costPerEmail: campaign.costPerEmail,
			costPerSms: campaign.costPerSms,
			costPerOffer: 0,
			conversionDays: 10,
		},
	]);
	const member = (memberId: string, group: string) => ({
		memberKey: `${campaign.campaignId}:${memberId}`,
		campaignId: campaign.campaignId,
		memberId,
		segment: campaign.segment,
		group,
		reason: '',
		offerId: 'gift-travel-kit',
		couponCode: '',
		source: 'rules',
		recordedAt: sentAt,
	});
	await insertRows('loyalty_campaign_members', columnsOf('loyalty_campaign_members'), [
		...target.map((id) => member(id, 'target')),
		...campaign.holdout.map((id) => member(id, 'holdout')),
	]);
	const touch = (memberId: string, channel: string) => ({
		touchKey: `${campaign.campaignId}:${memberId}:segment_entry:${channel}`,
		campaignId: campaign.campaignId,
		memberId,
		step: 'segment_entry',
		channel,
		status: 'sent',
		reason: '',
		plannedFor: sentAt,
		sentAt,
		memberLocalDate: sendDay,
		ometriaEventId: `${campaign.campaignId}:${memberId}:segment_entry`,
		couponCode: '',
		source: '03 Segment sync',
	});
	await insertRows('loyalty_campaign_touches', columnsOf('loyalty_campaign_touches'), [
		...campaign.emailMembers.map((id) => touch(id, 'email')),
		...campaign.smsMembers.map((id) => touch(id, 'sms')),
	]);
	// The custom events 03 sent: Ometria's automation turned each into a message.
	const events = target.map((memberId) => ({
		'@type': 'custom_event',
		id: `${campaign.campaignId}:${memberId}:segment_entry`,
		event_type: campaign.eventType,
		timestamp: sentAt,
		identity_account_id: memberId,
		identity_email: `${memberId}@example.com`,
		properties: { member_id: memberId },
	}));
	const pushed = await fetch(`${sandbox.ometriaBaseUrl}/push`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			'X-Ometria-Auth': sandbox.options.ometria.apiKey,
		},
		body: JSON.stringify(events),
	});
	expect(pushed.status).toBe(202);
	await sandbox.state.ometria.whenIdle();
}

async function control(path: string, body: object): Promise<Record<string, unknown>> {
	const response = await fetch(`${sandbox.url}/_sandbox/${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = (await response.json()) as Record<string, unknown>;
	expect({ status: response.status, answer }).toEqual({ status: 200, answer: expect.anything() });
	return answer;
}

/** Ometria's export of one campaign and channel, as the sandbox writes it. */
async function exportFile(campaign: RecordedCampaign, channel: 'email' | 'sms', at: Date) {
	const { file } = await control('ometria/export', {
		path: exportFolder,
		ometriaCampaignId: campaign.ometriaCampaignId,
		eventType: campaign.eventType,
		channel,
		at: at.toISOString(),
	});
	return String(file);
}

async function purchases(memberIds: string[], offsetMinutes = 0): Promise<void> {
	await control('annex/purchases', {
		purchases: memberIds.map((memberId, index) => ({
			memberId,
			points: POINTS,
			at: boughtAt(offsetMinutes + index).toISOString(),
		})),
	});
}

/** Unique members per event type in an export file, among the members messaged on its channel. */
function exportedCounts(file: string, members: string[]): Record<string, number> {
	const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
	const columns = header.replace(/^\ufeff/, '').split(',');
	const at = (name: string) => columns.indexOf(name);
	const sets: Record<string, Set<string>> = {};
	for (const line of lines) {
		const cells = line.split(',');
		const member = cells[at('customer_id')];
		if (!members.includes(member)) continue;
		(sets[cells[at('event_type')]] ??= new Set()).add(member);
	}
	return Object.fromEntries(Object.entries(sets).map(([event, set]) => [event, set.size]));
}

type Review = Record<string, any>;

let surveyAnswers = 0;
/**
 * A member answers the survey link template 16 would have sent them about a benefit, through the
 * published form; resolves once the run that records the answer ended.
 */
async function answerSurvey(memberId: string, benefitId: string, rating: number, comment = '') {
	const token = signLink({
		memberId,
		benefitId,
		benefitName: benefitId === 'gift-travel-kit' ? 'Travel kit' : benefitId,
		source: 'campaign',
		surveyId: `campaign:${benefitId}`,
		exp: Math.floor(Date.now() / 1000) + 3600,
	});
	const form = new FormData();
	form.append('field-0', String(rating));
	form.append('field-1', comment);
	form.append('field-2', token);
	const response = await fetch(`${n8n().url}/form/benefit-survey`, { method: 'POST', body: form });
	expect(response.status).toBe(200);
	surveyAnswers += 1;
	const [latest] = await waitForExecutions(surveyId, surveyAnswers, 120_000);
	expect(latest.status).toBe('success');
}

/**
 * The editor's "Execute workflow" from the Manual Trigger, inside the server, until the run
 * ended. A busy machine makes n8n answer 503 "Database is not ready" or drop the connection now
 * and then: asked again until the deadline.
 */
async function runInServerPatiently(workflowId: string, trigger: string) {
	const { executionId } = await n8n().rest<{ executionId: string }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ triggerToStartFrom: { name: trigger } },
	);
	const deadline = Date.now() + 480_000;
	for (;;) {
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const execution = await n8n()
			.getExecution(executionId)
			.catch((error: unknown) => {
				if (Date.now() < deadline) return undefined;
				throw error;
			});
		if (execution && !['new', 'running', 'waiting'].includes(execution.status)) {
			return { status: execution.status, run: { status: execution.status, data: execution.data } };
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not end in time`);
	}
}

async function runReview(): Promise<{ run: RunLike; reviews: Map<string, Review> }> {
	const { status, run } = await runInServerPatiently(reviewId, 'Run manually');
	const error = run.data.resultData.error;
	expect({ status, error: error?.message }).toEqual({ status: 'success', error: undefined });
	const reviews = new Map(
		nodeOutput(run, 'Loyalty Report').map((review) => [
			String(review.campaignId),
			review as Review,
		]),
	);
	return { run, reviews };
}

const channel = (review: Review, name: string) =>
	(review.channels as Review[]).find((candidate) => candidate.channel === name)!;

const reportLink = (mail: CaughtMail) => /(http\S+\?token=[\w.-]+)/.exec(mail.text ?? '')![1];

function signLink(payload: object, secret = LINK_SECRET): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
	return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

beforeAll(async () => {
	// Generated purchase history ends before the sandbox's date, long before the campaigns.
	sandbox = await startSandbox({ members: 100, asOf: '2026-01-15' });
	smtp = await startSmtpCatcher({ user: 'loyalty-reports', password: 'smtp-secret' });
	await startN8nForTests();
	archiveFolder = n8nFilesFolder('campaign-reviews');
	exportFolder = n8nFilesFolder('ometria-export');
	const sandboxCredentials = loadFixture<CredentialImport[]>('sandbox.credentials.json', {
		SANDBOX_URL: sandbox.url,
	}).filter((credential) => credential.type !== 'jwtAuth');
	const credentials: CredentialRef[] = await importCredentials([
		...sandboxCredentials,
		{
			id: 'reportLinksJwt01',
			name: 'Report links JWT (test)',
			type: 'jwtAuth',
			data: { keyType: 'passphrase', secret: LINK_SECRET, algorithm: 'HS256' },
		},
		{
			id: 'smtpReports00001',
			name: 'SMTP (test catcher)',
			type: 'smtp',
			data: {
				user: 'loyalty-reports',
				password: 'smtp-secret',
				host: smtp.host,
				port: smtp.port,
				secure: false,
				disableStartTls: true,
			},
		},
		{
			id: 'libraryBasic0001',
			name: 'Report library users (test)',
			type: 'httpBasicAuth',
			data: LIBRARY_USER,
		},
	]);
	await publishWebhookWorkflow(loadTemplate(LIBRARY_TEMPLATE, credentials));
	// The survey's links are signed with the one JWT credential of this test.
	surveyId = (await publishWebhookWorkflow(loadTemplate(SURVEY_TEMPLATE, credentials))).id;
	reviewId = await importWorkflow(
		loadTemplate(REVIEW_TEMPLATE, credentials, {
			settings: {
				archiveFolder,
				exportFolder,
				reportRecipients: RECIPIENTS.join(', '),
				reportLinkUrl: n8n().productionWebhookUrl('loyalty/reports/open'),
				linkValidDays: 14,
			},
		}),
	);

	const ids = sandbox.state.annex.memberIds;
	platinum = {
		campaignId: `lapsed-platinum-${sendDay}`,
		name: 'Lapsed Platinum win-back',
		segment: 'lapsed-platinum',
		eventType: 'lapsed_platinum_outreach',
		ometriaCampaignId: 'omc-lapsed-platinum',
		emailMembers: ids.slice(0, 30),
		smsMembers: ids.slice(30, 60),
		holdout: ids.slice(60, 100),
		costPerEmail: 0.2,
		costPerSms: 0.5,
	};
	vip = {
		campaignId: `vip-reactivation-${sendDay}`,
		name: 'VIP <reactivation> & co',
		segment: 'vip-reactivation',
		eventType: 'vip_reactivation_outreach',
		ometriaCampaignId: 'omc-vip-reactivation',
		emailMembers: ids.slice(100, 110),
		smsMembers: ids.slice(110, 120),
		holdout: ids.slice(120, 140),
		costPerEmail: 0.2,
		costPerSms: 40,
	};
	await control('ometria/event-types', { names: [vip.eventType] });
	await recordCampaign(platinum);
	await recordCampaign(vip);
	// An earlier review of the same segment, archived by a previous run of 08.
	await insertRows('loyalty_campaign_insights', columnsOf('loyalty_campaign_insights'), [
		{
			insightKey: 'lapsed-platinum-2026-03-02:v1',
			campaignId: 'lapsed-platinum-2026-03-02',
			campaignName: 'Lapsed Platinum spring wave',
			reviewedAt: '2026-03-20T06:00:00.000Z',
			segment: 'lapsed-platinum',
			offerId: 'gift-travel-kit',
			version: 1,
			status: 'complete',
			metrics: JSON.stringify({ roi: 12.5, lift: 0.08, newGmv: 900 }),
			suggestions: 'Strengthen SMS outreach: best conversions per cost.',
			missing: '',
			pdfPath: '',
			htmlPath: '',
			recipients: '',
		},
	]);
});

afterAll(async () => {
	await stopN8n();
	await smtp?.close();
	await sandbox?.close();
});

describe('08 campaign review from the campaign record: campaign review report', () => {
	let firstRun: Map<string, Review>;
	let platinumEmailFile: string;

	it('reviews every ended campaign from recorded rows, purchases and export files', async () => {
		// Platinum: SMS members buy far more than email members and the holdout.
		await purchases([...platinum.smsMembers.slice(0, 15), ...platinum.emailMembers.slice(0, 5)]);
		await purchases(platinum.holdout.slice(0, 5), 100);
		// VIP: SMS is expensive and converts once.
		await purchases(
			[...vip.emailMembers.slice(0, 4), vip.smsMembers[0], ...vip.holdout.slice(0, 2)],
			200,
		);
		const exportAt = new Date(now - 2 * 3_600_000);
		platinumEmailFile = await exportFile(platinum, 'email', exportAt);
		// One file per channel and export run (its time in the name): one second apart.
		const vipEmail = await exportFile(vip, 'email', new Date(exportAt.getTime() + 1000));
		const vipSms = await exportFile(vip, 'sms', exportAt);
		// Three members who got the travel kit rate it; a holdout member's answer and an answer
		// about another benefit are not the campaign's.
		await answerSurvey(platinum.smsMembers[0], 'gift-travel-kit', 5, 'Lovely <kit>');
		await answerSurvey(platinum.smsMembers[1], 'gift-travel-kit', 4);
		await answerSurvey(platinum.emailMembers[0], 'gift-travel-kit', 2, 'Arrived late');
		await answerSurvey(platinum.holdout[0], 'gift-travel-kit', 1);
		await answerSurvey(platinum.smsMembers[2], '1002', 1);

		const { reviews } = await runReview();
		firstRun = reviews;
		expect([...reviews.keys()].sort()).toEqual([platinum.campaignId, vip.campaignId].sort());

		const review = reviews.get(platinum.campaignId)!;
		// New GMV: 20 buyers of 120 EUR against the holdout's 5 × 120 / 40 per member.
		expect(review.revenue).toMatchObject({
			attributedRevenue: 2400,
			baselineRevenue: 900,
			newGmv: 1500,
			cost: 21,
		});
		expect(review.revenue.roi).toBeCloseTo((1500 - 21) / 21, 6);
		expect(review.retention).toMatchObject({
			treatedMembers: 60,
			treatedRetained: 20,
			holdoutMembers: 40,
			holdoutRetained: 5,
		});
		expect(review.retention.lift).toBeCloseTo(20 / 60 - 5 / 40, 6);
		expect(review.significance).toMatchObject({ significant: true });

		// Email opens and clicks are the export file's, counted once per member.
		const emailCounts = exportedCounts(platinumEmailFile, platinum.emailMembers);
		expect(channel(review, 'Email')).toMatchObject({
			sent: 30,
			delivered: 30 - (emailCounts.bounce ?? 0),
			opened: emailCounts.open ?? 0,
			clicked: emailCounts.click ?? 0,
			converted: 5,
			revenue: 600,
		});
		expect(channel(review, 'SMS')).toMatchObject({ sent: 30, converted: 15, opened: null });
		// The SMS export has not arrived: listed as missing, nothing suggested on it yet.
		expect(review).toMatchObject({ version: 1, complete: false });
		expect(review.missing).toContain('opens and clicks of SMS (no Ometria export rows yet)');
		expect(review.suggestions.join('\n')).not.toMatch(/Strengthen SMS/);
		expect(review.alerts).toEqual([]);
		expect(review.satisfaction).toMatchObject({
			responses: 3,
			averageRating: 3.67,
			byOffer: [
				{
					offerId: 'gift-travel-kit',
					name: 'Travel kit',
					responses: 3,
					ratings: [0, 1, 0, 1, 1],
					comments: [
						expect.objectContaining({ rating: 2, comment: 'Arrived late' }),
						expect.objectContaining({ rating: 5, comment: 'Lovely <kit>' }),
					],
				},
			],
		});

		const other = reviews.get(vip.campaignId)!;
		expect(other).toMatchObject({ version: 1, complete: true, missing: [] });
		expect(channel(other, 'SMS')).toMatchObject({
			sent: 10,
			converted: 1,
			opened: exportedCounts(vipSms, vip.smsMembers).open ?? 0,
		});
		expect(channel(other, 'Email').clicked).toBe(
			exportedCounts(vipEmail, vip.emailMembers).click ?? 0,
		);
		expect(other.revenue.roi).toBeLessThan(0);
		expect(other.satisfaction).toEqual({ responses: 0, averageRating: null, byOffer: [] });
		// SMS does not perform here: no "strengthen SMS", the email channel is named instead.
		expect(other.suggestions.join('\n')).not.toMatch(/Strengthen SMS/);
		expect(other.suggestions).toEqual(
			expect.arrayContaining([expect.stringMatching(/^Strengthen Email outreach/)]),
		);
	});

	it('archives each PDF with its knowledge-base row', async () => {
		for (const [campaignId, review] of firstRun) {
			const pdf = join(archiveFolder, `${campaignId}-v1.pdf`);
			expect(existsSync(pdf)).toBe(true);
			expect(existsSync(join(archiveFolder, `${campaignId}-v1.html`))).toBe(true);
			const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
			expect(text).toMatch(/New GMV/);
			expect(text).toMatch(/ROI/);
			expect(text).toMatch(/Holdout retention rate/);
			expect(text).toMatch(/Channel funnel/);
			expect(text).toContain(`version ${review.version}`);
			expect(text).toMatch(/Satisfaction with the offers/);
		}
		const platinumHtml = readFileSync(
			join(archiveFolder, `${platinum.campaignId}-v1.html`),
			'utf8',
		);
		expect(platinumHtml).toContain('Travel kit · 5/5: Lovely &lt;kit&gt;');
		const rows = await readRows('loyalty_campaign_insights');
		const row = (campaignId: string) => rows.find((r) => r.insightKey === `${campaignId}:v1`)!;
		expect(row(platinum.campaignId)).toMatchObject({
			campaignId: platinum.campaignId,
			campaignName: platinum.name,
			segment: 'lapsed-platinum',
			offerId: 'gift-travel-kit',
			version: 1,
			status: 'incomplete',
			pdfPath: join(archiveFolder, `${platinum.campaignId}-v1.pdf`),
			recipients: RECIPIENTS.join(', '),
		});
		expect(JSON.parse(String(row(platinum.campaignId).metrics))).toMatchObject({
			newGmv: 1500,
			satisfaction: 3.67,
			surveyAnswers: 3,
		});
		expect(row(vip.campaignId)).toMatchObject({ status: 'complete', version: 1 });
		expect(String(row(vip.campaignId).suggestions)).toContain('Strengthen Email outreach');
	});

	it('mails the abnormal metric once, through the alert log, and each recipient a report link', async () => {
		const mails = await smtp.waitForMessages(5);
		const alerts = mails.filter((mail) => mail.subject.startsWith('[Campaign review]'));
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toMatchObject({
			to: ['loyalty-ops@example.com'],
			subject: '[Campaign review] VIP <reactivation> & co: negative roi',
		});
		expect(alerts[0].html).toContain('VIP &lt;reactivation&gt; &amp; co');
		expect(await readRows('loyalty_sync_alerts')).toEqual([
			expect.objectContaining({ alertKey: `campaign:${vip.campaignId}:negative_roi` }),
		]);
		const links = mails.filter((mail) => mail.subject.startsWith('Campaign review:'));
		expect(links.map((mail) => mail.to[0]).sort()).toEqual([...RECIPIENTS, ...RECIPIENTS].sort());
	});

	it('recomputes the incomplete review when the SMS export arrives, keeping version 1', async () => {
		smtp.messages.length = 0;
		const smsFile = await exportFile(platinum, 'sms', new Date(now - 3_600_000));
		// A purchase booked late by the shop, inside the window.
		await purchases([platinum.smsMembers[15]], 300);

		const { reviews } = await runReview();
		// The VIP review is complete: the daily check leaves it alone.
		expect([...reviews.keys()]).toEqual([platinum.campaignId]);
		const review = reviews.get(platinum.campaignId)!;
		expect(review).toMatchObject({ version: 2, complete: true, missing: [] });
		expect(review.revenue).toMatchObject({ attributedRevenue: 2520, newGmv: 1620 });
		const smsCounts = exportedCounts(smsFile, platinum.smsMembers);
		expect(channel(review, 'SMS')).toMatchObject({
			converted: 16,
			opened: smsCounts.open ?? 0,
			clicked: smsCounts.click ?? 0,
		});
		// SMS converts best per cost and above the holdout now that its data is complete.
		expect(review.bestChannel).toBe('SMS');
		expect(review.suggestions).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^Strengthen SMS outreach/),
				expect.stringMatching(
					/^Earlier lapsed-platinum campaigns for comparison: Lapsed Platinum spring wave/,
				),
				'Strengthen SMS outreach was also suggested after lapsed-platinum-2026-03-02: the pattern holds.',
			]),
		);

		const rows = (await readRows('loyalty_campaign_insights')).filter(
			(row) => row.campaignId === platinum.campaignId,
		);
		expect(rows.map((row) => [row.version, row.status]).sort()).toEqual([
			[1, 'incomplete'],
			[2, 'complete'],
		]);
		const files = readdirSync(archiveFolder).filter((file) => file.startsWith(platinum.campaignId));
		expect(files.sort()).toEqual(
			['v1.html', 'v1.pdf', 'v2.html', 'v2.pdf'].map((end) => `${platinum.campaignId}-${end}`),
		);
		// Nothing abnormal in the new version, and the VIP alert is not sent again.
		await smtp.waitForMessages(2);
		expect(smtp.messages.filter((mail) => mail.subject.startsWith('[Campaign review]'))).toEqual(
			[],
		);
	});
});

describe('13 report library: report access', () => {
	it("opens a recipient's link once it verifies and records the open", async () => {
		const mail = smtp.messages.find((candidate) => candidate.to[0] === RECIPIENTS[0])!;
		const response = await fetch(reportLink(mail));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/text\/html/);
		const html = await response.text();
		expect(html).toContain('Campaign review: Lapsed Platinum win-back (version 2)');
		expect(html).toContain('New GMV');
		expect(await readRows('loyalty_report_opens')).toEqual([
			expect.objectContaining({
				campaignId: platinum.campaignId,
				version: 2,
				recipient: RECIPIENTS[0],
			}),
		]);
	});

	it('refuses a tampered or expired link and records nothing', async () => {
		const mail = smtp.messages.find((candidate) => candidate.to[0] === RECIPIENTS[1])!;
		const token = new URL(reportLink(mail)).searchParams.get('token')!;
		const [header, payload, signature] = token.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
			string,
			unknown
		>;
		const tampered = Buffer.from(JSON.stringify({ ...claims, file: '/etc/passwd' })).toString(
			'base64url',
		);
		const url = n8n().productionWebhookUrl('loyalty/reports/open');
		const refused = async (candidate: string) => {
			const response = await fetch(`${url}?token=${encodeURIComponent(candidate)}`);
			return { status: response.status, body: await response.text() };
		};
		expect(await refused(`${header}.${tampered}.${signature}`)).toEqual({
			status: 403,
			body: expect.stringContaining('not valid or has expired'),
		});
		const expired = signLink({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 });
		expect((await refused(expired)).status).toBe(403);
		expect((await refused(signLink(claims, 'a-guessed-secret'))).status).toBe(403);
		expect((await refused('')).status).toBe(403);
		expect(await readRows('loyalty_report_opens')).toHaveLength(1);
	});

	it('shows the report adoption rate behind the library password, every value escaped', async () => {
		const url = n8n().productionWebhookUrl('loyalty/reports');
		expect((await fetch(url)).status).toBe(401);
		const basic = Buffer.from(`${LIBRARY_USER.user}:${LIBRARY_USER.password}`).toString('base64');
		const response = await fetch(url, { headers: { authorization: `Basic ${basic}` } });
		expect(response.status).toBe(200);
		const html = await response.text();
		// One of the four recipients of the two reviews opened one.
		expect(html).toMatch(/Report adoption rate<\/td><td[^>]*>25\.0%/);
		expect(html).toContain('VIP &lt;reactivation&gt; &amp; co');
		expect(html).not.toContain('VIP <reactivation>');
		expect(html).toContain(platinum.campaignId);
	});
});
