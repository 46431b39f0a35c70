/**
 * Acceptance: our credentials sign requests that the sandbox accepts, and a wrong secret or API
 * key is refused. Runs in a real n8n with the built package installed as a community package;
 * the requests are made by n8n's own HTTP Request node with `predefinedCredentialType`, so only
 * the credentials' `authenticate` (and `test`) are exercised.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	listExecutions,
	loadFixture,
	nodeOutput,
	startN8nForTests,
	stopN8n,
	testCredential,
	type CredentialImport,
} from './support/n8n';

const ANNEX_NODE = 'Annex Cloud tier list';
const OMETRIA_NODE = 'Ometria lists';

let sandbox: Sandbox;
let workflowId: string;
let annex: CredentialImport;
let ometria: CredentialImport;

/** Responses the sandbox sent for one endpoint key, by status code. */
const responses = (key: string): Record<string, number> =>
	(sandbox.stats().responses as Record<string, Record<string, number>>)[key] ?? {};

const withData = (
	credential: CredentialImport,
	data: Record<string, unknown>,
): CredentialImport => ({
	...credential,
	data: { ...credential.data, ...data },
});

beforeAll(async () => {
	sandbox = await startSandbox();
	await startN8nForTests();
	[annex, ometria] = loadFixture<CredentialImport[]>('sandbox.credentials.json', {
		SANDBOX_URL: sandbox.url,
	});
	workflowId = await importWorkflow(
		loadFixture('smoke.workflow.json', { SANDBOX_URL: sandbox.url }),
	);
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

beforeEach(() => sandbox.reset());

describe('requests signed by our credentials in a real n8n', () => {
	it('are accepted by the sandbox with the right secret and API key', async () => {
		await importCredentials([annex, ometria]);

		const result = await executeWorkflow(workflowId);

		expect(result).toMatchObject({ ok: true, status: 'success', error: undefined });
		expect(nodeOutput(result.run, ANNEX_NODE).length).toBeGreaterThan(0);
		expect(nodeOutput(result.run, OMETRIA_NODE).length).toBeGreaterThan(0);
		expect(responses('annex.tierlist.get')).toEqual({ 200: 1 });
		expect(responses('ometria.lists')).toEqual({ 200: 1 });
		const executions = await listExecutions(workflowId);
		expect(executions[0]).toMatchObject({ mode: 'manual', status: 'success' });
	});

	it('are refused by Annex Cloud when the secret is wrong', async () => {
		await importCredentials([withData(annex, { secretKey: 'not-the-secret' }), ometria]);

		const result = await executeWorkflow(workflowId);

		expect(result).toMatchObject({
			ok: false,
			failedNode: ANNEX_NODE,
			httpCode: '401',
			error: expect.any(String),
		});
		expect(responses('annex.tierlist.get')).toEqual({ 401: 1 });
		expect((await listExecutions(workflowId))[0]).toMatchObject({
			mode: 'manual',
			status: 'error',
		});
	});

	it('are refused by Annex Cloud when the site id is wrong', async () => {
		await importCredentials([withData(annex, { siteId: 'another-site' }), ometria]);

		const result = await executeWorkflow(workflowId);

		expect(result).toMatchObject({
			ok: false,
			failedNode: ANNEX_NODE,
			httpCode: '401',
			error: expect.any(String),
		});
	});

	it('are refused by Ometria when the API key is wrong', async () => {
		await importCredentials([annex, withData(ometria, { apiKey: 'not-the-key' })]);

		const result = await executeWorkflow(workflowId);

		expect(result).toMatchObject({
			ok: false,
			failedNode: OMETRIA_NODE,
			httpCode: '403',
			error: expect.any(String),
		});
		expect(responses('annex.tierlist.get')).toEqual({ 200: 1 });
		expect(responses('ometria.lists')).toEqual({ 403: 1 });
	});
});

describe('the credential Test button (POST /rest/credentials/test)', () => {
	beforeAll(() => importCredentials([annex, ometria]));

	it('passes for the stored Annex Cloud and Ometria credentials', async () => {
		await expect(testCredential(annex)).resolves.toMatchObject({ status: 'OK' });
		await expect(testCredential(ometria)).resolves.toMatchObject({ status: 'OK' });
		expect(responses('annex.tierlist.get')).toEqual({ 200: 1 });
		expect(responses('ometria.lists')).toEqual({ 200: 1 });
	});

	it('fails for a wrong Annex secret and a wrong Ometria key', async () => {
		await expect(
			testCredential(withData(annex, { secretKey: 'not-the-secret' })),
		).resolves.toMatchObject({
			status: 'Error',
		});
		await expect(
			testCredential(withData(ometria, { apiKey: 'not-the-key' })),
		).resolves.toMatchObject({
			status: 'Error',
		});
		// n8n may send the test request more than once; every one of them must have been refused.
		expect(Object.keys(responses('annex.tierlist.get'))).toEqual(['401']);
		expect(Object.keys(responses('ometria.lists'))).toEqual(['403']);
	});
});
