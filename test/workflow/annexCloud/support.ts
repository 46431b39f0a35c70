import type { IDataObject, INode } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import { fileSandbox, operationWorkflow } from '../support/operation';
import { runWorkflow, type WorkflowRun } from '../support/runWorkflow';
import { sandboxCredentials } from '../support/singleNode';

export { continueOnFail } from '../support/singleNode';

export const ANNEX_NODE = 'Annex Cloud';

/** The day the operation tests' sandbox takes as today. */
export const AS_OF = '2025-06-18';

/** One sandbox for a test file (the fixtures and 150 generated members), reset after each case. */
export function operationSandbox(): () => Sandbox {
	return fileSandbox({ asOf: AS_OF, members: 150, seed: 7 });
}

/** How many requests the sandbox answered on one route, e.g. `annex.points.post`. */
export function requests(sandbox: Sandbox, key: string): number {
	return Number((sandbox.stats().requests as Record<string, number>)[key] ?? 0);
}

function annexCredentials(sandbox: Sandbox) {
	return { annexCloudApi: sandboxCredentials(sandbox).annexCloudApi };
}

export const byMember = { memberId: '={{ $json.memberId }}' };
export const members = (...ids: string[]) => ids.map((memberId) => ({ memberId }));

/**
 * Runs the workflow of `path` (`member/update`, its `.workflow.json` beside its test) once over
 * `input` items, with `parameters` set over the Annex Cloud node's and `settings` on the node.
 */
export async function runOperation(
	sandbox: Sandbox,
	path: string,
	parameters: IDataObject = {},
	input: IDataObject[] = [{}],
	settings: Partial<INode> = {},
): Promise<WorkflowRun> {
	const workflow = operationWorkflow(__dirname, path, ANNEX_NODE, parameters, settings);
	return await runWorkflow(workflow, { credentials: annexCredentials(sandbox), input });
}
