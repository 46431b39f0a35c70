'use strict';
/** Provisioning (provision.mjs, cached) and free ports for the n8n processes core.cjs starts. */
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PROVISION_SCRIPT = path.join(__dirname, 'provision.mjs');

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

module.exports = { REPO_ROOT, defaultLog, freePort, provision };
