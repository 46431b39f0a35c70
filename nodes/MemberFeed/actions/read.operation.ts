import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { operationOptions } from '../descriptions/feedOptions';
import { readFeedFormat } from '../helpers/feedOptions';
import { feedFile } from '../helpers/sources';
import { readFeedPage } from '../logic/feedReader';
import { rejectsFile } from './rejects';
import type { FeedOutcome } from './types';

const show = { show: { operation: ['read'] } };

export const description = updateDisplayOptions(show, [
	{
		displayName: 'Start Row',
		name: 'startRow',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			"Data rows to pass over first (0 = from the first row); the summary gives the next page's start row",
	},
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10000,
		description: 'At most this many rows are read into items',
	},
	...operationOptions(),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<FeedOutcome> {
	const feed = await feedFile(this, itemIndex);
	const startRow = this.getNodeParameter('startRow', itemIndex, 0) as number;
	const page = await readFeedPage({
		feed: feed.source,
		options: readFeedFormat(this, itemIndex),
		startRow,
		maxRows: this.getNodeParameter('pageSize', itemIndex, 10000) as number,
		rejectLimit: this.getNodeParameter('options.rejectListLimit', itemIndex, 1000) as number,
	});
	const pairedItem = { item: itemIndex };
	const members: INodeExecutionData[] = page.records.map(({ line, record }) => ({
		json: { line, ...record },
		pairedItem,
	}));
	return {
		members,
		summary: {
			json: {
				sourceFile: feed.fileName ?? null,
				startRow,
				nextStartRow: page.nextStartRow ?? null,
				done: page.nextStartRow === undefined,
				rowsRead: page.rowsRead,
				rowsRejected: page.rowsRejected,
				members: members.length,
				rejects: page.rejects.map((reject) => ({ ...reject })),
			},
			binary: await rejectsFile(this, page.rejects),
			pairedItem,
		},
	};
}
