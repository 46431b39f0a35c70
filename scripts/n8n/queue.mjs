#!/usr/bin/env node
/**
 * Starts n8n in queue mode locally: Redis, PostgreSQL, a main process, workers and a webhook
 * process, each n8n process with the packed package installed in its own `~/.n8n/nodes`
 * (see queue.cjs). The queue-mode tests and bench/queue use the same code.
 *
 *   node scripts/n8n/queue.mjs start [--workers 2] [--concurrency 5] [--root DIR] [--package DIR]
 *
 * Prints one JSON line (URLs, ports, folders, owner login) and runs until Ctrl-C, which stops
 * everything and leaves the logs in the root folder. Builds the package first when dist/ is stale.
 * Env: N8N_VERSION pins the n8n version.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { OWNER, REPO_ROOT, buildPackage, isBuildFresh } = require('./core.cjs');
const { startQueueTopology } = require('./queue.cjs');

function flag(argv, name, fallback) {
	const index = argv.indexOf(`--${name}`);
	return index === -1 ? fallback : argv[index + 1];
}

async function main() {
	const [command, ...argv] = process.argv.slice(2);
	if (command !== 'start') {
		console.error(
			'usage: queue.mjs start [--workers N] [--concurrency N] [--root DIR] [--package DIR]',
		);
		process.exit(2);
	}
	const packageDir = resolve(flag(argv, 'package', REPO_ROOT));
	if (!isBuildFresh(packageDir)) buildPackage(packageDir);
	const root = flag(argv, 'root');
	const topology = await startQueueTopology({
		packageDir,
		root: root && resolve(root),
		workers: Number(flag(argv, 'workers', 2)),
		concurrency: Number(flag(argv, 'concurrency', 5)),
	});
	const shutdown = () => topology.stop().then(() => process.exit(0));
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
	console.error(
		`[queue] editor ${topology.main.url} (owner ${OWNER.email} / ${OWNER.password}), webhooks ${topology.webhook.url}; logs in ${topology.root}; Ctrl-C stops`,
	);
	console.log(
		JSON.stringify({
			editor: topology.main.url,
			webhooks: topology.webhook.url,
			ports: topology.ports,
			root: topology.root,
			workers: topology.workers.map((worker) => worker.userFolder),
			owner: OWNER,
			startSeconds: topology.seconds,
		}),
	);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch((error) => {
		console.error(error.stack ?? error);
		process.exit(1);
	});
}
