import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { fetchSegments } from '../helpers/lists';

/** Segments by title for the segment locator; the filter matches titles and IDs. */
export async function searchSegments(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const results = (await fetchSegments.call(this))
		.map((segment) => ({
			name: String(segment.title ?? segment.name ?? segment.id),
			value: String(segment.id),
		}))
		.filter(
			(segment) =>
				!needle || segment.name.toLowerCase().includes(needle) || segment.value.includes(needle),
		)
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
