import type { INodeProperties } from 'n8n-workflow';

export const memberIdProperty: INodeProperties = {
	displayName: 'Member ID',
	name: 'memberId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. jack@example.com',
	description: "The member's unique ID in Annex Cloud (often the email address)",
};

export const optInStatusOptions = [
	{ name: 'Yes', value: 'YES' },
	{ name: 'No', value: 'NO' },
];

/** Member fields Create and Update send (docs/annex-cloud.md, "Endpoints the package uses"). */
export function memberFieldProperties(includeEmail: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		{
			displayName: 'Anniversary Date',
			name: 'anniversaryDate',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2024-06-01',
		},
		{
			displayName: 'Birth Date',
			name: 'birthDate',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1990-06-01',
		},
		{
			displayName: 'Extended Attributes (JSON)',
			name: 'extendedAttribute',
			type: 'json',
			default: '{}',
			description:
				'Attributes defined in Annex Cloud under Additional Loyalty Settings > Extended Attributes',
		},
		{
			displayName: 'First Name',
			name: 'firstName',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Last Name',
			name: 'lastName',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Opt-In Date',
			name: 'optInDate',
			type: 'dateTime',
			default: '',
		},
		{
			displayName: 'Opt-In Status',
			name: 'optInStatus',
			type: 'options',
			options: optInStatusOptions,
			default: 'YES',
		},
		{
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'string',
			default: '',
			placeholder: 'e.g. ACTIVE',
		},
		{
			displayName: 'Zip Code',
			name: 'zipCode',
			type: 'string',
			default: '',
		},
	];
	if (includeEmail) {
		fields.splice(2, 0, {
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
		});
	}
	return fields;
}

/** Options shared by the operations that summarise the activity ledger per ISO week. */
export function activitySummaryOptions(asOfDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'As Of',
			name: 'asOf',
			type: 'dateTime',
			default: '',
			description: asOfDescription,
		},
		{
			displayName: 'Include Current Week',
			name: 'includeCurrentWeek',
			type: 'boolean',
			default: false,
			description:
				'Whether the weekly summary ends with the week in progress instead of the last complete week',
		},
		{
			displayName: 'Purchase Action IDs',
			name: 'purchaseActionIds',
			type: 'string',
			default: '109',
			description: 'Comma-separated action IDs that count as purchases',
		},
	];
}

/** Search filters: the member fields Annex Cloud's search takes, text fields with % wildcards. */
export function searchFilterProperties(): INodeProperties[] {
	const searchable = [
		'birthDate',
		'email',
		'extendedAttribute',
		'firstName',
		'lastName',
		'optInStatus',
		'phone',
		'status',
	];
	const wildcard = 'Exact value, or a pattern with % as wildcard (e.g. John%)';
	const fields = memberFieldProperties(true)
		.filter((field) => searchable.includes(field.name))
		.map((field) =>
			['email', 'firstName', 'lastName'].includes(field.name)
				? { ...field, description: wildcard }
				: field.name === 'extendedAttribute'
					? { ...field, description: 'Members whose extended attributes have these values' }
					: field,
		);
	return [...fields, { displayName: 'User ID', name: 'userId', type: 'string', default: '' }];
}
