'use strict';
/**
 * n8n's queue mode on one machine, the way a production setup is laid out: Redis (the job queue),
 * PostgreSQL (workflows, credentials, executions, Data Tables), one main process (`n8n start`:
 * editor, REST API, triggers, schedules), workers (`n8n worker --concurrency=N`, which run the
 * executions) and a webhook process (`n8n webhook`, which takes production webhook calls and puts
 * their executions on the queue). Every n8n process has its own user folder with our package
 * installed into its `.n8n/nodes` from the packed tarball, and all share N8N_ENCRYPTION_KEY.
 *
 * Redis and PostgreSQL are Debian's packages (scripts/ensure-system-packages.sh installs them),
 * started here in the foreground on free ports with their data in a temp folder, so several
 * topologies can run at once and nothing is left behind. PostgreSQL refuses to run as root, so
 * when we are root it runs as the `postgres` user through runuser.
 *
 * CommonJS for the same reason as core.cjs: jest requires it; queue.mjs is the command line.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const {
	N8nInstance,
	REPO_ROOT,
	TEST_ENCRYPTION_KEY,
	WATCHDOG,
	freePort,
	installPackage,
	provision,
	sleep,
} = require('./core.cjs');

const POSTGRES_USER = 'n8n';
const POSTGRES_DATABASE = 'n8n';

function defaultLog(...args) {
	console.error('[queue]', ...args);
}

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`). */
function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((name) => fs.existsSync(path.join(root, name, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (majors.length === 0) {
		throw new Error(
			'PostgreSQL server binaries not found under /usr/lib/postgresql: run scripts/ensure-system-packages.sh',
		);
	}
	return path.join(root, majors[0], 'bin');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs as the `postgres` system user when we are root (PostgreSQL refuses root). */
function asPostgresUser(bin, args) {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

/**
 * The process group of the program a core.cjs watchdog started (it starts it detached, so its pid
 * is the group id): signalling the group reaches n8n's task runner or runuser's child too.
 */
function watchedGroupId(watchdog) {
	const file = `/proc/${watchdog.pid}/task/${watchdog.pid}/children`;
	const [first] = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split(/\s+/) : [];
	return first ? Number(first) : undefined;
}

/**
 * A long-running service (Redis, PostgreSQL, an n8n process) behind core.cjs' watchdog, so it
 * dies with us. `stop(signal)` signals its whole process group and waits for it to exit.
 */
class Service {
	constructor({ name, cmd, args, env, cwd, logFile }) {
		Object.assign(this, { name, cmd, args, env, cwd, logFile });
		this.process = undefined;
	}

	start() {
		const log = fs.createWriteStream(this.logFile, { flags: 'a' });
		const child = spawn(process.execPath, ['-e', WATCHDOG, this.cmd, ...this.args], {
			cwd: this.cwd,
			env: this.env ?? process.env,
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		child.stdout.pipe(log);
		child.stderr.pipe(log);
		this.process = child;
		this.exited = new Promise((resolve) =>
			child.on('exit', (code) => {
				this.process = undefined;
				resolve(code);
			}),
		);
		return this;
	}

	/** Sends `signal` to the program's group (SIGKILL: no chance to clean up) and waits for exit. */
	async stop(signal = 'SIGTERM', { timeoutMs = 30_000 } = {}) {
		const child = this.process;
		if (!child) return;
		const group = watchedGroupId(child);
		if (group) {
			try {
				process.kill(-group, signal);
			} catch {
				// Already gone: the watchdog exits with it.
			}
		} else child.stdin.end();
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		await this.exited;
		clearTimeout(timer);
	}
}

/** How long an n8n process may take to start (n8n's own checks allow 180 s by default). */
const STARTUP_TIMEOUT_MS = 600_000;

async function waitFor(what, check, { timeoutMs = 60_000, service } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (service && !service.process)
			throw new Error(`${what}: process exited; see ${service.logFile}`);
		if (await check()) return;
		await sleep(250);
	}
	throw new Error(`${what} not ready within ${timeoutMs / 1000} s`);
}

function runsOk(cmd, args) {
	try {
		execFileSync(cmd, args, { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Redis with no persistence: a restart is an empty queue, as after losing a Redis box. */
class RedisService extends Service {
	constructor({ dir, port }) {
		super({
			name: 'redis',
			cmd: 'redis-server',
			args: [
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--daemonize',
				'no',
				'--dir',
				dir,
			],
			cwd: dir,
			logFile: path.join(dir, 'redis.log'),
		});
		this.port = port;
	}

	async ready() {
		await waitFor(
			'redis',
			() => runsOk('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), 'ping']),
			{ service: this },
		);
		return this;
	}
}

/** PostgreSQL in a throwaway cluster: initdb with trust auth, one database for n8n. */
class PostgresService extends Service {
	constructor({ dir, port }) {
		const binDir = postgresBinDir();
		const dataDir = path.join(dir, 'data');
		const [cmd, args] = asPostgresUser(path.join(binDir, 'postgres'), [
			'-D',
			dataDir,
			'-p',
			String(port),
			'-k',
			dir,
			'-c',
			'listen_addresses=127.0.0.1',
			// Throwaway data: no need to wait for the disk.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'max_connections=200',
		]);
		super({ name: 'postgres', cmd, args, cwd: dir, logFile: path.join(dir, 'postgres.log') });
		Object.assign(this, { binDir, dataDir, dir, port });
	}

	initialise() {
		fs.mkdirSync(this.dataDir, { recursive: true });
		if (isRoot()) execFileSync('chown', ['-R', 'postgres:', this.dir]);
		const [cmd, args] = asPostgresUser(path.join(this.binDir, 'initdb'), [
			'-D',
			this.dataDir,
			'-U',
			POSTGRES_USER,
			'--auth=trust',
			'--encoding=UTF8',
			'--no-sync',
		]);
		execFileSync(cmd, args, { stdio: 'ignore', cwd: this.dir });
		return this;
	}

	psqlArgs(sql, database = 'postgres') {
		return [
			'-h',
			'127.0.0.1',
			'-p',
			String(this.port),
			'-U',
			POSTGRES_USER,
			'-d',
			database,
			'-tAc',
			sql,
		];
	}

	/** Runs SQL as the n8n database user and returns the rows as text. */
	query(sql, database = POSTGRES_DATABASE) {
		return execFileSync('psql', this.psqlArgs(sql, database), { encoding: 'utf8' }).trim();
	}

	async ready({ create = false } = {}) {
		await waitFor('postgres', () => runsOk('psql', this.psqlArgs('select 1')), { service: this });
		if (create) execFileSync('psql', this.psqlArgs(`create database ${POSTGRES_DATABASE}`));
		return this;
	}
}

/** What every n8n process of the topology shares (besides the encryption key). */
function queueEnv({ redisPort, postgresPort, webhookPort }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		// n8n exits when Redis stays unreachable longer than this (default 10 s); a process manager
		// would restart it, here nothing does, so ride out a minute of Redis outage instead.
		QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '60000',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgresPort),
		DB_POSTGRESDB_DATABASE: POSTGRES_DATABASE,
		DB_POSTGRESDB_USER: POSTGRES_USER,
		DB_POSTGRESDB_PASSWORD: '',
		// n8n's default pool of 2 connections starves a webhook process taking 20 deliveries/s
		// (each creates an execution row): requests wait, time out, and the process reports 503.
		DB_POSTGRESDB_POOL_SIZE: '20',
		// n8n pings its database every 2 s and, after 3 pings slower than 5 s, tears the
		// connection down and fails every query in flight ("Driver not Connected"). On a host
		// whose CPU is shared, pings queue behind a busy pool: allow slower pings before that.
		DB_PING_TIMEOUT_MS: '30000',
		DB_PING_MAX_FAILURES_BEFORE_RECOVERY: '5',
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		// Production webhook URLs shown in the editor point at the webhook process.
		WEBHOOK_URL: `http://localhost:${webhookPort}/`,
		// The main process leaves production webhooks to the webhook process.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		// Run data lives in PostgreSQL; the filesystem mode would strand it on one process.
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// "Worker started execution <id>" (info) is what tells us which worker ran what.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
	};
}

/**
 * The running topology. `main` is an N8nInstance (REST API, import, publish, executions);
 * `workers[i]` and `webhook` are N8nInstances of their own commands.
 */
class QueueTopology {
	constructor({ root, provisioned, packageDir, workerCount, concurrency, env, log }) {
		Object.assign(this, { root, provisioned, packageDir, workerCount, concurrency, env, log });
		this.workers = [];
	}

	async start() {
		const started = Date.now();
		const [redisPort, postgresPort, mainPort, webhookPort] = await Promise.all([
			freePort(),
			freePort(),
			freePort(),
			freePort(),
		]);
		this.ports = { redis: redisPort, postgres: postgresPort, main: mainPort, webhook: webhookPort };
		const serviceDir = (name) => {
			const dir = path.join(this.root, name);
			fs.mkdirSync(dir, { recursive: true });
			return dir;
		};
		this.redis = new RedisService({ dir: serviceDir('redis'), port: redisPort }).start();
		this.postgres = new PostgresService({ dir: serviceDir('postgres'), port: postgresPort })
			.initialise()
			.start();
		await Promise.all([this.redis.ready(), this.postgres.ready({ create: true })]);
		// The "shared volume" every process reads files from (Read/Write Files from Disk).
		this.filesDir = serviceDir('files');
		this.sharedEnv = {
			...queueEnv({ redisPort, postgresPort, webhookPort }),
			N8N_RESTRICT_FILE_ACCESS_TO: this.filesDir,
			...this.env,
		};
		this.log(`redis :${redisPort}, postgres :${postgresPort} ready`);

		// The main process runs the DB migrations; the others start once it is up.
		this.main = await this.n8nProcess('main', { command: ['start'], port: mainPort });
		// On a machine shared with other work the migrations alone can take minutes.
		await this.main.start({ timeoutMs: STARTUP_TIMEOUT_MS });
		await this.main.assertPackageLoaded(this.packageDir);
		this.log(`main ${this.main.url} ready`);
		const webhook = this.n8nProcess('webhook', { command: ['webhook'], port: webhookPort });
		const workers = Array.from({ length: this.workerCount }, (_, index) =>
			this.n8nProcess(`worker-${index + 1}`, {
				command: ['worker', `--concurrency=${this.concurrency}`],
			}),
		);
		[this.webhook, ...this.workers] = await Promise.all([webhook, ...workers]);
		await Promise.all(
			[this.webhook, ...this.workers].map((instance) =>
				instance.start({ timeoutMs: STARTUP_TIMEOUT_MS }),
			),
		);
		this.seconds = (Date.now() - started) / 1000;
		this.log(
			`webhook ${this.webhook.url} and ${this.workerCount} workers ready in ${this.seconds} s`,
		);
		return this;
	}

	/** One n8n process with its own user folder and our package installed there. */
	async n8nProcess(name, { command, port }) {
		const userFolder = path.join(this.root, name);
		fs.mkdirSync(userFolder, { recursive: true });
		installPackage({ packageDir: this.packageDir, userFolder });
		const [brokerPort, healthPort] = await Promise.all([freePort(), freePort()]);
		const env = { ...this.sharedEnv };
		if (command[0] === 'worker') {
			env.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
			env.QUEUE_HEALTH_CHECK_PORT = String(healthPort);
			env.N8N_WORKER_SERVER_ADDRESS = '127.0.0.1';
		}
		const instance = new N8nInstance({
			provisioned: this.provisioned,
			userFolder,
			port: port ?? (await freePort()),
			brokerPort,
			log: this.log,
			command,
			env,
			healthPort: command[0] === 'worker' ? healthPort : undefined,
		});
		instance.name = name;
		return instance;
	}

	/** Production webhook URL on the webhook process. */
	webhookUrl(webhookPath) {
		return this.webhook.productionWebhookUrl(webhookPath);
	}

	/** Kills a worker outright (SIGKILL on n8n and its task runner): no graceful shutdown. */
	async killWorker(index) {
		const worker = this.workers[index];
		const group = worker.process && watchedGroupId(worker.process);
		if (!group) return;
		process.kill(-group, 'SIGKILL');
		await worker.exited;
	}

	/** Executions as PostgreSQL records them: id, status, and which worker ran them (from logs). */
	executions(workflowId) {
		const rows = this.postgres.query(
			`select id, status, mode, coalesce("stoppedAt"::text, '') from execution_entity where "workflowId" = '${workflowId}' order by id`,
		);
		return rows
			? rows.split('\n').map((line) => {
					const [id, status, mode, stoppedAt] = line.split('|');
					return { id, status, mode, stoppedAt };
				})
			: [];
	}

	/** Execution ids each worker's log says it started (`Worker started execution <id>`). */
	executionsPerWorker() {
		return Object.fromEntries(
			this.workers.map((worker) => {
				const text = fs.existsSync(worker.logFile) ? fs.readFileSync(worker.logFile, 'utf8') : '';
				const ids = new Set(
					[...text.matchAll(/started execution (\d+)/gi)].map((match) => match[1]),
				);
				return [worker.name, ids];
			}),
		);
	}

	async stop() {
		const n8nProcesses = [this.webhook, ...this.workers, this.main].filter(Boolean);
		await Promise.all(n8nProcesses.map((instance) => instance.stop()));
		// Fast shutdown: PostgreSQL's default (smart) waits for clients that are gone anyway.
		await Promise.all([this.redis?.stop('SIGTERM'), this.postgres?.stop('SIGINT')]);
	}
}

/**
 * Starts the whole topology in `root` (a fresh temp folder unless given). Options: workers (2),
 * concurrency (5), packageDir (this repo, built), env (more settings for every n8n process), log.
 */
async function startQueueTopology(options = {}) {
	const log = options.log ?? defaultLog;
	const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-sync-queue-'));
	fs.rmSync(root, { recursive: true, force: true });
	fs.mkdirSync(root, { recursive: true });
	// The postgres user (when we are root) must reach its data folder inside.
	fs.chmodSync(root, 0o755);
	const topology = new QueueTopology({
		root,
		provisioned: options.provisioned ?? (await provision({ log })),
		packageDir: options.packageDir ?? REPO_ROOT,
		workerCount: options.workers ?? 2,
		concurrency: options.concurrency ?? 5,
		env: options.env ?? {},
		log,
	});
	try {
		return await topology.start();
	} catch (error) {
		await topology.stop();
		throw error;
	}
}

module.exports = { QueueTopology, Service, queueEnv, startQueueTopology };
