import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * The router contract of every node with operations (CONTRIBUTING, "Routers"). Each node names
 * its resources and their operations in `actions/node.type.ts` (n8n's own nodes do the same);
 * the router's table of operation modules is typed by that map, so an operation added to the
 * map without a module, or a module under a misspelt name, does not compile.
 */
export type OperationTable<NodeMap extends object, Module> = {
	[Resource in keyof NodeMap]: ResourceOperations<NodeMap, Resource, Module>;
};

/** One resource's operations: every operation name of the map, each with its module. */
export type ResourceOperations<NodeMap extends object, Resource extends keyof NodeMap, Module> = {
	[Operation in NodeMap[Resource] & string]: Module;
};

/**
 * The module of the node's `resource` and `operation` parameters (read from the first item: both
 * are fixed per node run). `resource` is given by nodes without a Resource parameter.
 */
export function chooseOperation<NodeMap extends object, Module>(
	context: IExecuteFunctions,
	table: OperationTable<NodeMap, Module>,
	resource = context.getNodeParameter('resource', 0) as string,
): Module {
	const operation = context.getNodeParameter('operation', 0) as string;
	const operations = ownEntry(table as Record<string, unknown>, resource);
	const module = operations
		? ownEntry(operations as Record<string, unknown>, operation)
		: undefined;
	if (!module) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	return module as Module;
}

function ownEntry(record: Record<string, unknown>, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
