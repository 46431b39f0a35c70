import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IBinaryKeyData,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IRun,
	type IConnections,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { TestCredentialsHelper } from './testCredentialsHelper';
import { TestNodeTypes } from './testNodeTypes';

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IDataObject;
	staticData?: IDataObject;
}

export interface RunOptions {
	/** Credential data per credential type, e.g. `{ ometriaApi: { apiKey, baseUrl } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Items the Manual Trigger starts with (default: one empty item). */
	input?: IDataObject[];
	/** Files of those items by index, e.g. `[{ data: feedFile }]` for a node that reads a file. */
	binary?: IBinaryKeyData[];
	/** Workflow static data carried between runs (frequency caps, dedupe memory). */
	staticData?: IDataObject;
}

export interface WorkflowRun {
	run: IRun;
	/** The JSON of the items a node sent out of one of its outputs in its last run. */
	output(nodeName: string, outputIndex?: number): IDataObject[];
	/** The full items, with pairedItem and binary. */
	items(nodeName: string, outputIndex?: number): INodeExecutionData[];
	error: Error | undefined;
	staticData: IDataObject;
}

const nodeTypes = new TestNodeTypes();

/** Runs a workflow JSON through n8n-core's real WorkflowExecute, as a manual execution would. */
export async function runWorkflow(
	json: WorkflowJson,
	options: RunOptions = {},
): Promise<WorkflowRun> {
	const workflow = new Workflow({
		id: 'test',
		name: json.name ?? 'test',
		nodes: json.nodes,
		connections: json.connections,
		nodeTypes,
		settings: { executionOrder: 'v1', ...json.settings },
		active: false,
		staticData: structuredClone(options.staticData ?? json.staticData ?? {}),
	});
	const startNode = json.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!startNode) throw new Error('Workflow tests start from a Manual Trigger node');

	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: 'test',
		name: workflow.name,
		nodes: json.nodes,
		connections: json.connections,
	} as unknown as IWorkflowBase);
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));

	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(options.credentials ?? {}),
		hooks,
		executionId: '1',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost/rest',
		instanceBaseUrl: 'http://localhost/',
		webhookBaseUrl: 'http://localhost/webhook',
		webhookWaitingBaseUrl: 'http://localhost/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost/webhook-test',
		formBaseUrl: 'http://localhost/form',
		formWaitingBaseUrl: 'http://localhost/form-waiting',
		formTestBaseUrl: 'http://localhost/form-test',
		mcpBaseUrl: 'http://localhost/mcp',
		mcpTestBaseUrl: 'http://localhost/mcp-test',
		variables: {},
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not part of these tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const input = (options.input ?? [{}]).map((json, index) => {
		const binary = options.binary?.[index];
		return binary ? { json, binary } : { json };
	});
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [input] }, source: null }],
		},
	});
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execution.processRunExecutionData(workflow);
	const run = await finished;

	const items = (nodeName: string, outputIndex = 0): INodeExecutionData[] => {
		const taskRuns = run.data.resultData.runData[nodeName];
		if (!taskRuns?.length) throw new Error(`Node "${nodeName}" did not run`);
		return taskRuns[taskRuns.length - 1].data?.main?.[outputIndex] ?? [];
	};
	return {
		run,
		items,
		output: (nodeName, outputIndex) => items(nodeName, outputIndex).map((item) => item.json),
		error: run.data.resultData.error as Error | undefined,
		// As n8n persists it between executions: JSON, not the run's change-tracking proxy.
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}
