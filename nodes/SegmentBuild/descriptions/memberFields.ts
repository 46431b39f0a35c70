import type { INodeProperties } from 'n8n-workflow';

/**
 * Member field paths and their defaults. The defaults follow the Annex Cloud member shape the
 * package's Annex Cloud node and sandbox produce; a collection option the user never added is
 * absent from the parameters, so the node reads these same defaults.
 */
export const MEMBER_FIELD_DEFAULTS = {
	anniversaryField: 'anniversaryDate',
	birthdayField: 'birthDate',
	blocklistedField: '',
	emailConsentField: 'consent.email',
	expiringPointsField: 'pointsToExpire',
	interestsField: 'interests',
	lastActivityField: 'lastActivityDate',
	lastPurchaseField: 'lastPurchaseDate',
	phoneField: 'phone',
	pointsExpiryDateField: 'pointsToExpireDate',
	pointsField: 'availablePoints',
	previousMembershipField: '',
	pushConsentField: 'consent.push',
	pushTokenField: '',
	segmentsField: 'segments',
	smsConsentField: 'consent.sms',
	tierField: 'tier',
	timeZoneField: 'timeZone',
	touchHistoryField: 'touches',
	unsubscribedChannelsField: 'unsubscribedChannels',
	weeklyActivityField: 'weeklyActivity',
};

export type MemberFieldName = keyof typeof MEMBER_FIELD_DEFAULTS;

const memberField = (
	name: MemberFieldName,
	displayName: string,
	description: string,
): INodeProperties => {
	const fallback = MEMBER_FIELD_DEFAULTS[name];
	return { displayName, name, type: 'string', default: fallback, description };
};

export const memberFields: INodeProperties = {
	displayName: 'Member Fields',
	name: 'memberFields',
	type: 'collection',
	placeholder: 'Change Member Field',
	description: 'Dot paths of the member fields the rules, channels and guardrails read',
	default: {},
	options: [
		memberField('anniversaryField', 'Anniversary Field', 'Loyalty anniversary date'),
		memberField('birthdayField', 'Birthday Field', 'Birthday (YYYY-MM-DD, MM-DD or ISO 8601)'),
		memberField(
			'blocklistedField',
			'Blocklisted Flag Field',
			'A true value puts the member on the blocklist',
		),
		memberField(
			'emailConsentField',
			'Email Consent Field',
			'Email marketing consent (true/false, EXPLICITLY_OPTEDIN …)',
		),
		memberField('expiringPointsField', 'Expiring Points Field', 'Points that expire next'),
		memberField(
			'interestsField',
			'Interests Field',
			'Interest tags (list or comma-separated), for offers',
		),
		memberField('lastActivityField', 'Last Activity Date Field', 'Date of the last activity'),
		memberField('lastPurchaseField', 'Last Purchase Date Field', 'Date of the last purchase'),
		memberField('phoneField', 'Phone Field', 'Phone number for SMS'),
		memberField('pointsExpiryDateField', 'Points Expiry Date Field', 'Date the next points expire'),
		memberField('pointsField', 'Points Field', 'Points balance'),
		memberField(
			'previousMembershipField',
			'Previous Membership Field',
			'A true value means the member was in this segment last time (with Options → Previous Membership: From Member Field)',
		),
		memberField('pushConsentField', 'Push Consent Field', 'App push consent'),
		memberField(
			'pushTokenField',
			'Push Token Field',
			'Push token or app ID; when empty, push goes to members who gave push consent',
		),
		memberField(
			'segmentsField',
			'Segments Field',
			'Segments the member is in, checked against sensitive segments',
		),
		memberField('smsConsentField', 'SMS Consent Field', 'SMS marketing consent'),
		memberField('tierField', 'Tier Field', 'Tier name'),
		memberField(
			'timeZoneField',
			'Time Zone Field',
			'The member’s IANA time zone; empty values use the node time zone',
		),
		memberField(
			'touchHistoryField',
			'Touch History Field',
			'Past touches, for the frequency cap: calendar days (YYYY-MM-DD, the member’s local date) or ISO timestamps',
		),
		memberField(
			'unsubscribedChannelsField',
			'Unsubscribed Channels Field',
			'Channels the member unsubscribed from (email, sms, push or all)',
		),
		memberField(
			'weeklyActivityField',
			'Weekly Activity Field',
			'Weekly series, oldest first: numbers or {week, count, points}',
		),
	],
};
