/**
 * The campaign monitor (template 11) and the care console (template 12) as people use them: a
 * real n8n with both templates imported and published, the sandbox standing in for Ometria and
 * Annex Cloud, and Debian's headless Chromium logging in to both pages.
 *
 * The Platinum campaign is sent by template 03 itself (the sandbox's member feed, its fixture
 * members only), which writes the campaign record; the export file is the sandbox's
 * (POST /_sandbox/ometria/export) of the events 03 sent, loaded by template 11's own loader.
 * Zhang Min's birthday care is what template 04 records when it runs on May 25 and June 1.
 * Every figure the test expects is computed from those rows and that file.
 *
 * PAGES_SCREENSHOTS=docs writes the screenshots to docs/images/ (the README shows them);
 * otherwise they go to .n8n-e2e/pages/.
 */
import { readFileSync, rmSync } from 'fs';
import { join } from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { startSandbox, type Sandbox } from '../../sandbox';
import { BIRTHDAY_COUPON_REWARD_ID, ZHANG_MIN_EMAIL, ZHANG_MIN_ID } from '../../sandbox/fixtures';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	loadFixture,
	n8n,
	REPO_ROOT,
	startN8nForTests,
	stopN8n,
	type CredentialImport,
	type CredentialRef,
	type RunLike,
} from '../e2e/support/n8n';
import { loadTemplate, n8nFilesFolder, type Template } from '../e2e/support/templates';
import { launchChromium } from './support/chromium';

const UI_TIMEOUT = 120_000;
const SCREENSHOT_DIR =
	process.env.PAGES_SCREENSHOTS === 'docs'
		? join(REPO_ROOT, 'docs', 'images')
		: join(REPO_ROOT, '.n8n-e2e', 'pages');

const LOGIN = { username: 'care-team', password: 'pages-login-7f3a9c1e5b2d4f60a8e1' };
const AGENT = 'Mei (customer success)';
const MONITOR = '11-campaign-monitor.json';
const CONSOLE = '12-care-console.json';
const SEGMENT_SYNC = '03-segment-sync.json';

jest.setTimeout(600_000);

/** Columns n8n gives every Data Table itself; a table that declares one is refused (409). */
const SYSTEM_COLUMNS = new Set(['id', 'createdAt', 'updatedAt']);

/**
 * Columns of a campaign-record table as the templates create it: docs/data-tables.md (the
 * schema's one source) without n8n's system columns, which the doc lists only to say what they
 * mean (`loyalty_campaigns.createdAt` is when the audience was recorded).
 */
function documentedColumns(table: string): Array<{ name: string; type: string }> {
	const doc = readFileSync(join(REPO_ROOT, 'docs', 'data-tables.md'), 'utf8');
	const section = doc.split(`### \`${table}\``)[1].split('\n### ')[0];
	return [...section.matchAll(/^\|\s*`(\w+)`\s*\|\s*(string|number|date|boolean)\s*\|/gm)]
		.map(([, name, type]) => ({ name, type }))
		.filter(({ name }) => !SYSTEM_COLUMNS.has(name));
}

let sandbox: Sandbox;
let browser: Browser;
let projectId: string;
let feedFolder: string;
let feedPath: string;
let exportFolder: string;
let monitorId: string;
let segmentSyncId: string;

interface DataTable {
	id: string;
	name: string;
}

/** The table the templates created, or, if none has run yet, the same table created here. */
async function dataTable(name: string): Promise<DataTable> {
	const tables = await n8n().rest<{ data: DataTable[] }>(
		'GET',
		`/rest/projects/${projectId}/data-tables`,
	);
	const found = tables.data.find((table) => table.name === name);
	if (found) return found;
	return await n8n().rest<DataTable>('POST', `/rest/projects/${projectId}/data-tables`, {
		name,
		columns: documentedColumns(name),
	});
}

async function insertRows(name: string, rows: object[]): Promise<void> {
	const table = await dataTable(name);
	await n8n().rest('POST', `/rest/projects/${projectId}/data-tables/${table.id}/insert`, {
		data: rows,
	});
}

async function tableRows(name: string): Promise<Array<Record<string, any>>> {
	const table = await dataTable(name);
	const rows = await n8n().rest<{ data: Array<Record<string, any>> }>(
		'GET',
		`/rest/projects/${projectId}/data-tables/${table.id}/rows?take=1000`,
	);
	return rows.data;
}

async function control<T = any>(path: string, body: unknown): Promise<T> {
	const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = (await response.json()) as T;
	expect(response.status).toBe(200);
	return answer;
}

/** Parses the export file (no quoted fields in what the sandbox writes for these campaigns). */
function exportRows(file: string): Array<Record<string, string>> {
	const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
	const columns = header.split(',');
	return lines.map((line) =>
		Object.fromEntries(line.split(',').map((value, index) => [columns[index], value])),
	);
}

const membersWith = (rows: Array<Record<string, string>>, eventType: string) =>
	new Set(rows.filter((row) => row.event_type === eventType).map((row) => row.customer_id));

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/** Runs a workflow from one of its triggers in the server; the run must succeed with no node in error. */
async function runFromTrigger(workflowId: string, trigger: string): Promise<RunLike> {
	const result = await executeWorkflow(workflowId, trigger);
	expect({
		status: result.status,
		error: result.error,
		failedNode: result.failedNode,
	}).toEqual({ status: 'success', error: undefined, failedNode: undefined });
	return result.run;
}

const loadExports = () => runFromTrigger(monitorId, 'Load exports now (manual)');

// ---------------------------------------------------------------------------------------------
// The Platinum campaign, sent by template 03 (which writes the campaign record)

const today = new Date().toISOString().slice(0, 10);
const PLATINUM = {
	campaignId: `lapsed-platinum-${today}`,
	ometriaCampaignId: 'automation-lapsed-platinum',
	eventType: 'lapsed_platinum_outreach',
};

// ---------------------------------------------------------------------------------------------
// Zhang Min's birthday care, run by template 04: warm-up on May 25, greeting with the coupon June 1

const KEY_DATE_CARE = '04-key-date-care.json';
let zhangCoupon: string;

async function runZhangMinCare(): Promise<void> {
	for (const runDate of ['2026-05-25', '2026-06-01']) {
		const id = await importWorkflow(
			loadTemplate(KEY_DATE_CARE, credentials, { settings: { feedPath, runDate } }),
		);
		await runFromTrigger(id, 'Run now (manual)');
	}
	await sandbox.state.ometria.whenIdle();
	const assigned = sandbox.state.annex.assignments.filter(
		(assignment) =>
			assignment.user_id === ZHANG_MIN_ID && assignment.reward_id === BIRTHDAY_COUPON_REWARD_ID,
	);
	expect(assigned).toHaveLength(1);
	zhangCoupon = assigned[0].rewardCode;
}

// ---------------------------------------------------------------------------------------------

function withPageSettings(template: Template, refreshSeconds: number): Template {
	const node = template.nodes.find((candidate) => candidate.name === 'Page settings')!;
	const list = (
		node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
	).assignments;
	list.find((entry) => entry.name === 'refreshSeconds')!.value = refreshSeconds;
	return template;
}

interface Figure {
	value: string;
	fresh: string;
}

/**
 * The figures of one campaign's row, read in one evaluation: the page reloads itself, so
 * reading cell by cell could straddle a reload.
 */
async function monitorRow(page: Page, campaignId: string): Promise<Record<string, Figure>> {
	for (let attempt = 0; ; attempt++) {
		try {
			const cells = page.locator(`tr[data-campaign="${campaignId}"] td[data-figure]`);
			await cells.first().waitFor();
			const read: Array<[string, string, string]> = await cells.evaluateAll((all: any[]) =>
				all.map((cell) => [
					cell.getAttribute('data-figure'),
					cell.firstChild?.textContent ?? '',
					cell.querySelector('small')?.textContent ?? '',
				]),
			);
			return Object.fromEntries(
				read.map(([name, value, fresh]) => [name, { value: value.trim(), fresh: fresh.trim() }]),
			);
		} catch (error) {
			if (attempt >= 5 || !/destroyed|navigat/i.test(String(error))) throw error;
		}
	}
}

let credentials: CredentialRef[];

beforeAll(async () => {
	// No generated members: the fixture members (about a hundred) keep template 03's run short.
	sandbox = await startSandbox({
		asOf: today,
		ometria: { pushRatePerSecond: 1000, processDelayMs: 0 },
	});
	// Migrations alone can take minutes on a shared, loaded machine.
	await startN8nForTests({ name: 'pages' });
	projectId = (await n8n().rest<{ id: string }>('GET', '/rest/projects/personal')).id;
	exportFolder = n8nFilesFolder('ometria-exports');
	feedFolder = n8nFilesFolder('pages-feed');
	feedPath = join(feedFolder, 'member-feed.csv');
	await sandbox.writeMemberFeed(feedPath);
	// The sandbox's credentials and the pages' login in one import (a new credential costs an n8n
	// CLI process).
	credentials = await importCredentials([
		...loadFixture<CredentialImport[]>('sandbox.credentials.json', { SANDBOX_URL: sandbox.url }),
		{
			id: 'pagesLogin000001',
			name: 'Pages login',
			type: 'httpBasicAuth',
			data: { user: LOGIN.username, password: LOGIN.password },
		},
	]);
	segmentSyncId = await importWorkflow(
		loadTemplate(SEGMENT_SYNC, credentials, {
			settings: {
				feedPath,
				runDate: today,
				ometriaCampaignId: PLATINUM.ometriaCampaignId,
			},
		}),
	);
	monitorId = await importWorkflow(
		withPageSettings(loadTemplate(MONITOR, credentials, { settings: { exportFolder } }), 8),
	);
	await n8n().publishWorkflow(monitorId);
	const consoleId = await importWorkflow(loadTemplate(CONSOLE, credentials));
	await n8n().publishWorkflow(consoleId);
	browser = await launchChromium();
	// n8n's start, the imports and two publications: minutes when the machine is shared.
}, 900_000);

afterAll(async () => {
	await browser?.close();
	await stopN8n();
	await sandbox?.close();
	for (const folder of [feedFolder, exportFolder])
		if (folder) rmSync(folder, { recursive: true, force: true });
});

async function loggedIn(): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		viewport: { width: 1500, height: 900 },
		httpCredentials: LOGIN,
	});
	context.setDefaultTimeout(UI_TIMEOUT);
	return { context, page: await context.newPage() };
}

describe('campaign monitor (A-1: coverage and click rate of the Platinum campaign)', () => {
	let file: string;
	let rows: Array<Record<string, string>>;

	beforeAll(async () => {
		// Publishing the campaign: template 03 sends it and records it.
		await runFromTrigger(segmentSyncId, 'Run now (manual)');
		await sandbox.state.ometria.whenIdle();
		// Ometria's data export of the messages those events started.
		const written = await control<{ file: string; counts: Record<string, number> }>(
			'/ometria/export',
			{
				path: exportFolder,
				ometriaCampaignId: PLATINUM.ometriaCampaignId,
				campaignName: 'Lapsed Platinum',
				eventType: PLATINUM.eventType,
				rates: { delivery: 0.94, bounce: 0.06, open: 0.5, click: 0.2, unsubscribe: 0 },
			},
		);
		file = written.file;
		rows = exportRows(file);
	});

	it('template 03 recorded the campaign it sent, and the export reports each member it reached', async () => {
		const campaign = (await tableRows('loyalty_campaigns')).find(
			(c) => c.campaignId === PLATINUM.campaignId,
		);
		expect(campaign).toMatchObject({
			status: 'sent',
			ometriaCampaignId: PLATINUM.ometriaCampaignId,
			eventType: PLATINUM.eventType,
		});
		const reached = new Set(
			(await tableRows('loyalty_campaign_touches'))
				.filter((t) => t.campaignId === PLATINUM.campaignId && t.status === 'sent')
				.map((t) => t.memberId),
		);
		expect(reached.size).toBeGreaterThan(0);
		expect(membersWith(rows, 'send')).toEqual(reached);
		expect(membersWith(rows, 'click').size).toBeGreaterThan(0);
	});

	it('refuses the page without the login', async () => {
		const url = n8n().productionWebhookUrl('loyalty/campaign-monitor');
		expect((await fetch(url)).status).toBe(401);
		const wrong = Buffer.from(`${LOGIN.username}:not-the-password`).toString('base64');
		expect((await fetch(url, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(401);
	});

	it('loads the export file into the engagement table, and a reload adds nothing', async () => {
		for (let run = 0; run < 2; run++) {
			await loadExports();
			const engagement = await tableRows('loyalty_campaign_engagement');
			expect(engagement).toHaveLength(rows.length);
		}
		const engagement = await tableRows('loyalty_campaign_engagement');
		expect(new Set(engagement.map((row) => row.campaignId))).toEqual(
			new Set([PLATINUM.campaignId]),
		);
		expect(engagement.every((row) => row.sourceFile === file.split('/').pop())).toBe(true);
	});

	it('shows audience, reached, exclusions, holdout, coverage, opens, clicks and click rate from the record and the export', async () => {
		const { context, page } = await loggedIn();
		await page.goto(n8n().productionWebhookUrl('loyalty/campaign-monitor'));
		const figures = await monitorRow(page, PLATINUM.campaignId);
		const figure = (name: string) => figures[name].value;
		const fresh = (name: string) => figures[name].fresh;

		const campaign = (await tableRows('loyalty_campaigns')).find(
			(c) => c.campaignId === PLATINUM.campaignId,
		)!;
		const members = (await tableRows('loyalty_campaign_members')).filter(
			(m) => m.campaignId === PLATINUM.campaignId,
		);
		const touches = (await tableRows('loyalty_campaign_touches')).filter(
			(t) => t.campaignId === PLATINUM.campaignId && t.status === 'sent',
		);
		const excluded = members.filter((m) => m.group === 'excluded');
		const byReason = [...new Set(excluded.map((m) => m.reason))]
			.sort()
			.map((reason) => `${reason} ${excluded.filter((m) => m.reason === reason).length}`);
		const target = campaign.audience - campaign.holdout;
		const delivered = membersWith(rows, 'delivery');
		const clickers = membersWith(rows, 'click');

		expect(figure('audience')).toBe(String(campaign.audience));
		expect(figure('holdout')).toBe(String(members.filter((m) => m.group === 'holdout').length));
		expect(excluded).toHaveLength(campaign.excluded);
		expect(figure('excluded')).toBe(
			excluded.length ? `${excluded.length}: ${byReason.join(', ')}` : '0',
		);
		expect(figure('reached')).toBe(String(new Set(touches.map((t) => t.memberId)).size));
		// Coverage: the members the export says were sent to, of those the campaign targeted.
		expect(figure('coverage')).toBe(percent(membersWith(rows, 'send').size, target));
		expect(figure('delivered')).toBe(String(delivered.size));
		expect(figure('opens')).toBe(String(membersWith(rows, 'open').size));
		expect(figure('clicks')).toBe(String(clickers.size));
		// The click rate of the export file: members who clicked, of those delivered to.
		expect(figure('clickRate')).toBe(percent(clickers.size, delivered.size));
		expect(figure('conversions')).toBe('0');
		// Each figure says how fresh it is.
		expect(fresh('audience')).toMatch(/^recorded \d{4}-\d\d-\d\d \d\d:\d\d UTC \(.+ ago\)$/);
		expect(fresh('reached')).toMatch(/^last touch /);
		expect(fresh('clickRate')).toMatch(/^export loaded .+, events to .+/);
		expect(fresh('conversions')).toBe('none recorded yet');
		await page.screenshot({ path: join(SCREENSHOT_DIR, 'monitor.png'), fullPage: true });

		// A conversion arrives; the page shows it after reloading itself (nobody clicks).
		const buyer = [...clickers][0];
		await insertRows('loyalty_campaign_outcomes', [
			{
				outcomeKey: `${PLATINUM.campaignId}:${buyer}:purchased`,
				campaignId: PLATINUM.campaignId,
				memberId: buyer,
				segment: campaign.segment,
				offerId: '',
				outcome: 'purchased',
				occurredAt: new Date(Date.now() - 30 * 60_000).toISOString(),
				value: 120,
				source: 'annex cloud activity',
			},
		]);
		// The page reloads itself (meta refresh, 8 s here): no goto, no reload from the test.
		const deadline = Date.now() + 90_000;
		let conversions = (await monitorRow(page, PLATINUM.campaignId)).conversions;
		while (conversions.value !== '1') {
			if (Date.now() > deadline) throw new Error('the monitor did not show the new conversion');
			await new Promise((resolve) => setTimeout(resolve, 1000));
			conversions = (await monitorRow(page, PLATINUM.campaignId)).conversions;
		}
		expect(conversions.fresh).toMatch(/^last conversion /);
		await context.close();
	});

	it('escapes what it shows', async () => {
		await insertRows('loyalty_campaigns', [
			{
				campaignId: 'escape-check-<b>',
				name: '<script>document.title="pwned"</script>',
				status: 'planned',
				audience: 1,
				holdout: 0,
			},
		]);
		const { context, page } = await loggedIn();
		await page.goto(n8n().productionWebhookUrl('loyalty/campaign-monitor'));
		await page.locator('tr[data-campaign="escape-check-<b>"]').waitFor();
		expect(await page.title()).toBe('Campaign monitor');
		await expect(
			page.locator('tr[data-campaign="escape-check-<b>"] th').innerText(),
		).resolves.toContain('<script>document.title="pwned"</script>');
		await context.close();
	});
});

describe('care console (B-1: Zhang Min)', () => {
	beforeAll(async () => {
		await runZhangMinCare();
	});

	async function lookUp(page: Page): Promise<void> {
		await page.goto(`${n8n().url}/form/loyalty/care-console`);
		await page.getByLabel('Member ID').fill(ZHANG_MIN_ID);
		await page.getByLabel('Your name').fill(AGENT);
		await page.getByRole('button', { name: 'Look up' }).click();
		await page.getByText('Care timeline').first().waitFor();
		await page.locator('table tbody tr').first().waitFor();
	}

	const timelineRows = async (page: Page) =>
		(await page.locator('table tbody tr').allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));

	async function greet(page: Page, options: { override?: boolean } = {}): Promise<string> {
		await page.locator('select').selectOption('Yes, send it now');
		await page.locator('textarea').fill('Happy birthday again from the whole team!');
		if (options.override) await page.getByText('Send even if already contacted today').click();
		await page.getByRole('button', { name: 'Continue' }).click();
		await page
			.locator('h1:visible', {
				hasText:
					/Manual greeting sent|Not sent: already contacted today|Ometria refused|Nothing sent/,
			})
			.waitFor();
		return (await page.locator('body').innerText()).replace(/\s+/g, ' ');
	}

	const greetings = () =>
		[...sandbox.state.ometria.events.values()].filter(
			(event) => event.record.event_type === 'care_manual_greeting',
		);

	it('refuses the form without the login', async () => {
		expect((await fetch(`${n8n().url}/form/loyalty/care-console`)).status).toBe(401);
	});

	it('shows the warm-up (May 25) and the greeting (June 1) with the coupon, then sends a manual greeting once', async () => {
		const { context, page } = await loggedIn();
		await lookUp(page);
		const before = await timelineRows(page);
		// Each row shows when it was sent (now, in her time zone) and the campaign of the run's day.
		expect(before).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/key-date-care-2026-05-25 birthday_warm_up \(email\) sent/),
			]),
		);
		const greeting = before.find((row) =>
			/key-date-care-2026-06-01 birthday_greeting \(email\) sent/.test(row),
		);
		expect(greeting).toContain(`${zhangCoupon} (assigned, Birthday coupon: 20% off)`);

		const answer = await greet(page);
		expect(answer).toContain('Manual greeting sent');
		// In Ometria (sandbox): one custom event for Zhang Min.
		await sandbox.state.ometria.whenIdle();
		expect(greetings()).toHaveLength(1);
		expect(greetings()[0].record).toMatchObject({
			identity_account_id: ZHANG_MIN_ID,
			identity_email: ZHANG_MIN_EMAIL,
		});
		// Recorded as a touch, counted toward the cap.
		const touch = (await tableRows('loyalty_campaign_touches')).filter(
			(row) => row.memberId === ZHANG_MIN_ID && row.step === 'manual_greeting',
		);
		expect(touch).toHaveLength(1);
		expect(touch[0]).toMatchObject({
			status: 'sent',
			source: `care console: ${AGENT}`,
			ometriaEventId: greetings()[0].id,
			reason: '',
		});

		// The timeline shows it.
		await lookUp(page);
		const after = await timelineRows(page);
		expect(after.some((row) => /manual_greeting \(email\) sent.*care console: Mei/.test(row))).toBe(
			true,
		);
		await expect(page.locator('body').innerText()).resolves.toContain(
			'Contacted today: yes (manual_greeting)',
		);
		await page.screenshot({ path: join(SCREENSHOT_DIR, 'care-console.png'), fullPage: true });

		// A second greeting the same day: the frequency cap refuses it.
		const refused = await greet(page);
		expect(refused).toContain('Not sent: already contacted today');
		expect(greetings()).toHaveLength(1);

		// With the override the same greeting goes out again under the same event id: Ometria keeps one.
		await lookUp(page);
		const overridden = await greet(page, { override: true });
		expect(overridden).toContain('Manual greeting sent');
		await sandbox.state.ometria.whenIdle();
		expect(greetings()).toHaveLength(1);
		expect(greetings()[0].duplicates).toBe(1);
		const touches = (await tableRows('loyalty_campaign_touches')).filter(
			(row) => row.memberId === ZHANG_MIN_ID && row.step === 'manual_greeting',
		);
		expect(touches).toHaveLength(1);
		expect(touches[0].reason).toBe(`frequency cap overridden by ${AGENT}`);
		await context.close();
	});
});
