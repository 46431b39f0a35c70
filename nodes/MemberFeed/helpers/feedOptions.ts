import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FeedReadOptions } from '../logic/feedReader';

function list(text: string | undefined, separator: RegExp): string[] {
	return (text ?? '')
		.split(separator)
		.map((entry) => entry.trim())
		.filter(Boolean);
}

export function readFeedFormat(context: IExecuteFunctions, itemIndex: number): FeedReadOptions {
	const format = context.getNodeParameter('feedFormat', itemIndex, {}) as IDataObject;
	const columnMap: Record<string, string> = {};
	for (const line of list(format.columnMap as string, /\r?\n/)) {
		const equals = line.lastIndexOf('=');
		if (equals > 0) columnMap[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
	}
	const delimiter = (format.delimiter as string | undefined) ?? ',';
	return {
		columnMap,
		dateFormats: list(format.dateFormats as string, /\|/),
		timeZone: (format.timeZone as string | undefined) ?? 'UTC',
		knownTiers: list(format.knownTiers as string, /,/),
		delimiter: delimiter === '\\t' ? '\t' : delimiter || ',',
	};
}
