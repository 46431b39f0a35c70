import { readFileSync } from 'node:fs';
import { join, parse } from 'node:path';

import {
	NodeConnectionTypes,
	NodeHelpers,
	type ICredentialType,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';

const ROOT = join(__dirname, '..', '..', '..');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};

/** `dist/nodes/X/X.node.js` → the TypeScript source, loaded by ts-jest; the class is named after the file. */
function loadClass<T>(distPath: string): T {
	const source = join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	const [className] = parse(source).name.split('.');
	const module = require(source) as Record<string, new () => T>;
	return new module[className]();
}

/** Test-only stand-in for n8n's Manual Trigger: it starts the run with the items the test hands in. */
class ManualTriggerStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow with the items the test provides',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export function loadCredentialTypes(): Map<string, ICredentialType> {
	const types = new Map<string, ICredentialType>();
	for (const path of packageJson.n8n.credentials) {
		const credential = loadClass<ICredentialType>(path);
		types.set(credential.name, credential);
	}
	return types;
}

/** Our package's node types by type name (`AnnexCloud.node.js` → `n8n-nodes-loyalty-sync.annexCloud`). */
const packageNodePaths = new Map<string, string>(
	packageJson.n8n.nodes.map((path) => {
		const [className] = parse(path).name.split('.');
		return [`${packageJson.name}.${className[0].toLowerCase()}${className.slice(1)}`, path];
	}),
);

/** Loads node classes on first use, so a test only compiles the nodes its workflow contains. */
export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>([
		['n8n-nodes-base.manualTrigger', new ManualTriggerStandIn() as INodeType],
	]);

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		let type = this.types.get(nodeType);
		const path = packageNodePaths.get(nodeType);
		if (!type && path) {
			type = loadClass<INodeType | IVersionedNodeType>(path);
			if (`${packageJson.name}.${type.description.name}` !== nodeType) {
				throw new Error(`${path} declares name "${type.description.name}", expected ${nodeType}`);
			}
			this.types.set(nodeType, type);
		}
		if (!type) throw new Error(`Node type ${nodeType} is not registered in the test harness`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(
			this.getByName(nodeType),
			version as number,
		) as INodeType;
	}

	getKnownTypes() {
		return {};
	}
}
