import type { INodeProperties } from 'n8n-workflow';

import { channelOptions } from './common';

export const outreachChannels: INodeProperties = {
	displayName: 'Outreach Channels',
	name: 'channels',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Channel',
	description:
		'Channels in order of preference, with the send time in the member’s time zone (the outreach rhythm)',
	default: {
		channel: [
			{ channel: 'email', time: '10:00', dayOffset: 0 },
			{ channel: 'sms', time: '10:00', dayOffset: 0 },
			{ channel: 'push', time: '10:00', dayOffset: 0 },
		],
	},
	options: [
		{
			displayName: 'Channel',
			name: 'channel',
			values: [
				{
					displayName: 'Channel',
					name: 'channel',
					type: 'options',
					options: channelOptions,
					default: 'email',
				},
				{
					displayName: 'Days After Today',
					name: 'dayOffset',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
				},
				{
					displayName: 'Send Time',
					name: 'time',
					type: 'string',
					default: '10:00',
					placeholder: 'HH:mm',
					description: 'Local time in the member’s time zone, 24-hour HH:mm',
				},
			],
		},
	],
};
