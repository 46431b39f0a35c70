#!/usr/bin/env node
/**
 * A real n8n with this package installed, for scripts (the demo) and by hand.
 *
 *   import { startN8n } from './scripts/n8n/instance.mjs';
 *   const n8n = await startN8n({ userFolder, packageDir });  // ports picked when not given
 *   await n8n.importCredentials([...]); const id = await n8n.importWorkflow(json);
 *   const { run } = await n8n.executeWorkflow(id); await n8n.publishWorkflow(id);
 *   await n8n.stop();
 *
 * The implementation is core.cjs (CommonJS so jest can load it too); this file re-exports it
 * and adds a CLI:
 *
 *   node scripts/n8n/instance.mjs start [--user-folder DIR] [--package DIR] [--port N] [--keep-data]
 *       Installs the built package (run `npm run build` first), starts n8n, prints one JSON line
 *       {url, userFolder, owner, n8nVersion} and runs until Ctrl-C. Without --keep-data the
 *       user folder (default .n8n-e2e/manual) starts empty.
 *   node scripts/n8n/instance.mjs n8n [--user-folder DIR] -- <n8n command and flags>
 *       Runs an n8n CLI command (import:workflow, export:credentials …) against
 *       that user folder's database, with the same env as the server; works while it runs.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const core = createRequire(import.meta.url)('./core.cjs');

export const {
	N8nInstance,
	OWNER,
	REPO_ROOT,
	TEST_ENCRYPTION_KEY,
	buildPackage,
	freePort,
	installPackage,
	isBuildFresh,
	loadJson,
	provision,
	startN8n,
	summarizeRun,
} = core;

function parseFlags(argv) {
	const flags = {};
	const rest = [];
	for (let i = 0; i < argv.length; i += 1) {
		if (argv[i] === '--') {
			rest.push(...argv.slice(i + 1));
			break;
		}
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!match) rest.push(argv[i]);
		else if (match[2] !== undefined) flags[match[1]] = match[2];
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--'))
			flags[match[1]] = argv[(i += 1)];
		else flags[match[1]] = true;
	}
	return { flags, rest };
}

async function main() {
	const [command, ...argv] = process.argv.slice(2);
	const { flags, rest } = parseFlags(argv);
	const userFolder = resolve(flags['user-folder'] ?? join(REPO_ROOT, '.n8n-e2e', 'manual'));
	if (command === 'start') {
		if (!flags['keep-data']) rmSync(userFolder, { recursive: true, force: true });
		mkdirSync(userFolder, { recursive: true });
		const n8n = await startN8n({
			userFolder,
			packageDir: resolve(flags.package ?? REPO_ROOT),
			port: flags.port ? Number(flags.port) : undefined,
		});
		const shutdown = () => n8n.stop().then(() => process.exit(0));
		process.on('SIGINT', shutdown);
		process.on('SIGTERM', shutdown);
		console.error(
			`[n8n] ${n8n.url} (owner ${OWNER.email} / ${OWNER.password}); log: ${n8n.logFile}; Ctrl-C stops`,
		);
		console.log(
			JSON.stringify({
				url: n8n.url,
				userFolder,
				owner: OWNER,
				n8nVersion: n8n.provisioned.n8n.version,
			}),
		);
		return;
	}
	if (command === 'n8n') {
		// Port values only matter to `start`; a CLI command gets its own broker port in cli().
		const n8n = new N8nInstance({
			provisioned: await provision(),
			userFolder,
			port: 5678,
			brokerPort: 0,
		});
		const result = await n8n.cli(rest, { cwd: process.cwd() });
		process.stdout.write(result.stdout);
		process.stderr.write(result.stderr);
		process.exit(result.code ?? 1);
	}
	console.error(
		'usage: instance.mjs start [--user-folder DIR] [--package DIR] [--port N] [--keep-data]',
	);
	console.error('       instance.mjs n8n [--user-folder DIR] -- <n8n command>');
	process.exit(2);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch((error) => {
		console.error(error.stack ?? error);
		process.exit(1);
	});
}
