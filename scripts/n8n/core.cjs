'use strict';
/**
 * Drives a real n8n process: installs our package the way n8n's community-package installer
 * lays it out (packageInstall.cjs), starts `n8n start` under a watchdog (watchdog.cjs), and offers
 * the CLI (import/execute, here) and the internal REST API (restClient.cjs: owner login, publish,
 * executions, credential test). Provisioning and ports: provisioning.cjs. Everything is exported
 * from here, so callers need only this file.
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
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const { buildPackage, installPackage, isBuildFresh } = require('./packageInstall.cjs');
const { REPO_ROOT, defaultLog, freePort, provision } = require('./provisioning.cjs');
const { BROWSER_ID, N8nRestClient, OWNER, RestError, sleep } = require('./restClient.cjs');
const { TEST_ENCRYPTION_KEY, WATCHDOG, n8nEnv } = require('./watchdog.cjs');

/** A running n8n (`n8n start`) plus everything needed to drive it. */
class N8nInstance extends N8nRestClient {
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
		super({ url: `http://localhost:${port}` });
		this.provisioned = provisioned;
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.env = { ...n8nEnv({ provisioned, userFolder, port, brokerPort }), ...env };
		this.command = command;
		this.healthUrl = `http://localhost:${healthPort ?? port}/healthz/readiness`;
		this.log = log;
		this.logFile = path.join(userFolder, 'n8n.log');
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
				const seconds = (Date.now() - started) / 1000;
				// What each CLI process cost, kept for post-mortems of slow suites.
				fs.appendFileSync(
					path.join(this.userFolder, 'cli-timings.log'),
					`${new Date().toISOString()} ${args[0]} ${seconds.toFixed(1)} s exit ${code}\n`,
				);
				resolve({ code, stdout, stderr, seconds });
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
	 * Stores credentials `[{id?, name, type, data}]` with `data` in plain JSON; n8n encrypts it with
	 * N8N_ENCRYPTION_KEY. Through the running server where it can (as the editor saves them): one
	 * without an id is created (`POST /rest/credentials`, n8n picks the id), one this n8n already
	 * has is updated (`PATCH /rest/credentials/:id`). A new one under a given id (the fixtures')
	 * goes through one `n8n import:credentials`, since the REST API cannot choose an id.
	 */
	async importCredentials(credentials) {
		const serverUp = await this.isReady();
		const stored = [];
		const toImport = [];
		for (const { id, name, type, data } of credentials) {
			if (serverUp && id === undefined) {
				const created = await this.rest('POST', '/rest/credentials', { name, type, data });
				stored.push({ id: created.id, name, type });
				continue;
			}
			const credential = { id: id ?? newId(), name, type, data };
			stored.push({ id: credential.id, name, type });
			if (!(serverUp && (await this.updateCredential(credential)))) toImport.push(credential);
		}
		if (toImport.length > 0) {
			await this.cliOrThrow([
				'import:credentials',
				`--input=${this.writeImportFile('credentials', toImport)}`,
			]);
		}
		return stored;
	}

	/** `PATCH /rest/credentials/:id`; false when this n8n has no credential with that id. */
	async updateCredential({ id, name, type, data }) {
		try {
			await this.rest('PATCH', `/rest/credentials/${id}`, { name, type, data });
			return true;
		} catch (error) {
			if (error instanceof RestError && error.status === 404) return false;
			throw error;
		}
	}

	/**
	 * Saves a workflow in the running server as the editor's import does (`POST /rest/workflows`);
	 * returns its id (given in the JSON, or generated here). A CLI process per import costs 10 to
	 * 40 s on a 2-core machine, the REST call well under one. The same id again replaces the
	 * stored workflow as `n8n import:workflow` does: unpublished first, then overwritten.
	 */
	async importWorkflow(workflow) {
		const data = {
			settings: { executionOrder: 'v1' },
			...workflow,
			id: workflow.id ?? newId(),
		};
		try {
			await this.rest('POST', '/rest/workflows', data);
		} catch (error) {
			if (
				!(
					error instanceof RestError &&
					error.status === 400 &&
					/exists already/.test(error.message)
				)
			)
				throw error;
			const stored = await this.rest('GET', `/rest/workflows/${data.id}`);
			if (stored.activeVersionId)
				await this.rest('POST', `/rest/workflows/${data.id}/deactivate`, {});
			const { name, nodes, connections, settings, staticData = null, pinData = {} } = data;
			await this.rest('PATCH', `/rest/workflows/${data.id}?forceSave=true`, {
				name,
				nodes,
				connections,
				settings,
				staticData,
				pinData,
			});
		}
		return data.id;
	}

	/**
	 * Runs the workflow from a trigger (its Manual Trigger unless named) inside the running server,
	 * as the editor's "Execute workflow" button does (`POST /rest/workflows/:id/run`), and waits
	 * for the stored execution: `{exitCode: 0 when it succeeded, seconds, run}`. Not `n8n
	 * execute`: that boots a whole n8n per call (about 7 s of CPU) and, without n8n's modules,
	 * cannot run a Data Table node.
	 */
	async executeWorkflow(workflowId, { triggerName, timeoutMs = 300_000 } = {}) {
		const started = Date.now();
		const trigger =
			triggerName ??
			(await this.rest('GET', `/rest/workflows/${workflowId}`)).nodes.find(
				(node) => node.type === 'n8n-nodes-base.manualTrigger',
			)?.name;
		if (!trigger) throw new Error(`workflow ${workflowId} has no Manual Trigger to run from`);
		const { executionId } = await this.rest('POST', `/rest/workflows/${workflowId}/run`, {
			triggerToStartFrom: { name: trigger },
		});
		for (;;) {
			const execution = await this.getExecution(executionId);
			if (!['new', 'running', 'waiting'].includes(execution.status)) {
				const { status, mode, startedAt, stoppedAt, data } = execution;
				return {
					exitCode: status === 'success' ? 0 : 1,
					seconds: (Date.now() - started) / 1000,
					run: { status, mode, startedAt, stoppedAt, data },
				};
			}
			if (Date.now() - started > timeoutMs)
				throw new Error(`execution ${executionId} of ${workflowId} still ${execution.status}`);
			await sleep(250);
		}
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
	provision,
	sleep,
	startN8n,
	summarizeRun,
};
