// `npm run bench [-- NAME ...]`: every benchmark, or the named ones, each printing its own table.
// They start their own sandbox (and a real n8n where they compare against n8n's own nodes) and
// write JSON results to bench/results/. Targets live here, never in timed unit tests.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benches = [
	{
		name: 'transform',
		file: 'bench/transform/index.ts',
		why: 'Tier Evaluate and Segment Build: modules on 1M members, nodes vs a Code node in n8n',
	},
	{
		name: 'ometria-push',
		file: 'bench/ometria-push/index.ts',
		why: 'Ometria push throughput against the 800 records/s ceiling, vs the HTTP Request node',
	},
	{
		name: 'annex-profile',
		file: 'bench/annex-profile/index.ts',
		why: 'Annex Cloud loyalty profiles per second at several concurrencies',
	},
	{
		name: 'nightly',
		file: 'bench/nightly/index.ts',
		why: 'Template 02 on the member feed in a real n8n: 1M members 2% changed, full resync, vs plain n8n',
	},
	{
		name: 'queue',
		file: 'bench/queue/index.ts',
		why: 'full resync in queue mode, one worker vs two: 429 share and throughput vs 800 records/s',
	},
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !benches.some((bench) => bench.name === name));
if (unknown.length > 0) {
	console.error(
		`unknown benchmark ${unknown.join(', ')}; known: ${benches.map((bench) => bench.name).join(', ')}`,
	);
	process.exit(2);
}

let failed = 0;
for (const bench of benches.filter(
	(candidate) => wanted.length === 0 || wanted.includes(candidate.name),
)) {
	console.log(`\n=== ${bench.name}: ${bench.why}`);
	const { status } = spawnSync(
		process.execPath,
		['--max-old-space-size=6000', 'scripts/run-ts.mjs', bench.file],
		{ cwd: root, stdio: 'inherit' },
	);
	if (status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
