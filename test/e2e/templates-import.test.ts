/**
 * Every template imports into a real n8n from its file as shipped, inactive, with every node.
 * What each template does is tested in the file named after it.
 */
import { readdirSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	REPO_ROOT,
	importCredentials,
	loadFixture,
	n8n,
	startN8nForTests,
	stopN8n,
	type CredentialImport,
} from './support/n8n';
import { readTemplate } from './support/templates';

let sandbox: Sandbox;
let credentials: CredentialImport[];

beforeAll(async () => {
	sandbox = await startSandbox();
	await startN8nForTests();
	credentials = loadFixture<CredentialImport[]>('sandbox.credentials.json', {
		SANDBOX_URL: sandbox.url,
	});
	await importCredentials(credentials);
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

describe('every template imports as shipped', () => {
	const folder = join(REPO_ROOT, 'workflows-templates');
	const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
	// `n8n import:workflow --separate` on the templates' folder, the files themselves: the test
	// helpers supply ids and credentials, a user does not. One CLI process for all (each boots n8n).
	let imported: { code: number; stderr: string };
	beforeAll(async () => {
		imported = await n8n().cli(['import:workflow', '--separate', `--input=${folder}`]);
	});

	it('ships eighteen templates', () => expect(files).toHaveLength(18));

	it('imports the folder without an error', () =>
		expect({
			code: imported.code,
			stderr: imported.code === 0 ? '' : imported.stderr.slice(-1000),
		}).toEqual({ code: 0, stderr: '' }));

	it.each(files)('%s is stored from its file, inactive, with every node', async (file) => {
		const shipped = readTemplate(file);
		const stored = await n8n().rest<{ nodes: unknown[]; active: boolean }>(
			'GET',
			`/rest/workflows/${shipped.id}`,
		);
		expect(stored.nodes).toHaveLength(shipped.nodes.length);
		expect(stored.active).toBe(false);
	});
});
