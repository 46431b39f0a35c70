import type { IDataObject, INode } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import { operationWorkflow } from '../support/operation';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../support/runWorkflow';
import { sandboxCredentials } from '../support/singleNode';

export { continueOnFail } from '../support/singleNode';
export { fileSandbox } from '../support/operation';

export const OMETRIA_NODE = 'Ometria';

/**
 * The workflow of `path` (`contact/upsert`, its `.workflow.json` beside its test), with
 * `parameters` set over the Ometria node's and `settings` on the node.
 */
export function ometriaWorkflow(
	path: string,
	parameters: IDataObject = {},
	settings: Partial<INode> = {},
): WorkflowJson {
	return operationWorkflow(__dirname, path, OMETRIA_NODE, parameters, settings);
}

export function ometriaCredentials(sandbox: Sandbox) {
	return { ometriaApi: sandboxCredentials(sandbox).ometriaApi };
}

/** Runs the workflow of `path` once over `input` items against the sandbox. */
export async function runOperation(
	sandbox: Sandbox,
	path: string,
	parameters: IDataObject = {},
	input: IDataObject[] = [{}],
	settings: Partial<INode> = {},
): Promise<WorkflowRun> {
	return await runWorkflow(ometriaWorkflow(path, parameters, settings), {
		credentials: ometriaCredentials(sandbox),
		input,
	});
}

/** Push options that keep tests quick: the sandbox validates 50 ms after accepting. */
export const quickOptions = { verifyWaitSeconds: 0.3 };

/** Two loyalty contacts, by the contact ID and email the segment workflows read. */
export const loyaltyMembers = [
	{ id: 'loy-1', email: 'one@example.com' },
	{ id: 'loy-2', email: 'two@example.com' },
];
