// Runs @n8n/scan-community-package's own analysis (the check n8n's verification runs) on the
// sources and on the tarball `npm pack` produces, and checks the tarball ships nothing but the
// build, README, LICENSE and package.json. Provenance and the registry download are the parts
// of the real scan that need a published package; everything else is the same code.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '../node_modules/@n8n/scan-community-package/scanner/scanner.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const allowedInTarball = [/^dist\//, /^README\.md$/, /^LICENSE$/, /^package\.json$/];

const work = mkdtempSync(join(tmpdir(), 'loyalty-sync-scan-'));
let failed = false;
try {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	const unexpected = packed.files
		.map((file) => file.path)
		.filter((path) => !allowedInTarball.some((re) => re.test(path)));
	console.log(
		`tarball ${packed.filename}: ${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} KiB`,
	);
	if (
		!packed.files.some((file) => file.path === 'LICENSE') ||
		!packed.files.some((file) => file.path === 'README.md')
	) {
		console.log('❌ tarball lacks README.md or LICENSE');
		failed = true;
	}
	if (unexpected.length > 0) {
		console.log(
			`❌ tarball ships files outside dist/, README, LICENSE, package.json:\n  ${unexpected.join('\n  ')}`,
		);
		failed = true;
	}

	const unpacked = join(work, 'package-contents');
	execFileSync('mkdir', ['-p', unpacked]);
	execFileSync('tar', [
		'-xzf',
		join(work, packed.filename),
		'-C',
		unpacked,
		'--strip-components=1',
	]);

	for (const [label, dir, patterns] of [
		['sources', root, SOURCE_FILE_PATTERNS],
		['packed tarball', unpacked, ['**/*.js', 'package.json']],
	]) {
		const result = await analyzePackage(dir, patterns);
		if (result.passed) {
			console.log(
				`✅ scanner analysis passed on the ${label}${result.message ? ` (${result.message})` : ''}`,
			);
		} else {
			failed = true;
			console.log(
				`❌ scanner analysis failed on the ${label}: ${result.message}\n${result.details ?? ''}`,
			);
		}
	}
	console.log(`(${readdirSync(unpacked).join(', ')})`);
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
