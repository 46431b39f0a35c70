import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { feedFormatOptions, readFeedFormat, rejectListLimit } from '../helpers/feedOptions';
import { binaryFile } from '../helpers/sources';
import { readFeedPage } from '../logic/feedReader';
import { rejectsFile } from './rejects';
import type { FeedOutcome } from './types';

const show = { show: { operation: ['read'] } };

export const description = updateDisplayOptions(show, [
	{
		displayName: 'Feed Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description:
			'The input binary field holding the member feed or snapshot (from Read Files from Disk, S3 or FTP)',
	},
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
	feedFormatOptions,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [rejectListLimit],
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<FeedOutcome> {
	const feed = await binaryFile(
		this,
		itemIndex,
		this.getNodeParameter('binaryPropertyName', itemIndex) as string,
	);
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
