import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IBinaryData, IBinaryKeyData, IDataObject } from 'n8n-workflow';

import type { Sandbox } from '../../../sandbox';
import type { NextDayShares } from '../../../sandbox/feed';
import { operationWorkflow } from '../support/operation';
import { runWorkflow, type WorkflowRun } from '../support/runWorkflow';

export { fileSandbox } from '../support/operation';

export const MEMBER_FEED = 'Member Feed';

/** The sandbox's member feed of today (or, with `nextDay`, of the next day) as an n8n file. */
export async function sandboxFeed(sandbox: Sandbox, nextDay?: NextDayShares) {
	const folder = await mkdtemp(join(tmpdir(), 'member-feed-'));
	try {
		const written = await sandbox.writeMemberFeed(join(folder, 'member-feed.csv'), nextDay);
		return { ...written, file: csvFile(await readFile(written.path), 'member-feed.csv') };
	} finally {
		await rm(folder, { recursive: true, force: true });
	}
}

export function csvFile(content: Buffer, fileName: string): IBinaryData {
	return { data: content.toString('base64'), mimeType: 'text/csv', fileName };
}

/** The bytes of a file the node wrote, e.g. the new snapshot. */
export function fileContent(file: IBinaryData): Buffer {
	return Buffer.from(file.data, 'base64');
}

/**
 * Runs the workflow of `path` (`read`, its `.workflow.json` beside its test) on one item holding
 * `files`, with `parameters` set over the Member Feed node's.
 */
export async function runFeedOperation(
	path: string,
	files: IBinaryKeyData,
	parameters: IDataObject = {},
	input: IDataObject = {},
): Promise<WorkflowRun> {
	return await runWorkflow(operationWorkflow(__dirname, path, MEMBER_FEED, parameters), {
		input: [input],
		binary: [files],
	});
}
