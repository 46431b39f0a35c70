'use strict';
/**
 * n8n's internal REST API as the owner: login, publish, executions, Data Tables, credential
 * test. N8nInstance (core.cjs) is this client plus the process it started.
 */
const fs = require('node:fs');
const path = require('node:path');

const { REPO_ROOT } = require('./provisioning.cjs');

/** The owner account every provisioned instance gets (local throwaway instances only). */
const OWNER = Object.freeze({
	email: 'owner@loyalty-sync.test',
	password: 'LoyaltySync-demo-1',
	firstName: 'Loyalty',
	lastName: 'Sync',
});

/** n8n binds the auth cookie to this header's hash; any constant works for a script client. */
const BROWSER_ID = 'loyalty-sync-e2e';

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

class N8nRestClient {
	constructor({ url }) {
		this.url = url;
		this.owner = OWNER;
		this.cookie = undefined;
	}

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
		const send = async () =>
			await fetch(`${this.url}${urlPath}`, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': BROWSER_ID,
					...(this.cookie ? { cookie: this.cookie } : {}),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(60_000),
			});
		try {
			return await send();
		} catch (error) {
			// A kept-alive connection that n8n closed (its 5 s idle timeout) just as this request
			// reused it: the server never read the request, so sending it again is safe.
			if (error?.cause?.code !== 'UND_ERR_SOCKET') throw error;
			return await send();
		}
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
	 * Leaves the n8n as a fresh one looks to a test suite: no executions, no workflows (so no live
	 * webhooks), no Data Tables. Credentials stay; suites import theirs by id, which overwrites.
	 */
	async clearSuiteState() {
		const listOf = (answer) => (Array.isArray(answer) ? answer : (answer?.data ?? []));
		const archived = encodeURIComponent(JSON.stringify({ isArchived: true }));
		const workflows = [
			...listOf(await this.rest('GET', '/rest/workflows')),
			...listOf(await this.rest('GET', `/rest/workflows?filter=${archived}`)),
		];
		// Executions first: n8n deletes only executions of workflows that still exist, and answers
		// 404 when there is no workflow at all.
		if (workflows.length > 0) {
			await this.rest('POST', '/rest/executions/delete', {
				deleteBefore: new Date(Date.now() + 60_000).toISOString(),
			});
		}
		for (const workflow of workflows) {
			if (workflow.active) await this.rest('POST', `/rest/workflows/${workflow.id}/deactivate`, {});
			if (!workflow.isArchived)
				await this.rest('POST', `/rest/workflows/${workflow.id}/archive`, {});
			await this.deleteWorkflowOnceUnpublished(workflow.id);
		}
		// The suites' tables live in the owner's personal project, as the templates create them.
		const { id: projectId } = await this.rest('GET', '/rest/projects/personal');
		const tables = `/rest/projects/${projectId}/data-tables`;
		for (const table of listOf(await this.rest('GET', tables))) {
			await this.rest('DELETE', `${tables}/${table.id}`);
		}
	}

	/**
	 * Deletes an archived workflow. Since 2.41 unpublishing drains in the background (the
	 * publication outbox): until it has, n8n answers 409 "still being unpublished", so the delete
	 * is tried again. 403 means n8n finds no such workflow for the owner: it is gone already.
	 */
	async deleteWorkflowOnceUnpublished(workflowId, { timeoutMs = 60_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			try {
				await this.rest('DELETE', `/rest/workflows/${workflowId}`);
				return;
			} catch (error) {
				if (error instanceof RestError && error.status === 403) return;
				if (!(error instanceof RestError && error.status === 409) || Date.now() > deadline)
					throw error;
				await sleep(500);
			}
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

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { BROWSER_ID, N8nRestClient, OWNER, RestError, sleep };
