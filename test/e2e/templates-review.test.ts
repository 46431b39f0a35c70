/**
 * Acceptance for the nurture templates in a real n8n against the sandbox, imported as shipped
 * (credentials bound by type to the sandbox ones; only the "(edit me)" settings a user fills in
 * are changed):
 *
 * - 08-campaign-review (campaign review report): the campaign review PDF is archived in a folder
 *   n8n may write to, and shows new GMV, ROI, retention and an SMS suggestion.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	REPO_ROOT,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	loadFixture,
	n8n,
	nodeOutput,
	startN8nForTests,
	stopN8n,
	type CredentialImport,
} from './support/n8n';
import { loadTemplate, readTemplate } from './support/templates';

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

	it('ships ten templates', () => expect(files).toHaveLength(10));

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
