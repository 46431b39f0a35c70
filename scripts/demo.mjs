#!/usr/bin/env node
/**
 * `npm run demo`: the whole package in a real n8n against the local sandbox, from one command.
 *
 *   1. npm run build
 *   2. start the sandbox (Annex Cloud + Ometria stand-in) on a free port
 *   3. provision n8n (cached under ~/.cache/loyalty-sync; minutes on a fresh machine only) and
 *      start it with the built package installed as a community package
 *   4. import credentials pointing at the sandbox, the smoke workflow and every template in
 *      workflows-templates/, run the smoke workflow and the templates listed in DEMO_TEMPLATES
 *   5. print one row per run: status, duration, what the sandbox saw
 *
 * Flags: --keep leaves n8n and the sandbox running (editor URL and owner login printed) until
 * Ctrl-C; --skip-build uses dist/ as it is. Env: LOYALTY_SYNC_PACKAGE_DIR installs another built
 * package; N8N_VERSION pins n8n. Exit code 1 when any workflow failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import {
	OWNER,
	REPO_ROOT,
	buildPackage,
	loadJson,
	provision,
	startN8n,
	summarizeRun,
} from './n8n/instance.mjs';

/**
 * Templates (file names in workflows-templates/) the demo executes, in order. Each needs a Manual
 * Trigger (so `n8n execute` can start it); credentials are bound by type to the sandbox ones.
 * Templates not listed are still imported, to look at in the editor with --keep.
 */
const DEMO_TEMPLATES = [];

const SMOKE_WORKFLOW = 'test/e2e/fixtures/smoke.workflow.json';
const SANDBOX_CREDENTIALS = 'test/e2e/fixtures/sandbox.credentials.json';

const args = new Set(process.argv.slice(2));
const keep = args.has('--keep');
const packageDir = resolve(process.env.LOYALTY_SYNC_PACKAGE_DIR ?? REPO_ROOT);

const step = (message) => console.error(`\n▸ ${message}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** The sandbox as a child (scripts/n8n/sandboxProcess.ts through scripts/run-ts.mjs). */
function startSandboxProcess() {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(
			process.execPath,
			[
				join(REPO_ROOT, 'scripts', 'run-ts.mjs'),
				join(REPO_ROOT, 'scripts', 'n8n', 'sandboxProcess.ts'),
			],
			{ cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
		);
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk;
			const line = buffer.split('\n').find((candidate) => candidate.startsWith('{'));
			if (line) resolvePromise({ ...JSON.parse(line), close: () => child.stdin.end() });
		});
		child.on('error', reject);
		child.on('exit', (code) =>
			reject(new Error(`sandbox exited with ${code} before it was ready`)),
		);
	});
}

async function sandboxStats(sandbox) {
	const response = await fetch(`${sandbox.url}/_sandbox/stats`);
	return await response.json();
}

/** What the sandbox saw between two stats snapshots: requests by outcome and records written. */
function sandboxDelta(before, after) {
	let ok = 0;
	let refused = 0;
	for (const [endpoint, byStatus] of Object.entries(after.responses)) {
		for (const [status, count] of Object.entries(byStatus)) {
			const delta = count - (before.responses[endpoint]?.[status] ?? 0);
			if (Number(status) < 400) ok += delta;
			else refused += delta;
		}
	}
	const annexWrites = (stats) =>
		stats.annex.redemptions + stats.annex.assignments + stats.annex.tierChanges;
	return {
		requests: `${ok} ok${refused ? `, ${refused} refused` : ''}`,
		ometriaRecords: after.ometria.recordsAccepted - before.ometria.recordsAccepted,
		annexWrites: annexWrites(after) - annexWrites(before),
	};
}

/** Points every node credential of a type we imported at our sandbox credential. */
function bindCredentials(workflow, credentials) {
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = credentials.find((candidate) => candidate.type === type);
			if (credential) node.credentials[type] = { id: credential.id, name: credential.name };
		}
	}
	return workflow;
}

function printTable(rows) {
	const headers = [
		'workflow',
		'status',
		'duration',
		'sandbox requests',
		'Ometria records',
		'Annex writes',
	];
	const cells = rows.map((row) => [
		row.name,
		row.status,
		row.duration,
		row.requests,
		String(row.ometriaRecords),
		String(row.annexWrites),
	]);
	const widths = headers.map((header, i) =>
		Math.max(header.length, ...cells.map((cell) => cell[i].length)),
	);
	const line = (values) => values.map((value, i) => value.padEnd(widths[i])).join('  ');
	console.log(`\n${line(headers)}\n${line(widths.map((width) => '-'.repeat(width)))}`);
	for (const cell of cells) console.log(line(cell));
}

async function main() {
	const started = Date.now();
	const cleanup = [];
	const shutdown = async () => {
		for (const close of cleanup.reverse()) await close();
	};
	process.on('SIGINT', () => shutdown().then(() => process.exit(130)));

	try {
		if (args.has('--skip-build')) step('build skipped (--skip-build)');
		else {
			step(`npm run build in ${relative(process.cwd(), packageDir) || '.'}`);
			console.error(`  built in ${buildPackage(packageDir).toFixed(1)} s`);
		}

		step('sandbox');
		const sandbox = await startSandboxProcess();
		cleanup.push(() => sandbox.close());
		console.error(
			`  ${sandbox.url}  (Annex ${sandbox.annexBaseUrl}, Ometria ${sandbox.ometriaBaseUrl})`,
		);

		step('n8n: provision (cached) and start');
		let mark = Date.now();
		const provisioned = await provision();
		console.error(
			`  n8n ${provisioned.n8n.version} on Node ${provisioned.node.version}, provisioned in ${seconds(mark)}`,
		);
		mark = Date.now();
		const n8n = await startN8n({
			provisioned,
			packageDir,
			userFolder: join(REPO_ROOT, '.n8n-e2e', 'demo'),
		});
		cleanup.push(() => n8n.stop());
		console.error(
			`  ${n8n.url} ready in ${seconds(mark)} with ${n8n.installedPackage.name}@${n8n.installedPackage.version}`,
		);

		step('import credentials and workflows');
		const credentials = await n8n.importCredentials(
			loadJson(SANDBOX_CREDENTIALS, { SANDBOX_URL: sandbox.url }),
		);
		const toRun = [
			{
				file: SMOKE_WORKFLOW,
				id: await n8n.importWorkflow(loadJson(SMOKE_WORKFLOW, { SANDBOX_URL: sandbox.url })),
			},
		];
		const templateDir = join(REPO_ROOT, 'workflows-templates');
		const templates = existsSync(templateDir)
			? readdirSync(templateDir)
					.filter((file) => file.endsWith('.json'))
					.sort()
			: [];
		for (const file of templates) {
			const id = await n8n.importWorkflow(
				bindCredentials(loadJson(join('workflows-templates', file)), credentials),
			);
			if (DEMO_TEMPLATES.includes(file))
				toRun.push({ file: join('workflows-templates', file), id });
		}
		for (const file of DEMO_TEMPLATES.filter((listed) => !templates.includes(listed))) {
			throw new Error(`DEMO_TEMPLATES lists ${file}, which is not in workflows-templates/`);
		}
		console.error(
			`  2 credentials, ${1 + templates.length} workflows (${templates.length} templates)`,
		);

		step(`run ${toRun.length} workflow(s) with n8n execute`);
		const rows = [];
		for (const { file, id } of toRun) {
			const before = await sandboxStats(sandbox);
			const { run, seconds: took } = await n8n.executeWorkflow(id);
			const summary = summarizeRun(run);
			const after = await sandboxStats(sandbox);
			rows.push({
				name: loadJson(file, { SANDBOX_URL: sandbox.url }).name ?? file,
				status:
					summary.status === 'success'
						? 'success'
						: `${summary.status}: ${summary.error ?? ''} (${summary.lastNode})`,
				duration: `${took.toFixed(1)} s`,
				...sandboxDelta(before, after),
			});
		}
		printTable(rows);
		const failed = rows.filter((row) => row.status !== 'success').length;
		console.log(
			`\n${rows.length - failed}/${rows.length} succeeded; demo took ${seconds(started)}.`,
		);

		if (keep) {
			console.log(`\nn8n editor: ${n8n.url}\n  login ${OWNER.email} / ${OWNER.password}`);
			console.log(`sandbox:    ${sandbox.url}/_sandbox/stats\nCtrl-C stops both.`);
			await new Promise(() => {});
		}
		await shutdown();
		process.exitCode = failed > 0 ? 1 : 0;
	} catch (error) {
		await shutdown();
		throw error;
	}
}

main().catch((error) => {
	console.error(`\ndemo failed: ${error.stack ?? error}`);
	process.exit(1);
});
