import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fetchSegments } from '../helpers/lists';

export async function getSegments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return (await fetchSegments.call(this))
		.map((segment) => ({
			name: String(segment.title ?? segment.name ?? segment.id),
			value: String(segment.id),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
