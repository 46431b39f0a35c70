import type { IDataObject, INode, INodeCredentials } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import type { WorkflowJson } from './runWorkflow';

/** Manual Trigger → one node of ours, the shape most workflow tests need. */
export function singleNodeWorkflow(node: {
	name: string;
	type: string;
	parameters: IDataObject;
	credentials?: INodeCredentials;
	settings?: Partial<INode>;
}): WorkflowJson {
	return {
		name: node.name,
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
				id: 'under-test',
				name: node.name,
				type: `n8n-nodes-loyalty-sync.${node.type}`,
				typeVersion: 1,
				position: [240, 0],
				parameters: node.parameters as INode['parameters'],
				...(node.credentials ? { credentials: node.credentials } : {}),
				...node.settings,
			},
		],
		connections: { Start: { main: [[{ node: node.name, type: 'main' as never, index: 0 }]] } },
	};
}

/** Credential data for both vendors, pointing at a running sandbox. */
export function sandboxCredentials(sandbox: Sandbox) {
	const { siteId, siteName, secretKey } = sandbox.options.annex;
	return {
		annexCloudApi: { baseUrl: sandbox.annexBaseUrl, siteId, siteName, secretKey },
		ometriaApi: { apiKey: sandbox.options.ometria.apiKey, baseUrl: sandbox.ometriaBaseUrl },
	};
}

/** n8n's "On Error: Continue" setting, which is what `continueOnFail()` reads. */
export const continueOnFail: Partial<INode> = { onError: 'continueRegularOutput' };
