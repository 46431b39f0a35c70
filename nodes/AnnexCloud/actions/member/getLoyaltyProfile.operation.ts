import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import { fetchLoyaltyProfile } from '../../helpers/profile';
import { memberIdOf, readActivitySummaryOptions } from '../../helpers/parameters';
import { DEFAULT_CONSENT_ATTRIBUTES, readConsentAndTimeZone } from '../../logic/profile';
import { activitySummaryOptions, memberIdProperty } from '../../descriptions/parameters';
import type { OperationResult } from '../types';
import { optionsCollection } from '../../../shared/descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['member'], operation: ['getLoyaltyProfile'] } },
	[
		memberIdProperty,
		optionsCollection([
			{
				displayName: 'Consent and Time Zone',
				name: 'consentAndTimeZone',
				type: 'collection',
				placeholder: 'Change attribute name',
				default: {},
				description:
					"Whether to add consent per channel (consent.email, consent.sms, consent.push) and the time zone (timeZone), read from the member's extended attributes. Annex Cloud has no standard fields for them; name your attributes here.",
				options: [
					{
						displayName: 'Email Consent Attribute',
						name: 'emailAttribute',
						type: 'string',
						default: 'emailOptIn',
					},
					{
						displayName: 'Push Consent Attribute',
						name: 'pushAttribute',
						type: 'string',
						default: 'pushOptIn',
					},
					{
						displayName: 'SMS Consent Attribute',
						name: 'smsAttribute',
						type: 'string',
						default: 'smsOptIn',
					},
					{
						displayName: 'Time Zone Attribute',
						name: 'timeZoneAttribute',
						type: 'string',
						default: 'timeZone',
						description: 'Holds an IANA time zone such as Europe/London',
					},
				],
			},
			...activitySummaryOptions(
				'The moment the profile describes: the weekly summary ends with the last complete week before it, and the next expiry is the first one after it. Empty means now.',
			),
			{
				displayName: 'Include Raw Responses',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the five API answers the profile was built from under "raw"',
			},
			{
				displayName: 'Weeks of Activity',
				name: 'weeks',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 12,
				description: 'How many ISO weeks the weekly activity summary covers',
			},
		]),
	],
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<OperationResult> {
	const memberId = memberIdOf(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { profile, raw } = await fetchLoyaltyProfile.call(this, memberId, itemIndex, {
		...readActivitySummaryOptions(this, itemIndex, options),
		weeks: Number(options.weeks ?? 12),
	});
	let json = profile as unknown as IDataObject;
	if (options.consentAndTimeZone !== undefined) {
		const names = { ...DEFAULT_CONSENT_ATTRIBUTES };
		for (const [option, name] of Object.entries(options.consentAndTimeZone as IDataObject)) {
			const key = option.replace(/Attribute$/, '');
			if (
				Object.prototype.hasOwnProperty.call(names, key) &&
				typeof name === 'string' &&
				name.trim() !== ''
			)
				names[key as keyof typeof names] = name.trim();
		}
		json = { ...json, ...(readConsentAndTimeZone(raw.user, names) as unknown as IDataObject) };
	}
	return options.includeRaw ? { ...json, raw: raw as unknown as IDataObject } : json;
}
