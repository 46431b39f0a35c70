import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/** Reads a node parameter for one item. */
export type ParameterReader = <T>(name: string, itemIndex: number, fallback: T) => T;

function hasExpression(value: NodeParameterValueType | object | undefined): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value))
		return value.some((entry) => hasExpression(entry as NodeParameterValueType));
	if (value && typeof value === 'object') {
		return Object.values(value).some((entry) => hasExpression(entry as NodeParameterValueType));
	}
	return false;
}

/**
 * Parameters without an expression have the same value for every item, so they are resolved
 * once per run: mapping 20,000 items then costs one resolution per expression, not per field.
 * Callers must not change the values they get.
 */
export function parameterReader(context: IExecuteFunctions): ParameterReader {
	const fixed = new Map<string, unknown>();
	const raw = context.getNode().parameters;
	return <T>(name: string, itemIndex: number, fallback: T): T => {
		if (fixed.has(name)) return fixed.get(name) as T;
		const value = context.getNodeParameter(name, itemIndex, fallback as never) as T;
		if (!hasExpression(raw[name])) fixed.set(name, value);
		return value;
	};
}
