import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Shows an operation's own parameters only for that resource and operation.
 *
 * Not n8n-workflow's `updateDisplayOptions`, for two reasons: n8n-workflow exports it only from
 * 2.40 on (docs/n8n.md, "Node behaviour"), and the package loads in any n8n 2.x, where a missing
 * export would stop the node from loading at all; and the library deep-merges the two
 * `displayOptions` with the operation's winning and arrays merged index by index, so a parameter
 * that narrows its own `show` (e.g. to one of several operations) would be widened. Here the
 * parameter's own `show` and `hide` keys win.
 */
export function updateDisplayOptions(
	displayOptions: IDisplayOptions,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...displayOptions.show, ...property.displayOptions?.show },
			...(displayOptions.hide || property.displayOptions?.hide
				? { hide: { ...displayOptions.hide, ...property.displayOptions?.hide } }
				: {}),
		},
	}));
}
