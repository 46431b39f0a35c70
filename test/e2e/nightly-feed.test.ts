/**
 * Acceptance: template 02 (nightly member sync, change-only) imported as shipped into a real n8n,
 * fed with the sandbox's member feed files, judged by the sandbox's Ometria state, the snapshot
 * file and the `loyalty_sync_runs` Data Table.
 */
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { FIXTURE_MEMBER_COUNT } from '../../sandbox/fixtures';
import {
	importCredentials,
	importWorkflow,
	n8n,
	startN8nForTests,
	stopN8n,
	type CredentialRef,
	type RunLike,
} from './support/n8n';
import { importSandboxCredentials, loadTemplate, n8nFilesFolder } from './support/templates';

const AS_OF = '2025-06-15';
const GENERATED = 300;
const TEMPLATE = '02-nightly-reconciliation.json';
const ALERTS_TEMPLATE = '09-sync-alerts.json';
const ALERTS_WORKFLOW_ID = 'LoyaltySyncTpl09';

let sandbox: Sandbox;
let credentials: CredentialRef[];
let folder: string;
let feedPath: string;
let snapshotPath: string;
let projectId: string;

beforeAll(async () => {
	sandbox = await startSandbox({ members: GENERATED, asOf: AS_OF });
	await startN8nForTests();
	credentials = await importSandboxCredentials(sandbox);
	folder = n8nFilesFolder('nightly-feed');
	feedPath = join(folder, 'member-feed-2025-06-15.csv');
	snapshotPath = join(folder, 'member-snapshot.csv');
	const projects = await n8n().rest<Array<{ id: string; type: string }>>(
		'GET',
		'/rest/projects/my-projects',
	);
	projectId = projects.find((project) => project.type === 'personal')!.id;
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
	if (folder) rmSync(folder, { recursive: true, force: true });
});

interface RunRow {
	runId: string;
	mode: string;
	status: string;
	sourceFile: string;
	rowsRead: number;
	rowsRejected: number;
	newMembers: number;
	changedMembers: number;
	removedMembers: number;
	unchangedMembers: number;
	sent: number;
	accepted: number;
	rejected: number;
	error: string | null;
	durationMs: number;
}

async function runHistory(): Promise<RunRow[]> {
	const tables = await n8n().rest<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		`/rest/projects/${projectId}/data-tables`,
	);
	const table = tables.data.find((candidate) => candidate.name === 'loyalty_sync_runs');
	if (!table) return [];
	const rows = await n8n().rest<{ data: RunRow[] }>(
		'GET',
		`/rest/projects/${projectId}/data-tables/${table.id}/rows?take=1000`,
	);
	return rows.data;
}

/** Imports template 02 with these Settings and runs it from its Manual Trigger, as the editor does. */
async function runNightly(
	settings: Record<string, string | number | boolean> = {},
	{ publish = false } = {},
) {
	const template = loadTemplate(TEMPLATE, credentials, {
		settings: {
			feedPath,
			snapshotPath,
			reportFolder: folder,
			...(settings as Record<string, string | number>),
		},
	});
	const id = await importWorkflow(template);
	// A follow-up run is an Execute Workflow call of 02 itself, and n8n 2.x runs the published
	// version of a called workflow: the user publishes 02 for its schedule anyway.
	if (publish) {
		// n8n publishes a workflow only after the sub-workflows it calls (09, the alerts).
		const smtp = await importCredentials([
			{
				id: 'nightlySmtp',
				name: 'SMTP (no mail is sent in this test)',
				type: 'smtp',
				data: { user: 'alerts', password: 'unused', host: '127.0.0.1', port: 2525, secure: false },
			},
		]);
		await importWorkflow(loadTemplate(ALERTS_TEMPLATE, [...credentials, ...smtp]));
		await n8n().publishWorkflow(ALERTS_WORKFLOW_ID);
		await n8n().publishWorkflow(id);
	}
	const { executionId } = await n8n().rest<{ executionId: string }>(
		'POST',
		`/rest/workflows/${id}/run`,
		{ triggerToStartFrom: { name: 'Run now (manual)' } },
	);
	const deadline = Date.now() + 180_000;
	for (;;) {
		const execution = await n8n().getExecution(executionId);
		if (!['new', 'running', 'waiting'].includes(execution.status)) {
			await sandbox.state.ometria.whenIdle();
			const run: RunLike = { status: execution.status, data: execution.data };
			const row = (await runHistory()).find((candidate) => candidate.runId === executionId);
			return { run, row: row!, status: execution.status };
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function output(run: RunLike, node: string, index = 0): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[node] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[index] ?? []).map((item) => item.json);
}

const annexRequests = () =>
	Object.entries(sandbox.stats().requests as Record<string, number>)
		.filter(([key]) => key.startsWith('annex.'))
		.reduce((sum, [, count]) => sum + count, 0);
const properties = (id: string) =>
	sandbox.state.ometria.contact(id, 'loyalty')?.record.properties as Record<string, unknown>;
const pushedRecords = () => sandbox.state.ometria.counters.recordsAccepted;

describe('02 nightly member sync from the member feed', () => {
	const members = FIXTURE_MEMBER_COUNT + GENERATED;
	let firstSnapshot: string;

	it('first run: every member of the feed goes to Ometria, with no Annex Cloud call, and the snapshot is stored', async () => {
		const written = await sandbox.writeMemberFeed(feedPath);
		expect(written.rows).toBe(members);
		const { row, status } = await runNightly();
		expect(status).toBe('success');
		expect(row).toMatchObject({
			mode: 'changes',
			status: 'success',
			sourceFile: 'member-feed-2025-06-15.csv',
			rowsRead: members,
			rowsRejected: 0,
			newMembers: members,
			changedMembers: 0,
			removedMembers: 0,
			sent: members,
			accepted: members,
			rejected: 0,
			error: '',
		});
		expect(annexRequests()).toBe(0);
		expect(sandbox.state.ometria.contactsIn('loyalty')).toHaveLength(members);
		const member = sandbox.state.annex.member('m000007')!;
		expect(properties('m000007')).toMatchObject({
			annex_loyalty_id: 'm000007',
			annex_current_tier: member.tier,
			annex_available_points: String(member.availablePoints),
		});
		firstSnapshot = readFileSync(snapshotPath, 'utf8');
		expect(firstSnapshot.split('\n').filter(Boolean)).toHaveLength(members + 1);
	});

	it('dry run: counts and the first changes field by field, nothing written, snapshot kept', async () => {
		const day2 = await sandbox.writeMemberFeed(feedPath, {
			changed: 0.05,
			optedOut: 0.02,
			new: 0.02,
		});
		const before = pushedRecords();
		const { run, row } = await runNightly({ dryRun: true, previewSize: 5 });
		expect(row).toMatchObject({ mode: 'dry_run', status: 'success', sent: 0 });
		expect(row.changedMembers + row.removedMembers).toBe(day2.changed + day2.optedOut);
		expect(row.newMembers).toBe(day2.new);
		const summary = output(run, 'Compare with last snapshot', 1)[0];
		const preview = summary.preview as Array<{
			memberId: string;
			change: string;
			fields: Array<{ field: string; from: unknown; to: unknown }>;
		}>;
		expect(preview).toHaveLength(5);
		const changed = preview.find((entry) => entry.change === 'changed')!;
		const member = sandbox.state.annex.member(changed.memberId)!;
		expect(changed.fields).toContainEqual({
			field: 'availablePoints',
			from: expect.any(Number),
			to: member.availablePoints,
		});
		expect(pushedRecords()).toBe(before);
		expect(readFileSync(snapshotPath, 'utf8')).toBe(firstSnapshot);
		expect(output(run, 'Sync health report')[0]).toBeDefined();
	});

	it('next day: only new, changed and opted-out members are sent, each with its new values', async () => {
		const before = pushedRecords();
		const { row } = await runNightly();
		const sentNow = pushedRecords() - before;
		expect(row.status).toBe('success');
		expect(row.sent).toBe(sentNow);
		expect(row.sent).toBe(row.newMembers + row.changedMembers + row.removedMembers);
		expect(row.unchangedMembers).toBe(row.rowsRead - row.sent);
		expect(row.sent).toBeLessThan(row.rowsRead / 5);
		const optedOut = [...sandbox.state.annex.members.values()].find(
			(member) => member.optInStatus === 'NO' && member.updateDate.startsWith(AS_OF),
		)!;
		expect(properties(optedOut.id)).toMatchObject({ annex_user_opt_in_status: 'NO' });
		expect(annexRequests()).toBe(0);
		const again = await runNightly();
		expect(again.row).toMatchObject({
			status: 'success',
			sent: 0,
			newMembers: 0,
			changedMembers: 0,
		});
	});

	it('a field cleared in Annex Cloud is cleared in Ometria (sent as null); the member keeps every other value', async () => {
		const withPhone = new Set(
			[...sandbox.state.annex.members.values()]
				.filter((member) => member.phone !== '')
				.map((member) => member.id),
		);
		const day = await sandbox.writeMemberFeed(feedPath, {
			changed: 0,
			optedOut: 0,
			new: 0,
			cleared: 0.05,
		});
		const cleared = [...withPhone].filter((id) => sandbox.state.annex.member(id)!.phone === '');
		expect(cleared.length).toBe(day.cleared);
		expect(cleared.length).toBeGreaterThan(0);
		for (const id of cleared)
			expect(sandbox.state.ometria.contact(id, 'loyalty')!.record.phone_number).toMatch(/^\+/);
		const { run, row } = await runNightly();
		expect(row).toMatchObject({
			status: 'success',
			changedMembers: cleared.length,
			newMembers: 0,
			sent: cleared.length,
		});
		const changes = output(run, 'Compare with last snapshot', 0);
		expect(changes.map((change) => change.memberId).sort()).toEqual([...cleared].sort());
		for (const change of changes) expect(change.clearedFields).toEqual(['phone']);
		for (const id of cleared) {
			const contact = sandbox.state.ometria.contact(id, 'loyalty')!.record;
			const member = sandbox.state.annex.member(id)!;
			expect(contact).not.toHaveProperty('phone_number');
			expect(contact).toMatchObject({
				email: member.email,
				properties: {
					annex_loyalty_id: id,
					annex_current_tier: member.tier,
					annex_available_points: String(member.availablePoints),
				},
			});
		}
		const kept = [...withPhone].find((id) => !cleared.includes(id))!;
		expect(sandbox.state.ometria.contact(kept, 'loyalty')!.record.phone_number).toMatch(/^\+\d+$/);
	});

	it('safety: an empty feed, or far fewer rows than the snapshot, stops the run before anything is written', async () => {
		const snapshot = readFileSync(snapshotPath, 'utf8');
		const header = readFileSync(feedPath, 'utf8').split('\n')[0];
		const lines = readFileSync(feedPath, 'utf8').split('\n');
		writeFileSync(feedPath, `${header}\n`);
		const before = pushedRecords();
		const empty = await runNightly();
		expect(empty.row).toMatchObject({
			status: 'stopped',
			sent: 0,
			error: expect.stringContaining('no member rows'),
		});
		writeFileSync(feedPath, `${lines.slice(0, 50).join('\n')}\n`);
		const short = await runNightly();
		expect(short.row).toMatchObject({ status: 'stopped', sent: 0, removedMembers: 0 });
		expect(short.row.error).toContain('fewer than 50%');
		expect(pushedRecords()).toBe(before);
		expect(readFileSync(snapshotPath, 'utf8')).toBe(snapshot);
		writeFileSync(feedPath, lines.join('\n'));
	});

	it('bad rows are rejected one by one with line and reason; the run goes on', async () => {
		const good = readFileSync(feedPath, 'utf8');
		const [header, first, second] = good.split('\n');
		const columns = header.split(',');
		const cells = second.split(',');
		cells[columns.indexOf('Tier')] = 'Diamond';
		cells[columns.indexOf('User ID')] = 'diamond-member';
		const badDate = first.split(',');
		badDate[columns.indexOf('Birthday')] = '1990-02-30';
		badDate[columns.indexOf('User ID')] = 'bad-date-member';
		appendFileSync(feedPath, `${first}\n${cells.join(',')}\n${badDate.join(',')}\nshort,row\n`);
		const lineCount = good.split('\n').filter(Boolean).length;
		const { run, row } = await runNightly({ knownTiers: 'Bronze, Silver, Gold, Platinum' });
		expect(row.status).toBe('success');
		const rejects = output(run, 'Compare with last snapshot', 1)[0].rejects as Array<{
			line: number;
			memberId: string;
			reason: string;
		}>;
		expect(rejects).toEqual([
			{
				line: lineCount + 1,
				memberId: first.split(',')[columns.indexOf('User ID')],
				reason: expect.stringContaining('duplicate member id (first on line 2)'),
			},
			expect.objectContaining({
				line: lineCount + 2,
				reason: 'currentTier: unknown tier "Diamond"',
			}),
			{
				line: lineCount + 3,
				memberId: 'bad-date-member',
				reason: 'birthDate: "1990-02-30" is not a possible date',
			},
			{
				line: lineCount + 4,
				memberId: null,
				reason: `wrong column count: 2 instead of ${columns.length}`,
			},
		]);
		expect(row.rowsRejected).toBe(4);
		expect(row.rejected).toBeGreaterThanOrEqual(4);
		writeFileSync(feedPath, good);
	});

	it('a push that fails keeps the snapshot, so the next run sends the same members again', async () => {
		await sandbox.writeMemberFeed(feedPath, { changed: 0.03, optedOut: 0, new: 0 });
		const snapshot = readFileSync(snapshotPath, 'utf8');
		sandbox.setFaults({ 'ometria.push': { rate5xx: 1 } });
		const failed = await runNightly();
		sandbox.setFaults({});
		expect(failed.row.status).toBe('failed');
		expect(failed.row.error).toContain('could not be sent');
		expect(readFileSync(snapshotPath, 'utf8')).toBe(snapshot);
		const redo = await runNightly();
		expect(redo.row).toMatchObject({
			status: 'success',
			changedMembers: failed.row.changedMembers,
		});
		expect(redo.row.accepted).toBe(redo.row.sent);
		expect(readFileSync(snapshotPath, 'utf8')).not.toBe(snapshot);
	});

	it('full resync sends every member; a backfill sends only the ids asked for and keeps the snapshot', async () => {
		const full = await runNightly({ syncMode: 'full' });
		expect(full.row).toMatchObject({ mode: 'full', status: 'success' });
		expect(full.row.sent).toBe(full.row.rowsRead);
		const snapshot = readFileSync(snapshotPath, 'utf8');
		const backfill = await runNightly({
			syncMode: 'backfill',
			backfillMemberIds: 'm000003, m000004',
		});
		expect(backfill.row).toMatchObject({ mode: 'backfill', status: 'success', sent: 2 });
		expect(readFileSync(snapshotPath, 'utf8')).toBe(snapshot);
	});

	it('a full resync over Max Members per Run goes on in follow-up runs until every member is sent', async () => {
		const earlier = new Set((await runHistory()).map((row) => row.runId));
		const before = pushedRecords();
		const first = await runNightly({ syncMode: 'full', maxMembersPerRun: 150 }, { publish: true });
		expect(first.row).toMatchObject({ mode: 'full', status: 'success', sent: 150 });
		const members = first.row.rowsRead;
		const deadline = Date.now() + 600_000;
		let runs: RunRow[] = [];
		for (;;) {
			runs = (await runHistory()).filter((row) => !earlier.has(row.runId));
			const sent = runs.reduce((sum, row) => sum + row.sent, 0);
			if (sent >= members && runs.every((row) => row.status !== 'running')) break;
			if (Date.now() > deadline) throw new Error(`follow-up runs sent ${sent} of ${members}`);
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
		await sandbox.state.ometria.whenIdle();
		expect(runs).toHaveLength(Math.ceil(members / 150));
		expect(runs.every((row) => row.status === 'success')).toBe(true);
		expect(runs.every((row) => row.sent <= 150)).toBe(true);
		expect(pushedRecords() - before).toBe(members);
		expect(readFileSync(snapshotPath, 'utf8').split('\n').filter(Boolean)).toHaveLength(
			members + 1,
		);
	});

	it('a missing feed file fails the run and records it', async () => {
		rmSync(feedPath);
		const { row, status } = await runNightly();
		expect(status).toBe('error');
		expect(row).toMatchObject({ status: 'failed', sent: 0 });
		expect(row.error).toBeTruthy();
		expect(existsSync(snapshotPath)).toBe(true);
	});
});
