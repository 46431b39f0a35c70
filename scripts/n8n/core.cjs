'use strict';
/**
 * Drives a real n8n process: installs our package the way n8n's community-package installer
 * lays it out, starts `n8n start`, and offers the CLI (import/execute) and the internal REST API
 * (owner login, publish, executions, credential test).
 *
 * CommonJS on purpose: jest (ts-jest, CommonJS) cannot load an ES module without
 * --experimental-vm-modules, and test/e2e/support/n8n.ts must share this code with the .mjs
 * scripts (instance.mjs re-exports it). Plain Node, no dependencies.
 *
 * How the pieces talk to n8n 2.40/2.41 (checked against its dist/ sources and by running it):
 * - CLI commands (`import:*`, `execute`) run in their own process against the same SQLite file
 *   while `n8n start` runs; the server reads workflows/credentials from the DB on use, so it sees
 *   imports at once. `execute` starts its own task-runner broker, so every CLI call gets a free
 *   N8N_RUNNERS_BROKER_PORT of its own.
 * - Publishing (activating) a workflow goes through the internal REST API
 *   (`POST /rest/workflows/:id/activate {versionId}`), logged in as the owner
 *   (`POST /rest/owner/setup` on a fresh DB, `POST /rest/login` afterwards, cookie `n8n-auth`),
 *   then `GET /rest/workflows/:id/publication-status` until the triggers are live. In 2.40.7 and
 *   2.41.1 `n8n publish:workflow` from the CLI also goes live without a restart (the server
 *   drains a publication outbox table), but nothing tells the caller when; older 2.x needed a
 *   restart. The public API would need an API key created through that same login.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PROVISION_SCRIPT = path.join(__dirname, 'provision.mjs');

/** Fixed so credentials imported in one run decrypt in the next (tests and demo only). */
const TEST_ENCRYPTION_KEY = 'loyalty-sync-e2e-not-a-secret-0001';

/** The owner account every provisioned instance gets (local throwaway instances only). */
const OWNER = Object.freeze({
	email: 'owner@loyalty-sync.test',
	password: 'LoyaltySync-demo-1',
	firstName: 'Loyalty',
	lastName: 'Sync',
});

/** n8n binds the auth cookie to this header's hash; any constant works for a script client. */
const BROWSER_ID = 'loyalty-sync-e2e';

// ---------------------------------------------------------------------------------------------
// Provisioning and ports

/** Runs provision.mjs (fast when cached) and returns its JSON result (last stdout line). */
function provision({ log = defaultLog } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [PROVISION_SCRIPT], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => log(chunk.toString().trimEnd()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`provision.mjs exited ${code}`));
			const lastLine = stdout.trim().split('\n').pop();
			resolve(JSON.parse(lastLine));
		});
	});
}

/** A port the OS says is free right now (tiny race window accepted; n8n fails loudly if taken). */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function defaultLog(...args) {
	console.error('[n8n]', ...args);
}

// ---------------------------------------------------------------------------------------------
// Package install

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

// ---------------------------------------------------------------------------------------------
// Process control

/** Environment for the server and every CLI call against the same user folder. */
function n8nEnv({ provisioned, userFolder, port, brokerPort }) {
	const env = { ...process.env };
	// Settings from the caller's shell must not leak into a throwaway instance.
	for (const key of Object.keys(env))
		if (/^(N8N_|DB_|EXECUTIONS_|WEBHOOK_URL$|QUEUE_)/.test(key)) delete env[key];
	return {
		...env,
		PATH: `${provisioned.node.binDir}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// No internet here: these only produce noise and slow requests to api.n8n.io.
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		// The demo editor is reached over plain http.
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// Executions started from the CLI are kept, so listExecutions() can see them.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		NODE_ENV: 'production',
	};
}

/**
 * Starts a child through a tiny watchdog: if our process dies without calling stop() (jest
 * killed, Ctrl-C), the watchdog sees its stdin close and takes n8n's whole process group (n8n
 * plus its task runner) down with it, so no orphan keeps ports and 500 MB of memory.
 */
const WATCHDOG = `
const { spawn } = require('node:child_process');
const [bin, ...args] = process.argv.slice(1);
const child = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
let stopping = false;
const kill = (signal) => { try { process.kill(-child.pid, signal); } catch {} };
const stop = () => {
	if (stopping) return;
	stopping = true;
	kill('SIGTERM');
	setTimeout(() => kill('SIGKILL'), 20000).unref();
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code, signal) => { kill('SIGKILL'); process.exit(code ?? (signal ? 1 : 0)); });
`;

class RestError extends Error {
	constructor(method, urlPath, status, body) {
		super(
			`${method} ${urlPath} → ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`.slice(
				0,
				2000,
			),
		);
		this.status = status;
		this.body = body;
	}
}

/** A running n8n (`n8n start`) plus everything needed to drive it. */
class N8nInstance {
	/**
	 * `command` is the n8n command this process runs (`start`; queue mode also `worker`,
	 * `webhook`), `env` is laid over n8nEnv(), and `healthPort` is where `/healthz/readiness`
	 * answers when that is not the main port (a worker's QUEUE_HEALTH_CHECK_PORT).
	 */
	constructor({
		provisioned,
		userFolder,
		port,
		brokerPort,
		log,
		command = ['start'],
		env = {},
		healthPort,
	}) {
		this.provisioned = provisioned;
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.url = `http://localhost:${port}`;
		this.env = { ...n8nEnv({ provisioned, userFolder, port, brokerPort }), ...env };
		this.command = command;
		this.healthUrl = `http://localhost:${healthPort ?? port}/healthz/readiness`;
		this.owner = OWNER;
		this.log = log;
		this.logFile = path.join(userFolder, 'n8n.log');
		this.cookie = undefined;
		this.outputTail = '';
		this.process = undefined;
	}

	/** Spawns n8n (`this.command`) and waits until it answers its readiness check. */
	async start({ timeoutMs = 180_000 } = {}) {
		const started = Date.now();
		const logStream = fs.createWriteStream(this.logFile, { flags: 'a' });
		const child = spawn(
			process.execPath,
			['-e', WATCHDOG, this.provisioned.node.bin, this.provisioned.n8n.bin, ...this.command],
			{ cwd: this.userFolder, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] },
		);
		this.process = child;
		const onOutput = (chunk) => {
			logStream.write(chunk);
			this.outputTail = (this.outputTail + chunk.toString()).slice(-20_000);
		};
		child.stdout.on('data', onOutput);
		child.stderr.on('data', onOutput);
		this.exited = new Promise((resolve) =>
			child.on('exit', (code) => {
				logStream.end();
				this.process = undefined;
				resolve(code);
			}),
		);
		let exitCode;
		this.exited.then((code) => (exitCode = code));
		while (Date.now() - started < timeoutMs) {
			if (exitCode !== undefined) {
				throw new Error(
					`n8n exited with ${exitCode} before it was ready:\n${this.outputTail.slice(-4000)}`,
				);
			}
			if (await this.isReady()) {
				this.startSeconds = (Date.now() - started) / 1000;
				return this;
			}
			await sleep(500);
		}
		await this.stop();
		throw new Error(
			`n8n was not ready within ${timeoutMs / 1000} s:\n${this.outputTail.slice(-4000)}`,
		);
	}

	async isReady() {
		try {
			const response = await fetch(this.healthUrl, {
				signal: AbortSignal.timeout(2000),
			});
			return response.ok;
		} catch {
			return false;
		}
	}

	/** Stops n8n (graceful, then SIGKILL after 20 s through the watchdog). Safe to call twice. */
	async stop() {
		const child = this.process;
		if (!child) return;
		child.stdin.end();
		const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
		await this.exited;
		clearTimeout(timer);
	}

	/** Stop and start again on the same user folder and ports (e.g. after `n8n publish:workflow`). */
	async restart() {
		if (this.shared) {
			throw new Error(
				'the e2e suites share this n8n, so one suite cannot restart it: call startN8nForTests({ fresh: true })',
			);
		}
		await this.stop();
		this.cookie = undefined;
		await this.start();
	}

	/**
	 * Runs `n8n <args>` against this instance's user folder and DB. Each call gets its own
	 * task-runner broker port: `execute` starts a broker, and the server's port is taken.
	 */
	async cli(args, { timeoutMs = 180_000, cwd = this.userFolder } = {}) {
		const env = { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		const started = Date.now();
		return await new Promise((resolve, reject) => {
			const child = spawn(this.provisioned.node.bin, [this.provisioned.n8n.bin, ...args], {
				cwd,
				env,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
			});
		});
	}

	async cliOrThrow(args) {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited ${result.code}:\n${(result.stdout + result.stderr).slice(-4000)}`,
			);
		}
		return result;
	}

	/** Writes a JSON file the CLI can import (kept in the user folder for post-mortems). */
	writeImportFile(prefix, data) {
		const dir = path.join(this.userFolder, 'imports');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(
			dir,
			`${prefix}-${Date.now()}-${crypto.randomBytes(3).toString('hex')}.json`,
		);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/**
	 * `n8n import:credentials`: `[{id, name, type, data}]` with `data` in plain JSON; n8n encrypts
	 * it with N8N_ENCRYPTION_KEY. Same id → overwritten.
	 */
	async importCredentials(credentials) {
		const list = credentials.map((credential) => ({ id: credential.id ?? newId(), ...credential }));
		await this.cliOrThrow([
			'import:credentials',
			`--input=${this.writeImportFile('credentials', list)}`,
		]);
		return list.map(({ id, name, type }) => ({ id, name, type }));
	}

	/** `n8n import:workflow`; returns the workflow id (given in the JSON, or generated here). */
	async importWorkflow(workflow) {
		const data = {
			active: false,
			settings: { executionOrder: 'v1' },
			...workflow,
			id: workflow.id ?? newId(),
		};
		await this.cliOrThrow([
			'import:workflow',
			`--input=${this.writeImportFile('workflow', [data])}`,
		]);
		return data.id;
	}

	/**
	 * `n8n execute --id` runs the workflow in a CLI process (from its Manual Trigger) and prints the
	 * run as JSON after log lines; it exits non-zero when the run failed, still printing the run.
	 */
	async executeWorkflow(workflowId) {
		const result = await this.cli(['execute', `--id=${workflowId}`]);
		const output = `${result.stdout}\n${result.stderr}`;
		const run = parseExecuteOutput(output);
		if (!run) {
			throw new Error(
				`n8n execute --id=${workflowId} exited ${result.code} without a run:\n${output.slice(-4000)}`,
			);
		}
		return { exitCode: result.code, seconds: result.seconds, run, output };
	}

	// --- internal REST API ---------------------------------------------------------------------

	/** Sets up the owner on a fresh DB, or logs in; keeps the `n8n-auth` cookie. */
	async login() {
		const settings = await this.rest('GET', '/rest/settings', undefined, { auth: false });
		const needsSetup = settings?.userManagement?.showSetupOnFirstLoad === true;
		const response = needsSetup
			? await this.request('POST', '/rest/owner/setup', OWNER)
			: await this.request('POST', '/rest/login', {
					emailOrLdapLoginId: OWNER.email,
					password: OWNER.password,
				});
		if (!response.ok)
			throw new RestError(
				'POST',
				needsSetup ? '/rest/owner/setup' : '/rest/login',
				response.status,
				await response.text(),
			);
		const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		if (!cookie) throw new Error('n8n login returned no n8n-auth cookie');
		this.cookie = cookie.split(';')[0];
		return OWNER;
	}

	async request(method, urlPath, body) {
		return await fetch(`${this.url}${urlPath}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
	}

	/** Calls the internal REST API as the owner and unwraps n8n's `{data}` envelope. */
	async rest(method, urlPath, body, { auth = true } = {}) {
		// One login for concurrent callers: a second owner setup re-hashes the password and so
		// invalidates the first cookie.
		if (auth && !this.cookie)
			await (this.loggingIn ??= this.login().finally(() => (this.loggingIn = undefined)));
		const response = await this.request(method, urlPath, body);
		const text = await response.text();
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
		if (!response.ok) throw new RestError(method, urlPath, response.status, parsed);
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	/**
	 * Checks that n8n loaded our package: its credential and node types are in the editor's type
	 * lists (served to logged-in users only). A package that fails to load is only logged by n8n.
	 */
	async assertPackageLoaded(packageDir = REPO_ROOT) {
		const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
		const [credentialTypes, nodeTypes] = await Promise.all([
			this.rest('GET', '/types/credentials.json'),
			this.rest('GET', '/types/nodes.json'),
		]);
		const loadedCredentials = new Set(credentialTypes.map((type) => type.name));
		const loadedNodes = new Set(nodeTypes.map((type) => type.name));
		const missing = [
			...(manifest.n8n?.credentials ?? []).map((file) => ({
				file,
				loaded: loadedCredentials,
				prefix: '',
			})),
			...(manifest.n8n?.nodes ?? []).map((file) => ({
				file,
				loaded: loadedNodes,
				prefix: `${manifest.name}.`,
			})),
		].filter(({ file, loaded, prefix }) => {
			// n8n names types by the class's `name`; the file name only tells us the class.
			const className = path.basename(file).split('.')[0];
			const typeName = className.charAt(0).toLowerCase() + className.slice(1);
			return !loaded.has(`${prefix}${typeName}`);
		});
		if (missing.length > 0) {
			throw new Error(
				`n8n did not load ${missing.map(({ file }) => file).join(', ')} from ${manifest.name}; see ${this.logFile}`,
			);
		}
	}

	/**
	 * Activates ("publishes") the workflow's current version inside the running server and waits
	 * until its triggers are live. Since 2.41 activation goes through a publication outbox that is
	 * drained in the background, so the activate call returns before webhooks are registered;
	 * `GET /rest/workflows/:id/publication-status` says when they are (404 where there is no
	 * outbox, and activation was synchronous).
	 */
	async publishWorkflow(workflowId, { timeoutMs = 60_000 } = {}) {
		const { versionId } = await this.rest('GET', `/rest/workflows/${workflowId}`);
		const workflow = await this.rest('POST', `/rest/workflows/${workflowId}/activate`, {
			versionId,
		});
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let publication;
			try {
				publication = await this.rest('GET', `/rest/workflows/${workflowId}/publication-status`);
			} catch (error) {
				if (error.status === 404) return workflow;
				throw error;
			}
			if (publication.status === 'published' && publication.liveVersionId === versionId)
				return workflow;
			if (publication.status === 'failed' || publication.status === 'partial') {
				throw new Error(
					`publishing ${workflowId} ${publication.status}: ${JSON.stringify(publication.triggers)}`,
				);
			}
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${workflowId} not published within ${timeoutMs} ms: ${JSON.stringify(publication)}`,
				);
			}
			await sleep(200);
		}
	}

	/** Production webhook URL for a Webhook node's `path`. */
	productionWebhookUrl(webhookPath) {
		return `${this.url}/webhook/${webhookPath.replace(/^\/+/, '')}`;
	}

	/** Executions of a workflow, newest first: `{id, status, mode, startedAt, stoppedAt, ...}`. */
	async listExecutions(workflowId, { limit = 100 } = {}) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const page = await this.rest('GET', `/rest/executions?filter=${filter}&limit=${limit}`);
		return page.results;
	}

	/** One execution with its run data (n8n stores and sends it `flatted`-encoded). */
	async getExecution(executionId) {
		const execution = await this.rest('GET', `/rest/executions/${executionId}`);
		if (typeof execution.data === 'string') {
			const flatted = require(path.join(this.provisioned.n8n.dir, 'node_modules', 'flatted'));
			execution.data = flatted.parse(execution.data);
		}
		return execution;
	}

	/**
	 * What another process needs to drive this running n8n (attachN8n): the server keeps running
	 * in the process that started it.
	 */
	connection() {
		return {
			provisioned: this.provisioned,
			userFolder: this.userFolder,
			port: this.port,
			brokerPort: this.brokerPort,
			startSeconds: this.startSeconds,
			installedPackage: this.installedPackage,
		};
	}

	/**
	 * Leaves the n8n as a fresh one looks to a test suite: no executions, no workflows (so no live
	 * webhooks), no Data Tables. Credentials stay; suites import theirs by id, which overwrites.
	 */
	async clearSuiteState() {
		const listOf = (answer) => (Array.isArray(answer) ? answer : (answer?.data ?? []));
		// Executions first: n8n deletes only executions of workflows that still exist.
		await this.rest('POST', '/rest/executions/delete', {
			deleteBefore: new Date(Date.now() + 60_000).toISOString(),
		});
		const archived = encodeURIComponent(JSON.stringify({ isArchived: true }));
		const workflows = [
			...listOf(await this.rest('GET', '/rest/workflows')),
			...listOf(await this.rest('GET', `/rest/workflows?filter=${archived}`)),
		];
		for (const workflow of workflows) {
			if (workflow.active) await this.rest('POST', `/rest/workflows/${workflow.id}/deactivate`, {});
			if (!workflow.isArchived)
				await this.rest('POST', `/rest/workflows/${workflow.id}/archive`, {});
			await this.rest('DELETE', `/rest/workflows/${workflow.id}`);
		}
		// The suites' tables live in the owner's personal project, as the templates create them.
		const { id: projectId } = await this.rest('GET', '/rest/projects/personal');
		const tables = `/rest/projects/${projectId}/data-tables`;
		for (const table of listOf(await this.rest('GET', tables))) {
			await this.rest('DELETE', `${tables}/${table.id}`);
		}
	}

	/**
	 * The editor's "Test" button for a credential: `POST /rest/credentials/test`. With `data` the
	 * given values are tested (merged over the stored ones), without it the stored credential.
	 * Resolves to `{status: 'OK' | 'Error', message}`.
	 */
	async testCredential({ id, name = '', type, data }) {
		return await this.rest('POST', '/rest/credentials/test', {
			credentials: { id, name, type, data },
		});
	}
}

/** Starts n8n with our package installed; picks free ports and a temp user folder if not given. */
async function startN8n(options = {}) {
	const log = options.log ?? defaultLog;
	const provisioned = options.provisioned ?? (await provision({ log }));
	const userFolder =
		options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-sync-n8n-'));
	fs.mkdirSync(userFolder, { recursive: true });
	const installed = installPackage({ packageDir: options.packageDir ?? REPO_ROOT, userFolder });
	const instance = new N8nInstance({
		provisioned,
		userFolder,
		port: options.port ?? (await freePort()),
		brokerPort: options.brokerPort ?? (await freePort()),
		log,
	});
	instance.installedPackage = installed;
	await instance.start({ timeoutMs: options.timeoutMs });
	try {
		// Also sets up the owner, so the editor login is known from the start.
		await instance.assertPackageLoaded(options.packageDir ?? REPO_ROOT);
	} catch (error) {
		await instance.stop();
		throw error;
	}
	return instance;
}

/**
 * Drives an n8n another process started (its `connection()`), e.g. the one the e2e suites share.
 * stop() does nothing here and restart() refuses: the n8n belongs to the process that started it.
 */
function attachN8n(connection, { log = defaultLog } = {}) {
	const instance = new N8nInstance({ ...connection, log });
	instance.shared = true;
	instance.startSeconds = connection.startSeconds;
	instance.installedPackage = connection.installedPackage;
	return instance;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Finds the run JSON in `n8n execute` output. On success it follows "Execution was successful:"
 * and a rule; on failure it is logged line by line after "Execution error:". Log lines around it
 * may contain braces, so every `{` that starts a line is tried with a string-aware brace matcher,
 * and the last object that looks like a run (`data.resultData`) wins.
 */
function parseExecuteOutput(text) {
	let found;
	for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
		if (start > 0 && text[start - 1] !== '\n') continue;
		const end = matchingBrace(text, start);
		if (end === -1) continue;
		try {
			const value = JSON.parse(text.slice(start, end + 1));
			if (value && typeof value === 'object' && value.data?.resultData) {
				found = value;
				start = end;
			}
		} catch {
			// Not JSON (a log line that happens to start with a brace): keep scanning.
		}
	}
	return found;
}

function matchingBrace(text, start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i += 1) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i += 1;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{' || char === '[') depth += 1;
		else if (char === '}' || char === ']') {
			depth -= 1;
			if (depth === 0) return i;
		}
	}
	return -1;
}

/**
 * Reads a JSON fixture (test/e2e/fixtures, workflows-templates) and replaces `__NAME__` tokens in
 * its strings, e.g. `__SANDBOX_URL__`, so one file serves every sandbox port.
 */
function loadJson(file, replacements = {}) {
	let text = fs.readFileSync(path.resolve(REPO_ROOT, file), 'utf8');
	for (const [name, value] of Object.entries(replacements))
		text = text.split(`__${name}__`).join(value);
	const leftover = /__([A-Z][A-Z0-9_]*)__/.exec(text);
	if (leftover) throw new Error(`${file}: no value for placeholder ${leftover[0]}`);
	return JSON.parse(text);
}

/** n8n-style id: 16 alphanumerics. */
function newId() {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(crypto.randomBytes(16), (byte) => alphabet[byte % alphabet.length]).join('');
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Summary of a run from `n8n execute`: status, error, items per node. */
function summarizeRun(run) {
	const resultData = run.data.resultData;
	const nodes = Object.fromEntries(
		Object.entries(resultData.runData ?? {}).map(([name, runs]) => {
			const last = runs[runs.length - 1];
			return [
				name,
				{
					status: last.executionStatus ?? (last.error ? 'error' : 'success'),
					items: (last.data?.main ?? []).reduce((sum, output) => sum + (output?.length ?? 0), 0),
					error: last.error?.message,
					httpCode: last.error?.httpCode,
				},
			];
		}),
	);
	return {
		status: run.status ?? (resultData.error ? 'error' : 'success'),
		error: resultData.error?.message,
		lastNode: resultData.lastNodeExecuted,
		nodes,
	};
}

module.exports = {
	BROWSER_ID,
	WATCHDOG,
	N8nInstance,
	OWNER,
	REPO_ROOT,
	RestError,
	TEST_ENCRYPTION_KEY,
	attachN8n,
	buildPackage,
	isBuildFresh,
	freePort,
	installPackage,
	loadJson,
	n8nEnv,
	newId,
	parseExecuteOutput,
	provision,
	sleep,
	startN8n,
	summarizeRun,
};
