import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';

import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox';
import type { WorkflowJson } from './runWorkflow';

/**
 * One sandbox for a test file, reset after each case, so cases start from the same state without
 * paying for a server each. The returned function gives it inside a case.
 */
export function fileSandbox(options: SandboxOptions = {}): () => Sandbox {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox(options);
	});
	afterAll(async () => await sandbox.close());
	afterEach(() => sandbox.reset());
	return () => sandbox;
}

/**
 * The workflow of one operation's test, `<resource>/<operation>.workflow.json` under `folder`
 * (Manual Trigger → the node under test with the parameters every run of the operation shares),
 * with `parameters` set over the node's and `settings` on the node.
 */
export function operationWorkflow(
	folder: string,
	path: string,
	nodeName: string,
	parameters: IDataObject = {},
	settings: Partial<INode> = {},
): WorkflowJson {
	const workflow = JSON.parse(
		readFileSync(join(folder, `${path}.workflow.json`), 'utf8'),
	) as WorkflowJson;
	workflow.nodes = workflow.nodes.map((node) =>
		node.name === nodeName
			? {
					...node,
					...settings,
					parameters: { ...node.parameters, ...parameters } as INode['parameters'],
				}
			: node,
	);
	return workflow;
}
