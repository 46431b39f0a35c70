/**
 * Acceptance for the nurture templates in a real n8n against the sandbox, imported as shipped
 * (credentials bound by type to the sandbox ones; only the "(edit me)" settings a user fills in
 * are changed):
 *
 * - 07-win-back-recommendation (declining activity gift recommendation): Li Lei, whose activity declined three
 *   weeks in a row, gets a recommendation card with the gift package, expected value and target
 *   conversion; its one-click link assigns the gift in Annex Cloud and records an Ometria event.
 * - 08-campaign-review (campaign review report): the campaign review PDF is archived in a folder
 *   n8n may write to, and shows new GMV, ROI, retention and an SMS suggestion.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { GIFT_PACKAGE_REWARD_ID, LI_LEI_EMAIL, LI_LEI_ID } from '../../sandbox/fixtures';
import {
	REPO_ROOT,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	loadFixture,
	n8n,
	nodeOutput,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	type CredentialImport,
} from './support/n8n';
import { loadTemplate, readTemplate } from './support/templates';

const WIN_BACK_TEMPLATE = '07-win-back-recommendation.json';
const REVIEW_TEMPLATE = '08-campaign-review.json';
/** Under n8n's default N8N_RESTRICT_FILE_ACCESS_TO (~/.n8n-files), unique to this run. */
const ARCHIVE_FOLDER = join(
	homedir(),
	'.n8n-files',
	`loyalty-sync-e2e-${process.pid}`,
	'campaign-reviews',
);

let sandbox: Sandbox;
let credentials: CredentialImport[];

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
	rmSync(join(ARCHIVE_FOLDER, '..'), { recursive: true, force: true });
});

describe('every template imports as shipped', () => {
	// `n8n import:workflow` on the file itself: the test helpers supply ids and credentials, a user does not.
	const files = readdirSync(join(REPO_ROOT, 'workflows-templates')).filter((file) =>
		file.endsWith('.json'),
	);

	it('ships eleven templates', () => expect(files).toHaveLength(11));

	it.each(files)('%s imports from its file, inactive, with every node', async (file) => {
		const shipped = readTemplate(file);
		const imported = await n8n().cli([
			'import:workflow',
			`--input=${join(REPO_ROOT, 'workflows-templates', file)}`,
		]);
		expect({
			code: imported.code,
			stderr: imported.code === 0 ? '' : imported.stderr.slice(-1000),
		}).toEqual({ code: 0, stderr: '' });
		const stored = await n8n().rest<{ nodes: unknown[]; active: boolean }>(
			'GET',
			`/rest/workflows/${shipped.id}`,
		);
		expect(stored.nodes).toHaveLength(shipped.nodes.length);
		expect(stored.active).toBe(false);
	});
});

describe('07 win-back recommendation: declining activity gift recommendation', () => {
	it("lists Li Lei's gift package, expected value and target conversion; the one-click link sends it", async () => {
		const sendUrl = n8n().productionWebhookUrl('loyalty/win-back/send');
		const workflow = loadTemplate(WIN_BACK_TEMPLATE, credentials, {
			settings: {
				oneClickUrl: sendUrl,
				asOf: sandbox.options.asOf,
			},
		});
		const { id } = await publishWebhookWorkflow(workflow);

		// Operations run the recommendation model by hand.
		const result = await executeWorkflow(id);
		expect(result).toMatchObject({ ok: true, status: 'success' });
		const cards = nodeOutput(result.run, 'Recommendation card');
		const card = cards.find((candidate) => candidate.memberId === LI_LEI_ID);
		expect(card).toMatchObject({
			email: LI_LEI_EMAIL,
			offerId: String(GIFT_PACKAGE_REWARD_ID),
			giftPackage: 'Gift package: travel kit',
			expectedValue: 85,
			targetConversion: 18,
		});
		const text = String(card!.card);
		expect(text).toContain('Suggested gift package: Gift package: travel kit');
		expect(text).toContain('Expected value: 85 EUR');
		expect(text).toContain('Target conversion: 18%');
		expect(text).toContain('3 declining weeks in a row');
		expect(text).toContain(
			`One-click send: ${sendUrl}?memberId=${LI_LEI_ID}&offerId=${GIFT_PACKAGE_REWARD_ID}`,
		);
		const allCards = nodeOutput(result.run, 'All cards');
		expect(allCards).toHaveLength(1);
		expect(allCards[0].card).toEqual(cards.map((candidate) => candidate.card));
		// Nothing is sent before someone clicks.
		expect(sandbox.state.annex.assignments).toHaveLength(0);

		// A link with the wrong key sends nothing.
		const forged = await fetch(String(card!.sendUrl).replace(/key=[^&]*/, 'key=guess'));
		expect(forged.status).toBe(403);
		expect(sandbox.state.annex.assignments).toHaveLength(0);

		// One click: the gift package is assigned in Annex Cloud and the send is fed back to Ometria.
		const stockBefore = sandbox.state.annex.reward(GIFT_PACKAGE_REWARD_ID)!.issued;
		const click = await fetch(String(card!.sendUrl));
		expect(click.status).toBe(200);
		expect(await click.text()).toContain('Sent: Gift package: travel kit to li-lei');
		expect(sandbox.state.annex.assignments).toEqual([
			expect.objectContaining({ user_id: LI_LEI_ID, reward_id: GIFT_PACKAGE_REWARD_ID }),
		]);
		expect(sandbox.state.annex.reward(GIFT_PACKAGE_REWARD_ID)!.issued).toBe(stockBefore + 1);
		await sandbox.state.ometria.whenIdle();
		const events = [...sandbox.state.ometria.events.values()]
			.map((stored) => (stored as { record: Record<string, unknown> }).record)
			.filter((record) => record.event_type === 'winback_gift_sent');
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({
			identity_email: LI_LEI_EMAIL,
			properties: expect.objectContaining({
				member_id: LI_LEI_ID,
				offer_id: GIFT_PACKAGE_REWARD_ID,
			}),
		});
	});
});

describe('08 campaign review: campaign review report', () => {
	it('archives the PDF with new GMV, retention, ROI and a suggestion to strengthen SMS', async () => {
		// The user creates the archive folder (n8n writes into it, it does not create it).
		mkdirSync(ARCHIVE_FOLDER, { recursive: true });
		const workflow = loadTemplate(REVIEW_TEMPLATE, credentials, {
			settings: {
				archiveFolder: ARCHIVE_FOLDER,
			},
		});
		const id = await importWorkflow(workflow);
		const result = await executeWorkflow(id);
		expect({ ...result, run: undefined }).toEqual(
			expect.objectContaining({ ok: true, status: 'success' }),
		);

		const [report] = nodeOutput(result.run, 'Loyalty Report');
		expect(report).toMatchObject({
			revenue: expect.objectContaining({ newGmv: expect.any(Number), roi: expect.any(Number) }),
			retention: expect.objectContaining({ lift: expect.any(Number) }),
		});
		expect(report.suggestions).toEqual(
			expect.arrayContaining([expect.stringMatching(/^Strengthen SMS outreach/)]),
		);

		const files = readdirSync(ARCHIVE_FOLDER);
		expect(files).toHaveLength(1);
		expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}-.*\.pdf$/);
		const pdf = join(ARCHIVE_FOLDER, files[0]);
		expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
		const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
		expect(text).toMatch(/New GMV/i);
		expect(text).toMatch(/ROI/);
		expect(text).toMatch(/Retention/i);
		expect(text).toMatch(/Strengthen SMS outreach/);
	});
});
