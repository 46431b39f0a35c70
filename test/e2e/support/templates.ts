/**
 * Template workflows as the acceptance tests import them: the JSON exactly as shipped in
 * workflows-templates/, with only what a user sets after import changed: credentials bound by
 * type, the "as of" date of every Segment Build node, and named values of the Settings node.
 */
import { createHmac } from 'crypto';
import { mkdirSync } from 'fs';
import { homedir } from 'os';
import { join } from 'path';

import type { Sandbox } from '../../../sandbox';
import { importCredentials, loadFixture, n8n, type CredentialRef, type RunLike } from './n8n';

interface TemplateNode {
	name: string;
	id?: string;
	type: string;
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface Template {
	name: string;
	nodes: TemplateNode[];
	[key: string]: unknown;
}

export interface TemplateChanges {
	/** Options → As Of of every Segment Build node (YYYY-MM-DD). */
	asOf?: string;
	/** Values of the Settings node's assignments, by name. */
	settings?: Record<string, string | number>;
}

/** The header the sandbox's Annex Cloud Webhook credential (fixtures) expects on deliveries. */
export const SANDBOX_WEBHOOK_TOKEN_HEADERS = {
	'X-Webhook-Token': 'sandbox-webhook-token-0123456789',
};
export const SANDBOX_WEBHOOK_SIGNING = {
	scheme: 'header-token',
	header: 'X-Webhook-Token',
	token: SANDBOX_WEBHOOK_TOKEN_HEADERS['X-Webhook-Token'],
} as const;
/** The secret of the fixtures' JWT Auth credential, which protects template 06's webhook. */
export const REDEEM_JWT_SECRET = 'sandbox-redeem-secret-0123456789abcdef';

/** Template 07's one-click links are signed with this JWT Auth credential's secret (HS256). */
export const WIN_BACK_LINK_SECRET = 'sandbox-win-back-link-secret-9f3e2d1c0b';
export const WIN_BACK_LINK_CREDENTIAL = {
	id: 'winBackLink00001',
	name: 'Win-back link secret (sandbox)',
	type: 'jwtAuth',
	data: { keyType: 'passphrase', secret: WIN_BACK_LINK_SECRET, algorithm: 'HS256' },
};

/** `Authorization: Bearer <HS256 JWT>` as a caller of template 06 sends it, valid for 5 minutes. */
export function redeemHeaders(secret = REDEEM_JWT_SECRET): Record<string, string> {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const now = Math.floor(Date.now() / 1000);
	const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'shop', iat: now, exp: now + 300 })}`;
	const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
	return { authorization: `Bearer ${unsigned}.${signature}` };
}

/** The sandbox credentials, imported into the running n8n. */
export async function importSandboxCredentials(sandbox: Sandbox): Promise<CredentialRef[]> {
	return await importCredentials(
		loadFixture('sandbox.credentials.json', { SANDBOX_URL: sandbox.url }),
	);
}

/** The template file exactly as shipped. */
export function readTemplate(file: string): Template & { id: string } {
	return loadFixture<Template & { id: string }>(
		join('..', '..', '..', 'workflows-templates', file),
	);
}

export function loadTemplate(
	file: string,
	credentials: CredentialRef[],
	changes: TemplateChanges = {},
): Template {
	const template = readTemplate(file);
	for (const node of template.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			const credential = credentials.find((candidate) => candidate.type === type);
			if (!credential) throw new Error(`${file}: no ${type} credential to bind`);
			node.credentials![type] = { id: credential.id, name: credential.name };
		}
		if (changes.asOf && node.type === 'n8n-nodes-loyalty-sync.segmentBuild') {
			const options = (node.parameters.options ?? {}) as Record<string, unknown>;
			node.parameters.options = { ...options, asOf: changes.asOf };
		}
		if (changes.settings && node.name === 'Settings') {
			const list = (
				node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
			).assignments;
			for (const [name, value] of Object.entries(changes.settings)) {
				const entry = list.find((candidate) => candidate.name === name);
				if (!entry) throw new Error(`${file}: Settings has no ${name}`);
				entry.value = value;
			}
		}
	}
	return template;
}

/** A fresh folder n8n may write to under its default N8N_RESTRICT_FILE_ACCESS_TO (~/.n8n-files). */
export function n8nFilesFolder(name: string): string {
	const folder = join(homedir(), '.n8n-files', 'loyalty-sync-e2e', `${name}-${process.pid}`);
	mkdirSync(folder, { recursive: true });
	return folder;
}

/**
 * Runs a workflow from one of its triggers inside the running n8n server, as the editor's
 * "Execute workflow" button does, and waits for the stored execution.
 */
export async function runInServer(
	workflowId: string,
	triggerName: string,
	timeoutMs = 300_000,
): Promise<{ status: string; run: RunLike }> {
	const { run } = await n8n().executeWorkflow(workflowId, { triggerName, timeoutMs });
	return { status: run.status!, run };
}
