'use strict';
/** What every n8n process runs under: its environment, and the watchdog that ends it with us. */
const path = require('node:path');

/** Fixed so credentials imported in one run decrypt in the next (tests and demo only). */
const TEST_ENCRYPTION_KEY = 'loyalty-sync-e2e-not-a-secret-0001';

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

module.exports = { TEST_ENCRYPTION_KEY, WATCHDOG, n8nEnv };
