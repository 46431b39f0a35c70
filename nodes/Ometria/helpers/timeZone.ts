import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { isKnownTimeZone } from '../logic/values';

/** Options › Time Zone, or the workflow's time zone when it is empty; an unknown name is quoted. */
export function resolveTimeZone(
	this: IExecuteFunctions,
	chosen: string | undefined,
	itemIndex?: number,
): string {
	const zone = (chosen ?? '').trim() || this.getTimezone();
	if (!isKnownTimeZone(zone)) {
		throw new NodeOperationError(this.getNode(), `Unknown time zone "${zone}"`, {
			itemIndex,
			description: 'Options › Time Zone takes an IANA name such as Europe/London, or UTC.',
		});
	}
	return zone;
}
