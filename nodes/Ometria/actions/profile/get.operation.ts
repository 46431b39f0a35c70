import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { ometriaGet } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'by',
		type: 'options',
		options: [
			{ name: 'Email', value: 'email' },
			{ name: 'Profile ID', value: 'id' },
		],
		default: 'email',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		displayOptions: { show: { by: ['email'] } },
	},
	{
		displayName: 'Profile ID',
		name: 'profileId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { by: ['id'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['profile'], operation: ['get'] } },
	properties,
);

/** The profile, or nothing when no profile has the email (not an error). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const by = this.getNodeParameter('by', itemIndex) as string;
	if (by === 'id') {
		const id = String(this.getNodeParameter('profileId', itemIndex)).trim();
		return [
			(await ometriaGet.call(
				this,
				`/profiles/${encodeURIComponent(id)}`,
				{},
				itemIndex,
			)) as IDataObject,
		];
	}
	const email = String(this.getNodeParameter('email', itemIndex)).trim();
	const body = await ometriaGet.call(this, '/profiles', { email }, itemIndex);
	const list = Array.isArray(body) ? body : ((body as IDataObject | undefined)?.data ?? [body]);
	return (list as IDataObject[]).filter((profile) => profile && typeof profile === 'object');
}
