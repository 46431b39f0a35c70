import { Ometria } from '../../../../nodes/Ometria/Ometria.node';
import { runWorkflow } from '../../support/runWorkflow';
import { fileSandbox, OMETRIA_NODE, ometriaWorkflow, runOperation } from '../support';

/** Segment › Get Many against the sandbox over real HTTP. */
const sandbox = fileSandbox();

describe('Ometria › Segment › Get Many (workflow)', () => {
	it('lists segments, and searches them by name for the editor', async () => {
		const run = await runOperation(sandbox(), 'segment/getAll', { returnAll: true });
		expect(run.output(OMETRIA_NODE, 0).map((segment) => segment.title)).toContain('Loyalty Gold');
		const limited = await runOperation(sandbox(), 'segment/getAll', {
			limit: 2,
			filters: { title: 'loyalty' },
		});
		expect(limited.output(OMETRIA_NODE, 0)).toHaveLength(2);

		const node = new Ometria();
		const context = {
			getCredentials: async () => ({
				apiKey: sandbox().options.ometria.apiKey,
				baseUrl: sandbox().ometriaBaseUrl,
			}),
			getNode: () => ({
				name: 'Ometria',
				type: 'ometria',
				typeVersion: 1,
				parameters: {},
				id: '1',
				position: [0, 0],
			}),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: Record<string, unknown>) => {
					const response = await fetch(`${String(options.url)}?mode=active`, {
						headers: { 'X-Ometria-Auth': sandbox().options.ometria.apiKey },
					});
					return { statusCode: response.status, headers: {}, body: await response.json() };
				},
			},
		};
		const found = await node.methods.listSearch.searchSegments.call(context as never, 'gold');
		expect(found.results).toEqual([{ name: 'Loyalty Gold', value: '8402' }]);
	});

	it('reports a refused key as an error of the run', async () => {
		const failed = await runWorkflow(ometriaWorkflow('segment/getAll'), {
			credentials: { ometriaApi: { apiKey: 'wrong', baseUrl: sandbox().ometriaBaseUrl } },
		});
		expect(failed.error?.message).toMatch(/403/);
	});
});
