import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { operationOptions } from '../descriptions/feedOptions';
import { readFeedFormat } from '../helpers/feedOptions';
import { binaryFile, diskFile, feedFile } from '../helpers/sources';
import type { Backfill, MemberChange, SyncMode } from '../logic/changeDetection';
import { compareWithSnapshot, type ByteSource } from '../logic/feedReader';
import { rejectsFile } from './rejects';
import type { FeedOutcome } from './types';

const show = { show: { operation: ['compare'] } };

export const description = updateDisplayOptions(show, [
	{
		displayName: 'Sync Mode',
		name: 'syncMode',
		type: 'options',
		options: [
			{
				name: 'Changes Only',
				value: 'changes',
				description: 'New, changed and removed members since the last snapshot',
			},
			{
				name: 'Full Resync',
				value: 'full',
				description: 'Every member in the feed (heals edits made on the other side)',
			},
			{
				name: 'Backfill',
				value: 'backfill',
				description: 'The members with the given IDs or opt-in dates, changed or not',
			},
		],
		default: 'changes',
	},
	{
		displayName: 'Member IDs',
		name: 'backfillMemberIds',
		type: 'string',
		default: '',
		placeholder: 'm000001, m000002',
		description: 'Comma- or line-separated member IDs to send again',
		displayOptions: { show: { syncMode: ['backfill'] } },
	},
	{
		displayName: 'Opted In From',
		name: 'backfillOptInFrom',
		type: 'dateTime',
		default: '',
		description: 'Also send members who opted in on or after this date',
		displayOptions: { show: { syncMode: ['backfill'] } },
	},
	{
		displayName: 'Opted In To',
		name: 'backfillOptInTo',
		type: 'dateTime',
		default: '',
		description: 'Also send members who opted in on or before this date',
		displayOptions: { show: { syncMode: ['backfill'] } },
	},
	{
		displayName: 'Last Snapshot',
		name: 'snapshotSource',
		type: 'options',
		options: [
			{ name: 'File on Disk', value: 'path' },
			{ name: 'Binary Property', value: 'binary', description: 'E.g. read from S3 first.' },
			{ name: 'None (First Run)', value: 'none' },
		],
		default: 'path',
	},
	{
		displayName: 'Snapshot File Path',
		name: 'snapshotPath',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/home/node/.n8n-files/loyalty-sync/member-snapshot.csv',
		description:
			'Where the template stores the snapshot after a successful push. A missing file is a first run.',
		displayOptions: { show: { snapshotSource: ['path'] } },
	},
	{
		displayName: 'Snapshot Binary Property',
		name: 'snapshotBinaryProperty',
		type: 'string',
		default: 'snapshot',
		description: 'The input binary field holding the last snapshot; absent means a first run',
		displayOptions: { show: { snapshotSource: ['binary'] } },
	},
	{
		displayName: 'Stop Below (% of Snapshot Rows)',
		name: 'minSharePercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 50,
		description:
			'A feed with fewer member rows than this share of the last snapshot (or with none) stops the run before anything is removed: no member items, no new snapshot, status "stopped"',
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only count and preview: the Members output stays empty (nothing goes on to be written) and the summary has no new snapshot',
	},
	{
		displayName: 'Max Members per Run',
		name: 'maxChanges',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50000,
		description:
			'At most this many member items per run; the others stay due and go out on the next run (keeps memory bounded on a first sync of a large program)',
	},
	...operationOptions(
		{
			displayName: 'Preview Size',
			name: 'previewSize',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 20,
			description: 'How many changes the summary shows field by field (for a dry run)',
		},
		{
			displayName: 'Snapshot File Name',
			name: 'snapshotFileName',
			type: 'string',
			default: 'member-snapshot.csv',
		},
	),
]);

function memberIds(text: string): Set<string> | undefined {
	const ids = text
		.split(/[\s,;]+/)
		.map((id) => id.trim())
		.filter(Boolean);
	return ids.length ? new Set(ids) : undefined;
}

function dateParameter(context: IExecuteFunctions, name: string, itemIndex: number) {
	const value = context.getNodeParameter(name, itemIndex, '') as string;
	if (!value) return undefined;
	const ms = Date.parse(value);
	if (Number.isNaN(ms))
		throw new NodeOperationError(context.getNode(), `Item ${itemIndex}: "${name}" is not a date`, {
			itemIndex,
		});
	return ms;
}

/** Opens the last snapshot (the comparison reads it twice); undefined on a first run. */
async function lastSnapshot(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<(() => Promise<ByteSource>) | undefined> {
	const source = context.getNodeParameter('snapshotSource', itemIndex) as string;
	if (source === 'none') return undefined;
	if (source === 'binary') {
		const property = context.getNodeParameter('snapshotBinaryProperty', itemIndex) as string;
		const item = context.getInputData()[itemIndex];
		if (!item.binary?.[property]) return undefined;
		return async () => (await binaryFile(context, itemIndex, property)).source;
	}
	const path = (context.getNodeParameter('snapshotPath', itemIndex) as string).trim();
	if (!path)
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex}: "Snapshot File Path" is empty`,
			{ itemIndex },
		);
	let opened: ByteSource | undefined = (await diskFile(context, itemIndex, path))?.source;
	if (!opened) return undefined;
	return async () => {
		const first = opened;
		opened = undefined;
		return first ?? (await diskFile(context, itemIndex, path))?.source ?? [];
	};
}

function preview(changes: MemberChange[], size: number): IDataObject[] {
	return changes.slice(0, size).map((change) => ({
		memberId: change.memberId,
		change: change.change,
		line: change.line,
		fields: (change.change === 'new' || change.change === 'resync'
			? Object.keys(change.record)
			: change.changedFields
		).map((field) => ({
			field,
			from: change.previous[field] ?? null,
			to: change.record[field] ?? null,
		})),
	}));
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<FeedOutcome> {
	const started = Date.now();
	const mode = this.getNodeParameter('syncMode', itemIndex) as SyncMode;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const feed = await feedFile(this, itemIndex);
	const snapshot = await lastSnapshot(this, itemIndex);
	let backfill: Backfill | undefined;
	if (mode === 'backfill') {
		backfill = {
			memberIds: memberIds(this.getNodeParameter('backfillMemberIds', itemIndex, '') as string),
			optInFrom: dateParameter(this, 'backfillOptInFrom', itemIndex),
			optInTo: dateParameter(this, 'backfillOptInTo', itemIndex),
		};
		if (!backfill.memberIds && backfill.optInFrom === undefined && backfill.optInTo === undefined)
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: a backfill needs member IDs or an opt-in date window`,
				{ itemIndex },
			);
	}
	const rejectLimit = (options.rejectListLimit as number | undefined) ?? 1000;
	const result = await compareWithSnapshot({
		feed: feed.source,
		snapshot,
		options: readFeedFormat(this, itemIndex),
		detection: {
			mode,
			backfill,
			maxChanges: this.getNodeParameter('maxChanges', itemIndex, 50000) as number,
		},
		minShareOfSnapshot: (this.getNodeParameter('minSharePercent', itemIndex, 50) as number) / 100,
		rejectLimit,
	});
	const { counts } = result;
	const pairedItem = { item: itemIndex };
	// Decided once here rather than by an If node after: an If evaluates its condition for each
	// of tens of thousands of member items.
	const dryRun = this.getNodeParameter('dryRun', itemIndex, false) as boolean;
	const members: INodeExecutionData[] = (dryRun ? [] : result.changes).map((change) => ({
		json: {
			change: change.change,
			memberId: change.memberId,
			line: change.line,
			changedFields: change.changedFields,
			clearedFields: change.clearedFields,
			previous: change.previous,
			...change.record,
		},
		pairedItem,
	}));
	const binary = await rejectsFile(this, result.rejects);
	if (result.snapshot && !dryRun)
		binary.snapshot = await this.helpers.prepareBinaryData(
			result.snapshot,
			(options.snapshotFileName as string | undefined) || 'member-snapshot.csv',
			'text/csv',
		);
	const summary: IDataObject = {
		mode,
		dryRun,
		status: result.stopReason ? 'stopped' : 'ready',
		stopReason: result.stopReason ?? null,
		sourceFile: feed.fileName ?? null,
		snapshotFound: snapshot !== undefined,
		snapshotRows: counts.snapshotRows,
		rowsRead: result.rowsRead,
		rowsRejected: result.rowsRejected,
		newMembers: counts.newMembers,
		changedMembers: counts.changedMembers,
		removedMembers: counts.removedMembers + counts.optedOutMembers,
		optedOutMembers: counts.optedOutMembers,
		goneMembers: counts.removedMembers,
		unchangedMembers: counts.unchangedMembers,
		resyncMembers: counts.resyncMembers,
		toSend: dryRun ? 0 : members.length,
		wouldSend: result.changes.length,
		deferred: counts.deferred,
		changedFieldCounts: counts.changedFieldCounts,
		feedFields: result.feedFields,
		ignoredColumns: result.ignoredColumns,
		rejects: result.rejects.map((reject) => ({ ...reject })),
		preview: preview(result.changes, (options.previewSize as number | undefined) ?? 20),
		durationMs: Date.now() - started,
	};
	return { members, summary: { json: summary, binary, pairedItem } };
}
