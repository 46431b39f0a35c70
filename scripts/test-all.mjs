// `npm test`: every check the project has, in the order a failure is cheapest to find.
// Static checks first (format, build, lint, n8n's scanner, types, dead code), then the three
// test layers.
// Ends with one "tests: N passed, N failed" line that CI reads (jest tests, plus one failure
// for each static step that failed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const resultsDir = mkdtempSync(join(tmpdir(), 'loyalty-sync-jest-'));

const steps = [
	{ name: 'system packages', cmd: ['bash', 'scripts/ensure-system-packages.sh'] },
	{ name: 'format', cmd: ['npm', 'run', '--silent', 'format:check'] },
	{ name: 'build', cmd: ['npm', 'run', '--silent', 'build'] },
	{ name: 'lint', cmd: ['npm', 'run', '--silent', 'lint'] },
	{ name: 'scan', cmd: ['npm', 'run', '--silent', 'scan'] },
	{ name: 'typecheck', cmd: ['npm', 'run', '--silent', 'typecheck'] },
	{ name: 'deadcode', cmd: ['npm', 'run', '--silent', 'deadcode'] },
	{ name: 'unit+workflow', jest: ['--selectProjects', 'unit', 'workflow'] },
	{ name: 'e2e', jest: ['--selectProjects', 'e2e', '--runInBand'] },
	{ name: 'security', jest: ['--selectProjects', 'security', '--runInBand'] },
	{ name: 'queue', jest: ['--selectProjects', 'queue', '--runInBand'] },
	{ name: 'editor', jest: ['--selectProjects', 'editor', '--runInBand'] },
];

let passed = 0;
let failed = 0;
const summary = [];
for (const step of steps) {
	if (only.length > 0 && !only.includes(step.name)) continue;
	console.log(`\n=== ${step.name}`);
	const started = Date.now();
	const resultFile = join(resultsDir, `${step.name}.json`);
	const cmd = step.jest
		? ['npx', 'jest', ...step.jest, '--json', `--outputFile=${resultFile}`]
		: step.cmd;
	const { status } = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit' });
	let detail = '';
	if (step.jest) {
		try {
			const result = JSON.parse(readFileSync(resultFile, 'utf8'));
			passed += result.numPassedTests;
			failed += result.numFailedTests + result.numRuntimeErrorTestSuites;
			detail = `${result.numPassedTests} passed, ${result.numFailedTests} failed`;
			if (result.numTotalTests === 0) {
				failed += 1;
				detail = 'no tests ran';
			}
		} catch {
			failed += 1;
			detail = 'jest wrote no results';
		}
	} else if (status !== 0) {
		failed += 1; // a failed static check counts as a failure; a passing one is not a test
	}
	summary.push([
		step.name,
		status === 0 ? 'ok' : 'FAILED',
		`${((Date.now() - started) / 1000).toFixed(0)} s`,
		detail,
	]);
}

console.log('\nstep            result  time    tests');
for (const [name, result, time, detail] of summary) {
	console.log(`${name.padEnd(16)}${result.padEnd(8)}${time.padEnd(8)}${detail}`);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
