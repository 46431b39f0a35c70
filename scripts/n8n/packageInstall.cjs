'use strict';
/** Installs the built package into an n8n user folder, and builds it when dist/ is stale. */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { REPO_ROOT } = require('./provisioning.cjs');

/**
 * Lays our package out in `<userFolder>/.n8n/nodes` exactly like n8n's CommunityPackagesService
 * does for an install from the registry: `npm pack` (so package.json `files` decides what ships),
 * extract into node_modules/<name>, drop dev/peer/optional dependencies from its package.json,
 * `npm install` its runtime dependencies (none today), and record it in nodes/package.json.
 * n8n's community-packages module then loads every package in nodes/node_modules at startup.
 */
function installPackage({ packageDir = REPO_ROOT, userFolder }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-sync-pack-'));
	try {
		const packed = JSON.parse(
			execFileSync(
				'npm',
				['pack', '--json', '--ignore-scripts', '--pack-destination', tmp, packageDir],
				{
					cwd: tmp,
					encoding: 'utf8',
					stdio: ['ignore', 'pipe', 'ignore'],
				},
			),
		)[0];
		const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		const declared = [...(manifest.n8n?.credentials ?? []), ...(manifest.n8n?.nodes ?? [])];
		const shipped = new Set(packed.files.map((file) => file.path));
		const missing = declared.filter((file) => !shipped.has(file));
		if (missing.length > 0) {
			throw new Error(
				`package ${packed.name} would ship without ${missing.join(', ')} (run npm run build)`,
			);
		}
		const target = path.join(nodesDir, 'node_modules', packed.name);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		execFileSync('tar', [
			'-xzf',
			path.join(tmp, packed.filename),
			'-C',
			target,
			'--strip-components=1',
		]);
		const pkgJsonPath = path.join(target, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...installed } = JSON.parse(
			fs.readFileSync(pkgJsonPath, 'utf8'),
		);
		fs.writeFileSync(pkgJsonPath, JSON.stringify(installed, null, 2));
		if (Object.keys(installed.dependencies ?? {}).length > 0) {
			execFileSync(
				'npm',
				[
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--package-lock=false',
				],
				{ cwd: target, stdio: 'ignore' },
			);
		}
		const nodesPackageJson = path.join(nodesDir, 'package.json');
		const nodesManifest = fs.existsSync(nodesPackageJson)
			? JSON.parse(fs.readFileSync(nodesPackageJson, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		nodesManifest.dependencies = { ...nodesManifest.dependencies, [packed.name]: packed.version };
		fs.writeFileSync(nodesPackageJson, JSON.stringify(nodesManifest, null, 2));
		return { name: packed.name, version: packed.version, dir: target, files: packed.files.length };
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/** True when every file package.json's `n8n` section names exists and is newer than the sources. */
function isBuildFresh(packageDir = REPO_ROOT) {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const outputs = [...(manifest.n8n?.credentials ?? []), ...(manifest.n8n?.nodes ?? [])].map(
		(file) => path.join(packageDir, file),
	);
	if (outputs.length === 0 || !outputs.every((file) => fs.existsSync(file))) return false;
	const oldestOutput = Math.min(...outputs.map((file) => fs.statSync(file).mtimeMs));
	const newestSource = Math.max(
		fs.statSync(path.join(packageDir, 'package.json')).mtimeMs,
		...['credentials', 'nodes'].flatMap((dir) => sourceMtimes(path.join(packageDir, dir))),
	);
	return newestSource <= oldestOutput;
}

function sourceMtimes(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceMtimes(file);
		return /\.(ts|json|svg|png)$/.test(entry.name) ? [fs.statSync(file).mtimeMs] : [];
	});
}

/** `npm run build` in the package; throws with the build output when it fails. */
function buildPackage(packageDir = REPO_ROOT) {
	const started = Date.now();
	try {
		execFileSync('npm', ['run', 'build'], {
			cwd: packageDir,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
	} catch (error) {
		throw new Error(
			`npm run build failed in ${packageDir}:\n${`${error.stdout ?? ''}${error.stderr ?? ''}`.slice(-6000)}`,
		);
	}
	return (Date.now() - started) / 1000;
}

module.exports = { buildPackage, installPackage, isBuildFresh };
