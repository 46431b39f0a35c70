import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ByteSource } from '../logic/feedReader';

/** Chunks of 1 MiB: few enough reads, little memory. */
const CHUNK_BYTES = 1024 * 1024;

export interface FeedFile {
	source: ByteSource;
	fileName?: string;
}

/**
 * The file in an item's binary property, streamed from n8n's binary data store (filesystem, S3
 * or database mode) so that a feed of any size is never loaded whole.
 */
export async function binaryFile(
	context: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<FeedFile> {
	if (!context.getInputData()[itemIndex].binary?.[propertyName])
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex}: no file in the binary field "${propertyName}" (is the member feed missing?)`,
			{ itemIndex },
		);
	const binary = context.helpers.assertBinaryData(itemIndex, propertyName);
	if (binary.id) {
		const stream = await context.helpers.getBinaryStream(binary.id, CHUNK_BYTES);
		return { source: stream as unknown as ByteSource, fileName: binary.fileName };
	}
	const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return { source: [buffer], fileName: binary.fileName };
}

/** The member feed of an item, from the node's Feed Binary Property. */
export async function feedFile(context: IExecuteFunctions, itemIndex: number): Promise<FeedFile> {
	const property = context.getNodeParameter('binaryPropertyName', itemIndex) as string;
	return await binaryFile(context, itemIndex, property);
}

/**
 * A file read from disk through n8n's file helpers (which apply N8N_RESTRICT_FILE_ACCESS_TO).
 * Undefined when the file does not exist.
 */
export async function diskFile(
	context: IExecuteFunctions,
	itemIndex: number,
	path: string,
): Promise<FeedFile | undefined> {
	const resolved = await context.helpers.resolvePath(path);
	if (context.helpers.isFilePathBlocked(resolved))
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex}: n8n does not allow reading "${path}" (see N8N_RESTRICT_FILE_ACCESS_TO)`,
			{ itemIndex },
		);
	let stream: AsyncIterable<Uint8Array>;
	try {
		stream = (await context.helpers.createReadStream(
			resolved,
		)) as unknown as AsyncIterable<Uint8Array>;
	} catch (error) {
		if ((error as { code?: string }).code === 'ENOENT') return undefined;
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
	const iterator = stream[Symbol.asyncIterator]();
	let first: IteratorResult<Uint8Array>;
	try {
		first = await iterator.next();
	} catch (error) {
		if ((error as { code?: string }).code === 'ENOENT') return undefined;
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
	async function* chunks(): AsyncGenerator<Uint8Array> {
		if (first.done) return;
		yield first.value;
		for (let next = await iterator.next(); !next.done; next = await iterator.next())
			yield next.value;
	}
	return { source: chunks(), fileName: path.split('/').pop() };
}
