import type { IDataObject, INode } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../support/runWorkflow';

export const OMETRIA_NODE = 'Ometria';

/** Manual Trigger → one Ometria node with the given parameters. */
export function ometriaWorkflow(parameters: IDataObject, settings: Partial<INode> = {}): WorkflowJson {
	return {
		name: 'ometria',
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
				id: 'ometria',
				name: OMETRIA_NODE,
				type: 'n8n-nodes-loyalty-sync.ometria',
				typeVersion: 1,
				position: [240, 0],
				parameters: parameters as INode['parameters'],
				credentials: { ometriaApi: { id: '1', name: 'Ometria sandbox' } },
				...settings,
			},
		],
		connections: { Start: { main: [[{ node: OMETRIA_NODE, type: 'main' as never, index: 0 }]] } },
	};
}

export function ometriaCredentials(sandbox: Sandbox) {
	return { ometriaApi: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl } };
}

export async function runOmetria(
	sandbox: Sandbox,
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	settings: Partial<INode> = {},
): Promise<WorkflowRun> {
	return await runWorkflow(ometriaWorkflow(parameters, settings), { credentials: ometriaCredentials(sandbox), input });
}

export const continueOnFail: Partial<INode> = { onError: 'continueRegularOutput' };

/** Push options that keep tests quick: the sandbox validates 50 ms after accepting. */
export const quickOptions = { verifyWaitSeconds: 0.3 };
