import type { INodeProperties } from 'n8n-workflow';

/** Which fields identify a member: for de-duplication, holdout and the email channel. */
export const identityFields: INodeProperties[] = [
	{
		displayName: 'Member ID Field',
		name: 'memberIdField',
		type: 'string',
		default: 'id',
		required: true,
		description: 'Dot path of the member ID in each item, for de-duplication, holdout and state',
	},
	{
		displayName: 'Email Field',
		name: 'emailField',
		type: 'string',
		default: 'email',
		description: 'Dot path of the email address, for the email channel and de-duplication',
	},
];
