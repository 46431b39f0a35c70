import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toAsOfInput } from '../../shared/dates';
import type { Combinator, Condition, FieldOperator, NumberOperator } from '../logic/conditions';
import type { Channel } from '../logic/outreach';
import type { SegmentConfig } from '../logic/segmentBuild';
import type { MemberFieldName } from '../descriptions/memberFields';
import { MEMBER_FIELD_DEFAULTS } from '../descriptions/memberFields';

interface ConditionRow {
	type?: string;
	field?: string;
	tierOperator?: 'isIn' | 'isNotIn';
	tiers?: string;
	dateOf?: 'lastPurchase' | 'lastActivity';
	keyDate?: 'birthday' | 'anniversary';
	channel?: Channel;
	consentGiven?: boolean;
	numberOperator?: NumberOperator;
	fieldOperator?: FieldOperator;
	value?: string;
	days?: number;
	weeks?: number;
	metric?: 'count' | 'points';
}

interface GroupRow {
	combinator?: Combinator;
	conditions?: { condition?: ConditionRow[] };
}

export interface SegmentNodeSettings {
	config: SegmentConfig;
	includeSummary: boolean;
}

type MemberFields = Record<MemberFieldName, string>;

const keyDateField = (fields: MemberFields, kind: string | undefined): string =>
	kind === 'anniversary' ? fields.anniversaryField : fields.birthdayField;

const consentField = (fields: MemberFields, channel: Channel | undefined): string =>
	channel === 'sms'
		? fields.smsConsentField
		: channel === 'push'
			? fields.pushConsentField
			: fields.emailConsentField;

/** A condition row of the Rule Groups parameter, with empty fields filled from Member Fields. */
function toCondition(row: ConditionRow, fields: MemberFields): Condition {
	const field = (fallback: string): string => (row.field ?? '').trim() || fallback;
	switch (row.type) {
		case 'points':
			return {
				type: 'points',
				field: field(fields.pointsField),
				operator: row.numberOperator ?? 'gt',
				value: row.value ?? '',
			};
		case 'daysSince':
			return {
				type: 'daysSince',
				field: field(
					row.dateOf === 'lastActivity' ? fields.lastActivityField : fields.lastPurchaseField,
				),
				operator: row.numberOperator ?? 'gt',
				value: row.value ?? '',
			};
		case 'keyDateWithin':
			return {
				type: 'keyDateWithin',
				field: field(keyDateField(fields, row.keyDate)),
				days: row.days ?? 7,
			};
		case 'keyDateStep':
			return { type: 'keyDateStep', field: field(keyDateField(fields, row.keyDate)) };
		case 'pointsExpiringWithin':
			return {
				type: 'pointsExpiringWithin',
				field: field(fields.pointsExpiryDateField),
				days: row.days ?? 7,
				pointsField: fields.expiringPointsField,
			};
		case 'activityDeclining':
			return {
				type: 'activityDeclining',
				field: field(fields.weeklyActivityField),
				weeks: row.weeks ?? 3,
				metric: row.metric ?? 'count',
			};
		case 'consent':
			return {
				type: 'consent',
				field: field(consentField(fields, row.channel)),
				granted: row.consentGiven !== false,
			};
		case 'field':
			return {
				type: 'field',
				field: row.field ?? '',
				operator: row.fieldOperator ?? 'equals',
				value: row.value ?? '',
			};
		default:
			return {
				type: 'tier',
				field: field(fields.tierField),
				operator: row.tierOperator ?? 'isIn',
				tiers: row.tiers ?? '',
			};
	}
}

/** Reads the node parameters (once, from the first item) into the segment configuration. */
export function readSegmentSettings(context: IExecuteFunctions): SegmentNodeSettings {
	const parameter = <T>(name: string, fallback: T): T =>
		context.getNodeParameter(name, 0, fallback) as T;
	const options = parameter<IDataObject>('options', {});
	const guardrails = parameter<IDataObject>('guardrails', {});
	const fields = {
		...MEMBER_FIELD_DEFAULTS,
		...parameter<Partial<MemberFields>>('memberFields', {}),
	};

	const groupRows = parameter<{ group?: GroupRow[] }>('groups', {}).group ?? [];
	const groups = groupRows.map((group) => ({
		combinator: group.combinator ?? 'and',
		conditions: (group.conditions?.condition ?? []).map((row) => toCondition(row, fields)),
	}));
	const kinds = new Set<string>((options.keyDates as string[] | undefined) ?? []);
	for (const row of groupRows.flatMap((group) => group.conditions?.condition ?? [])) {
		if (row.type === 'keyDateStep') kinds.add(row.keyDate ?? 'birthday');
	}
	const steps =
		parameter<{ step?: Array<{ daysBefore?: number; name?: string }> }>('keyDateSteps', {}).step ??
		[];
	const rhythm =
		parameter<{ channel?: Array<{ channel?: Channel; time?: string; dayOffset?: number }> }>(
			'channels',
			{},
		).channel ?? [];
	const offers = parameter<{ offer?: IDataObject[] }>('offers', {}).offer ?? [];
	const capTouches = (guardrails.frequencyCapTouches as number | undefined) ?? 0;

	const config: SegmentConfig = {
		fields: {
			memberId: parameter('memberIdField', 'id'),
			email: parameter('emailField', 'email'),
			tier: fields.tierField,
			interests: fields.interestsField,
			segments: fields.segmentsField,
			touchHistory: fields.touchHistoryField,
			blocklisted: fields.blocklistedField,
			previousMembership:
				options.membershipSource === 'memberField' ? fields.previousMembershipField : '',
		},
		rules: { combinator: parameter<Combinator>('combinator', 'and'), groups },
		asOf: toAsOfInput(options.asOf),
		timeZone: (options.timeZone as string | undefined) || 'UTC',
		timeZoneField: fields.timeZoneField,
		feb29: options.feb29Rule === 'mar1' ? 'mar1' : 'feb28',
		keyDateSteps: steps.map((step) => ({
			daysBefore: step.daysBefore ?? NaN,
			name: step.name ?? '',
		})),
		keyDates: [...kinds].map((kind) => ({ kind, field: keyDateField(fields, kind) })),
		outreach: {
			rhythm: rhythm.map((entry) => ({
				channel: entry.channel ?? 'email',
				time: entry.time ?? '10:00',
				dayOffset: entry.dayOffset ?? 0,
			})),
			mode: options.channelMode === 'first' ? 'first' : 'all',
			requireOptIn: guardrails.requireOptIn === true,
			unsubscribedChannelsField: fields.unsubscribedChannelsField,
			channels: {
				email: { address: parameter('emailField', 'email'), consent: fields.emailConsentField },
				sms: { address: fields.phoneField, consent: fields.smsConsentField },
				push: { address: fields.pushTokenField, consent: fields.pushConsentField },
			},
		},
		offers: offers.map((offer) => ({
			offerId: String(offer.offerId ?? ''),
			name: String(offer.offerName ?? ''),
			eligibleTiers: String(offer.eligibleTiers ?? ''),
			cost: offer.cost as number | undefined,
			expectedValue: offer.expectedValue as number | undefined,
			inventory:
				typeof offer.inventory === 'number' && offer.inventory >= 0 ? offer.inventory : null,
			interestTags: String(offer.interestTags ?? ''),
			targetConversion: offer.targetConversion as number | undefined,
		})),
		targetConversion: (options.targetConversion as number | undefined) ?? 0,
		guardrails: {
			dedupeByEmail: guardrails.dedupeByEmail !== false,
			blocklistIdField: (guardrails.blocklistIdField as string | undefined) ?? 'id',
			blocklistEmailField: (guardrails.blocklistEmailField as string | undefined) ?? 'email',
			frequencyCap:
				capTouches > 0
					? {
							maxTouches: capTouches,
							windowDays: (guardrails.frequencyCapDays as number | undefined) ?? 7,
						}
					: undefined,
			holdoutPercent: (guardrails.holdoutPercent as number | undefined) ?? 0,
			holdoutSalt: (guardrails.holdoutSalt as string | undefined) ?? '',
			sensitiveSegments: (guardrails.sensitiveSegments as string | undefined) ?? '',
		},
		includeNonMatching: options.includeNonMatching === true,
	};
	const segmentKey = ((options.segmentKey as string | undefined) ?? '').trim() || 'default';
	config.offerLearning = {
		outcomes: options.offerOutcomes,
		knowledgeBase: options.offerKnowledgeBase,
		segment: segmentKey,
	};
	return {
		config,
		includeSummary: options.includeSummary === true,
	};
}
