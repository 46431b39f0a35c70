import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import type { ClearedFieldHandling } from '../../logic/clearedFields';
import { buildContactRecord, type ContactParameters } from '../../logic/contactMapping';
import {
	ANNEX_LOYALTY_FIELDS,
	sourceFieldOf,
	type CustomProperty,
	type PropertyType,
} from '../../logic/loyaltyPreset';
import { readFieldPath } from '../../../shared/memberValues';
import type { ParameterReader } from '../../helpers/parameters';
import { executeWrite } from '../../helpers/writeOperation';
import {
	collectionField,
	contactIdField,
	customerIdField,
	emailField,
	pushOptions,
} from '../../descriptions/parameters';
import { additionalFieldsCollection } from '../../../shared/descriptions';

const presetFieldOptions = ANNEX_LOYALTY_FIELDS.map((field) => ({
	name: field.label,
	value: field.key,
	description: field.property
		? `Sent as properties.${field.property}${field.documented ? '' : ' (create this custom field in Ometria first)'}`
		: `Sent as the contact's ${field.contactField}`,
})).sort((a, b) => a.name.localeCompare(b.name));

const propertyTypeOptions = [
	{ name: 'As Is', value: 'auto' },
	{ name: 'Boolean', value: 'boolean' },
	{ name: 'Date (ISO 8601)', value: 'date' },
	{ name: 'Integer', value: 'integer' },
	{ name: 'Number', value: 'number' },
	{ name: 'String', value: 'string' },
];

const properties: INodeProperties[] = [
	{ ...contactIdField },
	{ ...emailField },
	{ ...customerIdField },
	{ ...collectionField },
	{
		displayName: 'Merge With Existing Record',
		name: 'merge',
		type: 'boolean',
		default: true,
		description: 'Whether fields not sent keep their stored values (Ometria @merge)',
	},
	{
		displayName: 'Loyalty Fields',
		name: 'loyaltyPreset',
		type: 'options',
		options: [
			{
				name: 'Annex Cloud Loyalty Profile',
				value: 'annexCloud',
				description:
					"Read the loyalty fields of the Annex Cloud node's member profile (loyaltyId, availablePoints, currentTier, …) from each item into Ometria's Annex Cloud custom fields (annex_*)",
			},
			{ name: 'None', value: 'none', description: 'Send only the fields set on this node' },
		],
		default: 'annexCloud',
		description:
			'Email, names, phone, birthday and contact ID also come from the profile where the fields above are left empty',
	},
	{
		displayName: 'Loyalty Field Options',
		name: 'presetOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { loyaltyPreset: ['annexCloud'] } },
		options: [
			{
				displayName: 'Cleared Fields',
				name: 'clearedFields',
				type: 'options',
				options: [
					{
						name: 'Clear in Ometria (Send Null)',
						value: 'null',
						description:
							'A loyalty field the item lists as cleared at the source (and that is empty in the item) is sent as null, which replaces the stored value',
					},
					{
						name: "Keep Ometria's Value",
						value: 'keep',
						description: 'Cleared fields are not sent; Ometria keeps what it has',
					},
				],
				default: 'null',
				description:
					'Empty values are never sent on their own. Only fields the item names in its cleared-fields list (the Member Feed node lists those that had a value in the last snapshot and are empty in the full feed) are cleared.',
			},
			{
				displayName: 'Cleared Fields List',
				name: 'clearedFieldsList',
				type: 'string',
				default: 'clearedFields',
				description:
					'The item field holding the names of the cleared loyalty fields (a list, or comma-separated text)',
			},
			{
				displayName: 'Fields to Skip',
				name: 'exclude',
				type: 'multiOptions',
				options: presetFieldOptions,
				default: [],
			},
			{
				displayName: 'Include Fields Without a Default Ometria Field',
				name: 'includeUndocumented',
				type: 'boolean',
				default: false,
				description:
					'Whether to also send zip code, hold points, tier achieved date and first/last purchase date as annex_zip_code, annex_hold_points, annex_tier_achieved_date, annex_first_purchase_date and annex_last_purchase_date (create these custom fields in Ometria first)',
			},
			{
				displayName: 'Source Field Names',
				name: 'sourceFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Source Field',
				description:
					'Where a loyalty field is found in the input item when its name differs (dot paths allowed)',
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{
								displayName: 'Loyalty Field',
								name: 'key',
								type: 'options',
								options: presetFieldOptions,
								default: 'availablePoints',
							},
							{
								displayName: 'Source Field Name',
								name: 'source',
								type: 'string',
								default: '',
								placeholder: 'e.g. points.available',
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Custom Fields',
		name: 'customProperties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Custom Field',
		description: 'More contact custom fields (properties), by the Field ID created in Ometria',
		options: [
			{
				displayName: 'Field',
				name: 'property',
				values: [
					{
						displayName: 'Field ID',
						name: 'fieldId',
						type: 'string',
						default: '',
						placeholder: 'e.g. loyalty_tier',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: propertyTypeOptions,
						default: 'auto',
					},
				],
			},
		],
	},
	{
		displayName: 'Consent',
		name: 'consent',
		type: 'collection',
		placeholder: 'Add Consent',
		default: {},
		description:
			'Marketing consent is sent only when set here and only when the value is not empty: an empty value never clears a stored consent',
		options: [
			{
				displayName: 'Email Consent Time',
				name: 'emailConsentTimestamp',
				type: 'string',
				default: '',
				description: 'When the email consent was given or withdrawn (ISO 8601)',
			},
			{
				displayName: 'Email Marketing',
				name: 'emailMarketing',
				type: 'options',
				options: [
					{ name: 'Not Sent', value: '' },
					{ name: 'Not Specified', value: 'NOT_SPECIFIED' },
					{ name: 'Opted In', value: 'EXPLICITLY_OPTEDIN' },
					{ name: 'Opted Out', value: 'EXPLICITLY_OPTEDOUT' },
				],
				default: '',
				description:
					"Ometria marketing_optin, usually an expression on the source's consent; empty sends nothing",
			},
			{
				displayName: 'Force Email Opt-In',
				name: 'forceOptin',
				type: 'boolean',
				default: false,
				description:
					'Whether this email consent overrides every other source (Ometria @force_optin). Only for an authoritative source such as a preference centre.',
			},
			{
				displayName: 'SMS Consent Time',
				name: 'smsConsentTimestamp',
				type: 'string',
				default: '',
				description: 'When the SMS consent was given or withdrawn (ISO 8601)',
			},
			{
				displayName: 'SMS Marketing',
				name: 'smsMarketing',
				type: 'options',
				options: [
					{ name: 'Allow', value: 'allow' },
					{ name: 'Deny', value: 'deny' },
					{ name: 'Not Sent', value: '' },
				],
				default: '',
				description:
					"Ometria channels.sms.allow_marketing, usually an expression on the source's consent; empty sends nothing",
			},
		],
	},
	additionalFieldsCollection([
		{
			displayName: 'Account Matches Profiles on Phone',
			name: 'matchOnPhone',
			type: 'boolean',
			default: false,
			description:
				'Whether your Ometria account is set up to match profiles on phone numbers, so a contact with only a phone number (no email, no customer ID) can be sent',
		},
		{
			displayName: 'Add to Segment Names or IDs',
			name: 'addToSegments',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getSegments' },
			default: [],
			description:
				'Static segments to add the contact to. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Country Code',
			name: 'countryId',
			type: 'string',
			default: '',
			placeholder: 'e.g. GB',
			description: 'ISO 3166-1 alpha-2',
		},
		{
			displayName: 'Date of Birth',
			name: 'dateOfBirth',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1990-01-15',
		},
		{
			displayName: 'First Acquired',
			name: 'timestampAcquired',
			type: 'string',
			default: '',
			description: 'When the contact was first acquired (ISO 8601)',
		},
		{
			displayName: 'First Name',
			name: 'firstName',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Gender',
			name: 'gender',
			type: 'options',
			options: [
				{ name: 'Female', value: 'f' },
				{ name: 'Male', value: 'm' },
				{ name: 'Other', value: 'o' },
			],
			default: 'f',
		},
		{
			displayName: 'Last Name',
			name: 'lastName',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Middle Name',
			name: 'middleName',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. +447700900123',
			description: 'International format (E.164); any other number fails the item',
		},
		{
			displayName: 'Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'e.g. Ms',
		},
		{
			displayName: 'Remove From Segment Names or IDs',
			name: 'removeFromSegments',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getSegments' },
			default: [],
			description:
				'Static segments to remove the contact from. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
	]),
	pushOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['upsert'] } },
	properties,
);

interface PresetParameter {
	clearedFields?: ClearedFieldHandling;
	clearedFieldsList?: string;
	exclude?: string[];
	includeUndocumented?: boolean;
	sourceFields?: { field?: Array<{ key: string; source: string }> };
}

export function readContactParameters(
	read: ParameterReader,
	itemIndex: number,
	timeZone = 'utc',
): ContactParameters {
	const parameter = <T>(name: string, fallback: T) => read(name, itemIndex, fallback);
	const additional = parameter<IDataObject>('additionalFields', {});
	const consent = parameter<IDataObject>('consent', {});
	const presetMode = parameter<string>('loyaltyPreset', 'annexCloud');
	const preset =
		presetMode === 'annexCloud' ? parameter<PresetParameter>('presetOptions', {}) : undefined;
	const custom = parameter<{
		property?: Array<{ fieldId: string; value: unknown; type?: PropertyType }>;
	}>('customProperties', {});
	return {
		id: parameter('contactId', ''),
		email: parameter('email', ''),
		customerId: parameter('customerId', ''),
		collection: parameter('collection', 'loyalty'),
		merge: parameter('merge', true),
		timeZone,
		...additional,
		matchOnPhone: additional.matchOnPhone === true,
		emailMarketing: consent.emailMarketing,
		emailConsentTimestamp: consent.emailConsentTimestamp,
		forceOptin: consent.forceOptin === true,
		smsMarketing: consent.smsMarketing,
		smsConsentTimestamp: consent.smsConsentTimestamp,
		loyaltyPreset: preset
			? {
					exclude: preset.exclude,
					includeUndocumented: preset.includeUndocumented,
					sourceFields: Object.fromEntries(
						(preset.sourceFields?.field ?? []).map((entry) => [entry.key, entry.source]),
					),
				}
			: undefined,
		clearedFields: preset
			? { handling: preset.clearedFields ?? 'null', listField: preset.clearedFieldsList }
			: undefined,
		customProperties: (custom.property ?? []) as CustomProperty[],
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	return await executeWrite.call(this, {
		name: 'contact.upsert',
		recordType: 'contact',
		buildRecord(itemIndex, parameter, context) {
			return buildContactRecord(
				items[itemIndex].json,
				readContactParameters(parameter, itemIndex, context.timeZone),
			);
		},
		identify(itemIndex, parameter) {
			const own = readContactParameters(parameter, itemIndex);
			const fromItem = (key: string) => {
				const field = ANNEX_LOYALTY_FIELDS.find((entry) => entry.key === key);
				return own.loyaltyPreset && field
					? readFieldPath(items[itemIndex].json, sourceFieldOf(field, own.loyaltyPreset))
					: undefined;
			};
			return {
				memberId: own.id || fromItem('loyaltyId'),
				email: own.email || fromItem('email'),
			};
		},
	});
}
