import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../../sandbox';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../support/runWorkflow';
import { sandboxCredentials } from '../support/singleNode';

export { continueOnFail } from '../support/singleNode';

export const ANNEX_NODE = 'Annex Cloud';

/** The day the operation tests' sandbox takes as today. */
export const AS_OF = '2025-06-18';

/**
 * One sandbox for a test file (the fixtures and 150 generated members), reset after each case.
 * The returned function gives it inside a case.
 */
export function operationSandbox(): () => Sandbox {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ asOf: AS_OF, members: 150, seed: 7 });
	});
	afterAll(async () => await sandbox.close());
	afterEach(() => sandbox.reset());
	return () => sandbox;
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
 * The workflow of one operation's test: `<resource>/<operation>.workflow.json` next to its test,
 * Manual Trigger → Annex Cloud with the parameters every run of the operation shares.
 */
function operationWorkflow(path: string): WorkflowJson {
	return JSON.parse(readFileSync(join(__dirname, `${path}.workflow.json`), 'utf8')) as WorkflowJson;
}

/**
 * Runs the workflow of `path` (`member/update`) once over `input` items, with `parameters` set
 * over the Annex Cloud node's and `settings` on the node.
 */
export async function runOperation(
	sandbox: Sandbox,
	path: string,
	parameters: IDataObject = {},
	input: IDataObject[] = [{}],
	settings: Partial<INode> = {},
): Promise<WorkflowRun> {
	const workflow = operationWorkflow(path);
	workflow.nodes = workflow.nodes.map((node) =>
		node.name === ANNEX_NODE
			? {
					...node,
					...settings,
					parameters: { ...node.parameters, ...parameters } as INode['parameters'],
				}
			: node,
	);
	return await runWorkflow(workflow, { credentials: annexCredentials(sandbox), input });
}
