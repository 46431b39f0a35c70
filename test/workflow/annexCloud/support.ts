import type { IDataObject, INode } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../support/runWorkflow';

export const ANNEX_NODE = 'Annex Cloud';

/** Manual Trigger → one Annex Cloud node with the given parameters. */
export function annexWorkflow(parameters: IDataObject, settings: Partial<INode> = {}): WorkflowJson {
	return {
		name: 'annex cloud',
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'annex',
				name: ANNEX_NODE,
				type: 'n8n-nodes-loyalty-sync.annexCloud',
				typeVersion: 1,
				position: [240, 0],
				parameters: parameters as INode['parameters'],
				credentials: { annexCloudApi: { id: '1', name: 'Annex Cloud sandbox' } },
				...settings,
			},
		],
		connections: { Start: { main: [[{ node: ANNEX_NODE, type: 'main' as never, index: 0 }]] } },
	};
}

export function annexCredentials(sandbox: Sandbox) {
	const { siteId, siteName, secretKey } = sandbox.options.annex;
	return { annexCloudApi: { baseUrl: sandbox.annexBaseUrl, siteId, siteName, secretKey } };
}

/** Runs the node once over `input` items and returns the run. */
export async function runAnnex(
	sandbox: Sandbox,
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	settings: Partial<INode> = {},
): Promise<WorkflowRun> {
	return await runWorkflow(annexWorkflow(parameters, settings), { credentials: annexCredentials(sandbox), input });
}

export const byMember = { memberId: '={{ $json.memberId }}' };
export const members = (...ids: string[]) => ids.map((memberId) => ({ memberId }));
export const continueOnFail: Partial<INode> = { onError: 'continueRegularOutput' };
