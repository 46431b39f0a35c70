/**
 * A full resync in queue mode (template 10): the members file cut into slices that run as
 * separate executions, one worker against two. On this machine the limit is Ometria's rate
 * (8 requests/s × 100 records = 800 records/s), so the figures to hold are the share of requests
 * answered 429 (< 2%) and the push throughput (≥ 90% of the ceiling), with both workers taking
 * part when there are two.
 *
 * Run: node scripts/run-ts.mjs bench/queue/index.ts [--members 100000] [--slices 4]
 * Each variant starts its own sandbox and topology (about 2 minutes), then the resync
 * (members ÷ 800 seconds at the ceiling). N8N_VERSION pins n8n.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox } from '../../sandbox';
import { publishResync, runResync, writeMembersFile } from '../../test/queue/support/resync';
import { importSandboxCredentials, startTopologyForTests } from '../../test/queue/support/topology';

const CEILING_RECORDS_PER_SECOND = 8 * 100;

interface QueueBenchRow {
	workers: number;
	members: number;
	slices: number;
	'slices per worker': number[];
	'contacts stored': number;
	'wall s': number;
	'push s': number;
	'records/s (push)': number;
	'% of 800/s ceiling': number;
	requests: number;
	'% 429': number;
}

async function benchVariant(workers: number, members: number, slices: number) {
	const sandbox = await startSandbox({ members: 0 });
	const topology = await startTopologyForTests(`bench-queue-${workers}-workers`, { workers });
	try {
		const credentials = await importSandboxCredentials(topology, sandbox);
		const { file, ids } = writeMembersFile(topology.filesDir, members);
		const id = await publishResync(topology, credentials, {
			membersFile: file,
			parallelSlices: slices,
		});
		const outcome = await runResync(topology, sandbox, id, ids, slices);
		const recordsPerSecond = Math.round(members / outcome.pushSeconds);
		const row: QueueBenchRow = {
			workers,
			members,
			slices: outcome.slices,
			'slices per worker': Object.values(outcome.perWorker),
			'contacts stored': outcome.contactsWritten,
			'wall s': Math.round(outcome.seconds),
			'push s': Math.round(outcome.pushSeconds),
			'records/s (push)': recordsPerSecond,
			'% of 800/s ceiling': Math.round((recordsPerSecond / CEILING_RECORDS_PER_SECOND) * 100),
			requests: outcome.pushRequests,
			'% 429': Number(((outcome.rateLimited429 / outcome.pushRequests) * 100).toFixed(2)),
		};
		return row;
	} finally {
		await topology.stop();
		await sandbox.close();
	}
}

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] === __filename) {
	void (async () => {
		const members = Number(argument('members') ?? 100_000);
		const slices = Number(argument('slices') ?? 4);
		const rows: QueueBenchRow[] = [];
		for (const workers of [1, 2]) {
			rows.push(await benchVariant(workers, members, slices));
			// Each variant takes minutes: its row is printed as soon as it is known.
			console.log(JSON.stringify(rows[rows.length - 1]));
		}
		console.table(rows);
		const met = rows.every(
			(row) =>
				row['% 429'] < 2 &&
				row['% of 800/s ceiling'] >= 90 &&
				row['slices per worker'].every((count) => count > 0),
		);
		console.log(
			`target (< 2% 429s, ≥ 90% of the ceiling, every worker took slices): ${met ? 'met' : 'NOT met'}`,
		);
		const dir = join(__dirname, '..', 'results');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'queue.json'), `${JSON.stringify(rows, null, 2)}\n`);
	})().catch((error: Error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
