import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { dateParameter, limitOf, memberBody } from '../../helpers/parameters';
import { MS_PER_DAY } from '../../../shared/dates';
import { formatAnnexDate } from '../../logic/dates';
import {
	inclusiveEnd,
	SEARCH_PAGE_CAP,
	searchByWindows,
	splitDateRange,
	type DateWindow,
} from '../../logic/searchWindows';
import { listIn } from '../../logic/unwrap';
import { annexRequest } from '../../transport';
import { returnAllAndLimit } from '../../../shared/descriptions';
import { searchFilterProperties } from '../../descriptions/parameters';
import type { OperationResult } from '../types';

const SEARCH_LIST_KEYS = ['userDetail', 'users', 'members', 'searchResult'];

/** The search fields that bound a date window, per date the user splits by. */
const WINDOW_FIELDS: Record<string, [string, string]> = {
	optInDate: ['optInStartDate', 'optInEndDate'],
	createDate: ['createStartDate', 'createEndDate'],
};

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['search'] } },
	[
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: searchFilterProperties(),
		},
		{
			displayName: 'Split By Date',
			name: 'splitBy',
			type: 'options',
			default: 'none',
			description:
				'Annex Cloud returns at most 50 members per search. To pull more, search date window by date window; a window that comes back full is halved until it fits.',
			options: [
				{ name: 'None (One Search, up to 50 Members)', value: 'none' },
				{ name: 'Opt-In Date', value: 'optInDate' },
				{ name: 'Create Date', value: 'createDate' },
			],
		},
		{
			displayName: 'From',
			name: 'windowStart',
			type: 'dateTime',
			default: '',
			required: true,
			description: 'Start of the first date window',
			displayOptions: { hide: { splitBy: ['none'] } },
		},
		{
			displayName: 'To',
			name: 'windowEnd',
			type: 'dateTime',
			default: '',
			description: 'End of the last date window. Empty means now.',
			displayOptions: { hide: { splitBy: ['none'] } },
		},
		{
			displayName: 'Window Size (Days)',
			name: 'windowDays',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			description: 'Length of each date window before any halving',
			displayOptions: { hide: { splitBy: ['none'] } },
		},
		...returnAllAndLimit(),
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const search = memberBody(
		this,
		itemIndex,
		this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
	);
	const limit = limitOf(this, itemIndex);
	const splitBy = this.getNodeParameter('splitBy', itemIndex, 'none') as string;
	const runSearch = async (extra: IDataObject) => {
		const answer = await annexRequest.call(this, 'POST', '/users/search', {
			itemIndex,
			body: { dataSearch: { ...search, ...extra } },
			idempotent: true,
		});
		return listIn(answer, SEARCH_LIST_KEYS) as IDataObject[];
	};

	if (splitBy === 'none') {
		const found = await runSearch({});
		if (limit === undefined && found.length >= SEARCH_PAGE_CAP) {
			throw new NodeOperationError(
				this.getNode(),
				"The search hit Annex Cloud's cap of 50 members",
				{
					itemIndex,
					description:
						'More members may match. Set "Split By Date" to search window by window, or narrow the filters.',
				},
			);
		}
		return limit === undefined ? found : found.slice(0, limit);
	}

	const start = dateParameter(
		this.getNodeParameter('windowStart', itemIndex, ''),
		this,
		itemIndex,
		'From',
	);
	if (start === undefined) {
		throw new NodeOperationError(this.getNode(), '"From" is required when splitting by date', {
			itemIndex,
		});
	}
	const end =
		dateParameter(this.getNodeParameter('windowEnd', itemIndex, ''), this, itemIndex, 'To') ??
		Date.now();
	const windowDays = Number(this.getNodeParameter('windowDays', itemIndex, 30));
	const [fromField, toField] = WINDOW_FIELDS[splitBy];
	const { results, truncatedWindows } = await searchByWindows(
		// The last window includes its end instant.
		splitDateRange(start, end + 1000, windowDays * MS_PER_DAY),
		async (window: DateWindow) =>
			await runSearch({
				[fromField]: formatAnnexDate(window.start),
				[toField]: formatAnnexDate(inclusiveEnd(window)),
			}),
		{ limit, keyOf: (member) => String(member.id ?? member.email ?? JSON.stringify(member)) },
	);
	if (truncatedWindows.length) {
		this.logger.warn(
			`Annex Cloud search: ${truncatedWindows.length} one-second window(s) still held 50 members; some may be missing`,
		);
	}
	return results;
}
