import type { INodePropertyOptions } from 'n8n-workflow';

/** Option lists shared by several sections. */
export const channelOptions: INodePropertyOptions[] = [
	{ name: 'App Push', value: 'push' },
	{ name: 'Email', value: 'email' },
	{ name: 'SMS', value: 'sms' },
];

export const keyDateOptions: INodePropertyOptions[] = [
	{ name: 'Anniversary', value: 'anniversary' },
	{ name: 'Birthday', value: 'birthday' },
];
