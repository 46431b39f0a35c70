import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

export interface FakeExecution {
	context: IExecuteFunctions;
}

/**
 * Just enough of IExecuteFunctions to run a transform node's execute(): parameters (with
 * 'options.asOf'-style paths and the node's own defaults), inputs and continueOnFail. No static
 * data: a node that reached for it would fail here.
 */
export function fakeExecution(
	parameters: IDataObject,
	inputs: IDataObject[][],
	{ continueOnFail = false } = {},
): FakeExecution {
	const node: INode = {
		id: 'node-1',
		name: 'Under Test',
		type: 'n8n-nodes-loyalty-sync.test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const items: INodeExecutionData[][] = inputs.map((input) =>
		input.map((json, index) => ({ json, pairedItem: { item: index } })),
	);
	const context = {
		getNode: () => node,
		getInputData: (inputIndex = 0) => items[inputIndex] ?? [],
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => {
			let value: unknown = parameters;
			for (const key of name.split('.')) {
				value =
					value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
			}
			return value === undefined ? fallback : value;
		},
		continueOnFail: () => continueOnFail,
	};
	return { context: context as unknown as IExecuteFunctions };
}
