import type { IDataObject, INode } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../support/runWorkflow';
import { sandboxCredentials, singleNodeWorkflow } from '../support/singleNode';

export { continueOnFail } from '../support/singleNode';

export const ANNEX_NODE = 'Annex Cloud';

/** Manual Trigger → one Annex Cloud node with the given parameters. */
export function annexWorkflow(
	parameters: IDataObject,
	settings: Partial<INode> = {},
): WorkflowJson {
	return singleNodeWorkflow({
		name: ANNEX_NODE,
		type: 'annexCloud',
		parameters,
		credentials: { annexCloudApi: { id: '1', name: 'Annex Cloud sandbox' } },
		settings,
	});
}

export function annexCredentials(sandbox: Sandbox) {
	return { annexCloudApi: sandboxCredentials(sandbox).annexCloudApi };
}

/** Runs the node once over `input` items and returns the run. */
export async function runAnnex(
	sandbox: Sandbox,
	parameters: IDataObject,
	input: IDataObject[] = [{}],
	settings: Partial<INode> = {},
): Promise<WorkflowRun> {
	return await runWorkflow(annexWorkflow(parameters, settings), {
		credentials: annexCredentials(sandbox),
		input,
	});
}

export const byMember = { memberId: '={{ $json.memberId }}' };
export const members = (...ids: string[]) => ids.map((memberId) => ({ memberId }));
