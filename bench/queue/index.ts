/**
 * A full resync in queue mode (template 10): the members file cut into slices that run as
 * separate executions, one worker against two. On this machine the limit is Ometria's rate
 * (8 requests/s × 100 records = 800 records/s), so the figures to hold are the share of requests
 * answered 429 (< 2%) and the push throughput (≥ 90% of the ceiling), with both workers taking
 * part when there are two.
 *
 * The real-time burst (template 18): 50 deliveries a second for 5 minutes (15,000 events, 5%
 * sent twice at once, 10% repeated later) through the webhook process, two workers. The figures
 * to hold: every answer within 1 s, and everything in Ometria within 1.2× the time the account's
 * rate allows with 100 records per request (here the 5 minutes of the burst itself: 300 requests
 * at 8 a second take 38 s).
 *
 * Run: node scripts/run-ts.mjs bench/queue/index.ts [resync|burst] [--members 100000]
 *      [--slices 4] [--events 15000] [--rate 50]
 * Each variant starts its own sandbox and topology (about 2 minutes), then the resync
 * (members ÷ 800 seconds at the ceiling). N8N_VERSION pins n8n. The machine's load average is
 * recorded next to each figure: on a shared machine CPU, not Ometria, can be the limit.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { loadavg } from 'os';
import { join } from 'path';

import { startSandbox } from '../../sandbox';
import {
	answerTimes,
	burstEvents,
	ometriaEventId,
	publishBatched,
	REAL_TIME_EVENTS,
	sendBurst,
	waitForOmetria,
	webhookMembers,
} from '../../test/queue/support/burst';
import { publishResync, runResync, writeMembersFile } from '../../test/queue/support/resync';
import { importSandboxCredentials, startTopologyForTests } from '../../test/queue/support/topology';

const ACCOUNT_REQUESTS_PER_SECOND = 8;
const CEILING_RECORDS_PER_SECOND = ACCOUNT_REQUESTS_PER_SECOND * 100;

/** The machine's load average over 1 and 5 minutes, as `uptime` shows it. */
function loadAverage(): string {
	const [one, five] = loadavg();
	return `${one.toFixed(1)} / ${five.toFixed(1)}`;
}

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
	'load 1/5 min': string;
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
			'load 1/5 min': loadAverage(),
		};
		return row;
	} finally {
		await topology.stop();
		await sandbox.close();
	}
}

interface BurstBenchRow {
	events: number;
	'deliveries/s': number;
	'answers ≤ 1 s %': number;
	'answer p50/p95/p99/max ms': string;
	'not 200 at first': number;
	'drain s': number;
	'ideal s': number;
	'× ideal': number;
	requests: number;
	'% 429': number;
	'in Ometria': number;
	'sent twice': number;
	'load 1/5 min': string;
}

async function benchBurst(count: number, rate: number): Promise<BurstBenchRow> {
	const sandbox = await startSandbox({ members: 0 });
	const topology = await startTopologyForTests('bench-queue-burst');
	try {
		const credentials = await importSandboxCredentials(topology, sandbox);
		const { url } = await publishBatched(topology, sandbox, credentials);
		const events = burstEvents(sandbox, webhookMembers(sandbox), REAL_TIME_EVENTS, count, 1850);
		const counters = { ...sandbox.state.ometria.counters };
		const burst = await sendBurst({
			url,
			events,
			ratePerSecond: rate,
			twiceAtOnce: Math.round(count * 0.05),
			repeatedLater: Math.round(count * 0.1),
			timeoutMs: 30_000,
			onProgress: (started) => {
				if (started % 1000 === 0)
					console.error(`[bench] ${started} of ${count} sent, load ${loadAverage()}`);
			},
		});
		const load = loadAverage();
		const reached = await waitForOmetria(sandbox, events, 900_000);
		await sandbox.state.ometria.whenIdle();
		const now = sandbox.state.ometria.counters;
		const requests = now.pushRequests - counters.pushRequests;
		const first = burst.answers.filter((answer) => answer.kind !== 'redelivery');
		const times = answerTimes(first);
		const stored = events.filter((event) =>
			sandbox.state.ometria.events.has(ometriaEventId(event)),
		);
		const drain = (reached.lastReceivedAt - burst.startedAt) / 1000;
		// What the account allows: the burst itself, or its requests at the account's rate.
		const ideal = Math.max(burst.burstSeconds, requests / ACCOUNT_REQUESTS_PER_SECOND);
		return {
			events: count,
			'deliveries/s': burst.ratePerSecond,
			'answers ≤ 1 s %': Number(
				(((times.count - times.overOneSecond) / times.count) * 100).toFixed(2),
			),
			'answer p50/p95/p99/max ms': `${times.p50}/${times.p95}/${times.p99}/${times.max}`,
			'not 200 at first': first.filter((answer) => answer.status !== 200).length,
			'drain s': Math.round(drain),
			'ideal s': Math.round(ideal),
			'× ideal': Number((drain / ideal).toFixed(2)),
			requests,
			'% 429': Number(
				(
					((now.rateLimited429 +
						now.queueFull429 -
						counters.rateLimited429 -
						counters.queueFull429) /
						Math.max(1, requests)) *
					100
				).toFixed(2),
			),
			'in Ometria': stored.length,
			'sent twice': stored.filter(
				(event) => sandbox.state.ometria.events.get(ometriaEventId(event))!.duplicates > 0,
			).length,
			'load 1/5 min': load,
		};
	} finally {
		await topology.stop();
		await sandbox.close();
	}
}

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : undefined;
}

function save(name: string, rows: object[]) {
	const dir = join(__dirname, '..', 'results');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, name), `${JSON.stringify(rows, null, 2)}\n`);
}

async function resyncScenario() {
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
	save('queue.json', rows);
}

async function burstScenario() {
	const row = await benchBurst(
		Number(argument('events') ?? 15_000),
		Number(argument('rate') ?? 50),
	);
	console.table([row]);
	const met =
		row['answers ≤ 1 s %'] === 100 &&
		row['× ideal'] <= 1.2 &&
		row['sent twice'] === 0 &&
		row['in Ometria'] === row.events;
	console.log(
		`target (every answer ≤ 1 s, in Ometria within 1.2× the ideal, each event once): ${met ? 'met' : 'NOT met'}`,
	);
	save('queue-burst.json', [row]);
}

if (process.argv[1] === __filename) {
	const scenario = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
	void (async () => {
		if (scenario !== 'burst') await resyncScenario();
		if (scenario !== 'resync') await burstScenario();
	})().catch((error: Error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
