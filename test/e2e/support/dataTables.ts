/**
 * n8n Data Tables through the server's REST API as the owner: what a test writes before a template
 * runs (rows another template would have recorded) and reads afterwards.
 */
import { n8n } from './n8n';

export type ColumnType = 'string' | 'number' | 'boolean' | 'date';
type Row = Record<string, unknown>;

async function projectId(): Promise<string> {
	return (await n8n().rest<{ id: string }>('GET', '/rest/projects/personal')).id;
}

async function findTable(project: string, name: string) {
	const tables = await n8n().rest<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		`/rest/projects/${project}/data-tables`,
	);
	return tables.data.find((table) => table.name === name);
}

/** Inserts rows, creating the table first with the given columns when it does not exist. */
export async function insertRows(
	name: string,
	columns: ReadonlyArray<readonly [string, ColumnType]>,
	rows: Row[],
): Promise<void> {
	const project = await projectId();
	const table =
		(await findTable(project, name)) ??
		(await n8n().rest<{ id: string }>('POST', `/rest/projects/${project}/data-tables`, {
			name,
			columns: columns.map(([column, type]) => ({ name: column, type })),
		}));
	for (let start = 0; start < rows.length; start += 500) {
		await n8n().rest('POST', `/rest/projects/${project}/data-tables/${table.id}/insert`, {
			data: rows.slice(start, start + 500),
		});
	}
}

/** Every row of a table (empty when the table does not exist). */
export async function readRows(name: string): Promise<Row[]> {
	const project = await projectId();
	const table = await findTable(project, name);
	if (!table) return [];
	const page = await n8n().rest<{ data: Row[] }>(
		'GET',
		`/rest/projects/${project}/data-tables/${table.id}/rows?take=1000`,
	);
	return page.data;
}
