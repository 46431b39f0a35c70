import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asOfOption, timeZoneOption } from '../../shared/descriptions';
import { toAsOfInput } from '../../shared/dates';
import { isRuleFailure } from '../../shared/memberValues';
import { updateDisplayOptions } from '../../shared/updateDisplayOptions';
import { errorItem } from '../../shared/errorItem';
import { planEntitlementLifecycle, type LifecycleSettings } from '../logic/entitlementLifecycle';

export const description = updateDisplayOptions({ show: { operation: ['entitlementLifecycle'] } }, [
	{
		displayName:
			'All input items at once: the active rows of loyalty_entitlements, the members’ loyalty profiles (Annex Cloud: Get Loyalty Profile) and their reward history (Reward: Get History), told apart by their columns. One output item per step: mark_used, expire or notify.',
		name: 'lifecycleNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Reminder Days',
		name: 'reminderDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 7,
		description: 'Remind a member when an entitlement’s last day is at most this many days away',
	},
	{
		displayName: 'Unused After Days',
		name: 'unusedAfterDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 14,
		description: 'Tell a member about a benefit granted this many days ago and not used yet',
	},
	{
		displayName: 'Points Reminder Days',
		name: 'pointsReminderDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 14,
		description: 'Remind a member when Annex Cloud says points expire within this many days',
	},
	{
		displayName: 'Campaign Slug',
		name: 'campaignSlug',
		type: 'string',
		default: 'entitlement-lifecycle',
		description:
			'The day’s notices are recorded as the campaign “slug-day” (e.g. entitlement-lifecycle-2026-06-10)',
	},
	{
		displayName: 'Event Types',
		name: 'eventTypes',
		type: 'collection',
		placeholder: 'Add Event Type',
		default: {},
		description: 'Ometria custom event type of each notice',
		options: [
			{
				displayName: 'Benefit Expired',
				name: 'entitlementExpired',
				type: 'string',
				default: 'loyalty_entitlement_expired',
			},
			{
				displayName: 'Expiry Reminder',
				name: 'expiryReminder',
				type: 'string',
				default: 'loyalty_benefit_expiry_reminder',
			},
			{
				displayName: 'Points Expiry Reminder',
				name: 'pointsExpiryReminder',
				type: 'string',
				default: 'loyalty_points_expiry_reminder',
			},
			{
				displayName: 'Unused Benefits',
				name: 'unusedBenefits',
				type: 'string',
				default: 'loyalty_unused_benefits',
			},
		],
	},
	{
		...asOfOption,
		description:
			'The day to plan for; empty means today in the time zone. A date without a time zone is that day, so a day can be replayed.',
	},
	{
		...timeZoneOption,
		description:
			'IANA time zone whose calendar days count: a timestamp is converted to its day there',
	},
]);

function readSettings(context: IExecuteFunctions): LifecycleSettings {
	const parameter = <T>(name: string, fallback: T): T =>
		context.getNodeParameter(name, 0, fallback) as T;
	const eventTypes = parameter<IDataObject>('eventTypes', {});
	const eventType = (name: string, fallback: string) =>
		String(eventTypes[name] ?? '').trim() || fallback;
	return {
		asOf: toAsOfInput(parameter('asOf', '')),
		timeZone: parameter('timeZone', 'UTC'),
		reminderDays: parameter('reminderDays', 7),
		unusedAfterDays: parameter('unusedAfterDays', 14),
		pointsReminderDays: parameter('pointsReminderDays', 14),
		campaignSlug: parameter('campaignSlug', 'entitlement-lifecycle').trim(),
		eventTypes: {
			entitlement_expired: eventType('entitlementExpired', 'loyalty_entitlement_expired'),
			expiry_reminder: eventType('expiryReminder', 'loyalty_benefit_expiry_reminder'),
			points_expiry_reminder: eventType('pointsExpiryReminder', 'loyalty_points_expiry_reminder'),
			unused_benefits: eventType('unusedBenefits', 'loyalty_unused_benefits'),
		},
	};
}

/** One item per planned step, paired with the rows it comes from. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const planned = planEntitlementLifecycle(
		items.map((item) => item.json),
		readSettings(this),
	);
	if (isRuleFailure(planned)) {
		const error = new NodeOperationError(
			this.getNode(),
			`Parameter "${planned.field}": ${planned.message}`,
			{ itemIndex: 0 },
		);
		if (!this.continueOnFail()) throw error;
		return [
			errorItem(
				error,
				items.map((_, item) => ({ item })),
				{ field: planned.field },
			),
		];
	}
	return planned.map(({ rows, ...action }) => ({
		json: JSON.parse(JSON.stringify(action)) as IDataObject,
		pairedItem: rows.map((item) => ({ item })),
	}));
}
