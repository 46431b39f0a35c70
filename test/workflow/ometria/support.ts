import type { IDataObject, INode } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../support/runWorkflow';
import { sandboxCredentials, singleNodeWorkflow } from '../support/singleNode';

export { continueOnFail } from '../support/singleNode';

export const OMETRIA_NODE = 'Ometria';

/** Manual Trigger → one Ometria node with the given parameters. */
export function ometriaWorkflow(
	parameters: IDataObject,
	settings: Partial<INode> = {},
): WorkflowJson {
	return singleNodeWorkflow({
		name: OMETRIA_NODE,
		type: 'ometria',
		parameters,
		credentials: { ometriaApi: { id: '1', name: 'Ometria sandbox' } },
		settings,
	});
}

export function ometriaCredentials(sandbox: Sandbox) {
	return { ometriaApi: sandboxCredentials(sandbox).ometriaApi };
}

export async function runOmetria(
	sandbox: Sandbox,
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	settings: Partial<INode> = {},
): Promise<WorkflowRun> {
	return await runWorkflow(ometriaWorkflow(parameters, settings), {
		credentials: ometriaCredentials(sandbox),
		input,
	});
}

/** Push options that keep tests quick: the sandbox validates 50 ms after accepting. */
export const quickOptions = { verifyWaitSeconds: 0.3 };
