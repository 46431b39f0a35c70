import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import {
	channelsByEmail,
	normalizeUnsubscribe,
	UNSUBSCRIBE_TYPE_CHANNELS,
	unsubscribeList,
	unsubscribeTime,
	type Unsubscribe,
	type UnknownTypeRule,
} from '../../logic/unsubscribes';
import { resolveTimeZone } from '../../helpers/timeZone';
import { ometriaGet } from '../../transport';
import { timeZoneOption } from '../../descriptions/parameters';
import { optionsCollection } from '../../../shared/descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Since',
		name: 'since',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-01-01 or {{ $now.minus({ days: 30 }).toISO() }}',
		description:
			'Unsubscribes at or after this time; empty asks Ometria without a start. Sent as YYYY-MM-DDTHH:MM:SS in UTC.',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'One Item per Unsubscribe',
				value: 'each',
				description: 'Email, profile ID, type, channel (email or sms), time and reason',
			},
			{
				name: 'One Lookup Item',
				value: 'lookup',
				description:
					"One item whose channelsByEmail maps each lower-case email to its unsubscribed channels, for Segment Build's Unsubscribed Channels Field",
			},
		],
		default: 'each',
	},
	optionsCollection([
		{
			displayName: 'Before',
			name: 'before',
			type: 'string',
			default: '',
			description: 'Unsubscribes before this time only',
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 250 },
			default: 100,
			description:
				'Unsubscribes asked for per request (limit and offset paging, as other Ometria list endpoints use)',
		},
		{
			displayName: 'Paging',
			name: 'paging',
			type: 'options',
			options: [
				{
					name: 'Limit and Offset',
					value: 'limitOffset',
					description: 'Ask page after page until one comes back short',
				},
				{ name: 'One Request', value: 'none', description: 'Send no paging parameters' },
			],
			default: 'limitOffset',
			description: "Ometria's documentation does not say how this endpoint pages",
		},
		timeZoneOption('It applies to Since and Before.'),
		{
			displayName: 'Types',
			name: 'types',
			type: 'multiOptions',
			options: Object.keys(UNSUBSCRIBE_TYPE_CHANNELS).map((type) => ({
				name: type,
				value: type,
			})),
			default: [],
			description: 'Only these unsubscribe types; none chosen: every type',
		},
		{
			displayName: 'Undocumented Types Block',
			name: 'unknownTypes',
			type: 'options',
			options: [
				{ name: 'All Channels', value: 'all' },
				{ name: 'Email Only', value: 'email' },
				{ name: 'Nothing', value: 'ignore' },
			],
			default: 'all',
			description:
				'Which channels an unsubscribe of a type Ometria does not document blocks (all, to be safe)',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['unsubscribe'], operation: ['getAll'] } },
	properties,
);

interface UnsubscribeOptions {
	before?: string;
	pageSize?: number;
	paging?: 'limitOffset' | 'none';
	timeZone?: string;
	types?: string[];
	unknownTypes?: UnknownTypeRule;
}

/** Pages beyond this many are not asked for: a runaway answer must not loop forever. */
const MAX_PAGES = 10_000;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as UnsubscribeOptions;
	const zone = resolveTimeZone.call(this, options.timeZone, itemIndex);
	const query: IDataObject = {};
	for (const [name, value] of [
		['since', this.getNodeParameter('since', itemIndex, '')],
		['before', options.before],
	] as const) {
		if (value === undefined || value === null || String(value).trim() === '') continue;
		const time = unsubscribeTime(value, zone);
		if ('error' in time) {
			throw new NodeOperationError(
				this.getNode(),
				`${name === 'since' ? 'Since' : 'Before'}: ${time.error}`,
				{
					itemIndex,
				},
			);
		}
		query[name] = time.value;
	}
	const types = options.types?.length ? options.types : [undefined];
	const pageSize = options.pageSize ?? 100;
	const unsubscribes: Unsubscribe[] = [];
	for (const type of types) {
		for (let page = 0; page < MAX_PAGES; page++) {
			const qs: IDataObject = { ...query, ...(type ? { type } : {}) };
			if (options.paging !== 'none')
				Object.assign(qs, { limit: pageSize, offset: page * pageSize });
			const body = await ometriaGet.call(this, '/unsubscribes', qs, itemIndex);
			const list = unsubscribeList(body);
			if (!list) {
				throw new NodeOperationError(
					this.getNode(),
					'Ometria answered GET /unsubscribes with something other than a list',
					{ itemIndex, description: JSON.stringify(body).slice(0, 500) },
				);
			}
			for (const raw of list) {
				const entry = normalizeUnsubscribe(raw, options.unknownTypes ?? 'all');
				if (entry) unsubscribes.push(entry);
			}
			if (options.paging === 'none' || list.length < pageSize) break;
		}
	}
	if (this.getNodeParameter('output', itemIndex, 'each') === 'lookup') {
		return [
			{
				since: (query.since as string | undefined) ?? null,
				count: unsubscribes.length,
				channelsByEmail: channelsByEmail(unsubscribes),
			},
		];
	}
	return unsubscribes as unknown as IDataObject[];
}
