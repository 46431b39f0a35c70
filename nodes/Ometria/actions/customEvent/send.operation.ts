import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/updateDisplayOptions';
import {
	AUTOMATION_ENTRY_BATCH,
	AUTOMATION_ENTRY_WINDOW_MINUTES,
	buildEventRecord,
	LOYALTY_EVENT_PRESETS,
	OCCURRED_AT_PROPERTY,
	presetEventType,
	spreadEntryTimes,
} from '../../logic/eventMapping';
import { isBlank, isPlainObject, type PlainObject } from '../../../shared/memberValues';
import { isSafeKey } from '../../../shared/safeKeys';
import { executeWrite } from '../../helpers/writeOperation';
import { pushOptions } from '../../descriptions/parameters';
import { additionalFieldsCollection } from '../../../shared/descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'eventPreset',
		type: 'options',
		options: [
			{
				name: 'Close to Tier Upgrade',
				value: 'close_to_tier_upgrade',
				description: 'Sent as annex_close_to_tier_upgrade',
			},
			{
				name: 'Custom',
				value: 'custom',
				description: 'Any event type enabled in your Ometria account',
			},
			{ name: 'Loyalty Opt-In', value: 'loy_opt_in', description: 'Sent as annex_loy_opt_in' },
			{ name: 'Loyalty Opt-Out', value: 'loy_opt_out', description: 'Sent as annex_loy_opt_out' },
			{
				name: 'Point Accrual',
				value: 'loy_point_accrual',
				description: 'Sent as annex_loy_point_accrual',
			},
			{
				name: 'Point Redemption',
				value: 'loy_point_redeem',
				description: 'Sent as Annex_loy_point_redemption',
			},
			{
				name: 'Tier Anniversary',
				value: 'tier_anniversary',
				description: 'Sent as annex_tier_anniversary',
			},
			{
				name: 'Tier Downgrade',
				value: 'tier_downgrade',
				description: 'Sent as annex_tier_downgrade',
			},
			{ name: 'Tier Upgrade', value: 'tier_upgrade', description: 'Sent as annex_tier_upgrade' },
			{
				name: 'Member Created',
				value: 'user_created',
				description: 'Sent as annex_user_created',
			},
			{
				name: 'Member Updated',
				value: 'user_updated',
				description: 'Sent as annex_user_updated',
			},
			{
				name: 'Reward Issued',
				value: 'reward_issued',
				description: 'Sent as annex_reward_issued',
			},
		].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'loy_point_accrual',
		description: 'A loyalty event of the Annex Cloud integration, or your own event type',
	},
	{
		displayName: 'Event Type',
		name: 'eventType',
		type: 'string',
		default: '',
		// Checked per item instead of `required`: n8n also demands a required field while it is
		// hidden, which blocks publishing when Event Preset is an expression.
		placeholder: 'e.g. loyalty_reward_unlocked',
		description:
			'Under 32 characters, as enabled by Ometria for your account. Needed with the Custom preset.',
		displayOptions: { show: { eventPreset: ['custom'] } },
	},
	{
		displayName: 'Source Event ID',
		name: 'sourceEventId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.activityId }}',
		description:
			"The loyalty system's ID for this event. The Ometria event ID is derived from it, so a retry or replay never creates a second event. Without it, member and time are used.",
	},
	{
		displayName: 'Timestamp',
		name: 'timestamp',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.createDate }}',
		description:
			'When the event happened (ISO 8601); taken from the source so replays keep the same ID',
	},
	{
		displayName: 'Member Email',
		name: 'identityEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Ometria identity_email. An email or an account ID is required.',
	},
	{
		displayName: 'Member Account ID',
		name: 'identityAccountId',
		type: 'string',
		default: '',
		description: "Ometria identity_account_id: the contact's customer ID",
	},
	{
		displayName: 'Event Properties',
		name: 'eventProperties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Property',
		description: 'Flat properties of the event, usable in Ometria filters and merge tags',
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Automation Entry',
		name: 'automation',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		description:
			'Ometria starts no automation for an event timestamped more than 4 hours ago, and lets at most 1,000 contacts enter a flow at once',
		options: [
			{
				displayName: 'Starts an Automation',
				name: 'startsAutomation',
				type: 'boolean',
				default: true,
				description: `Whether these events start an Ometria automation: a back-dated event is then sent with the send time, its real time in properties.${OCCURRED_AT_PROPERTY} and a warning on the item, and events of one type are spread over time`,
			},
			{
				displayName: 'Entry Batch Size',
				name: 'entryBatchSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: AUTOMATION_ENTRY_BATCH,
				description: 'At most this many events of one type share one entry window',
			},
			{
				displayName: 'Entry Window (Minutes)',
				name: 'entryWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: AUTOMATION_ENTRY_WINDOW_MINUTES,
				description: 'Each further batch is timestamped this much later than the one before',
			},
		],
	},
	additionalFieldsCollection([
		{
			displayName: 'Ometria Profile ID',
			name: 'profileId',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Properties Object',
			name: 'propertiesObject',
			type: 'json',
			default: '{}',
			description:
				'An object of properties, usually an expression; nested objects are flattened to parent_child names. Event Properties above win on the same name.',
		},
	]),
	pushOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customEvent'], operation: ['send'] } },
	properties,
);

function propertiesObject(this: IExecuteFunctions, value: unknown, itemIndex: number): PlainObject {
	if (isBlank(value)) return {};
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(this.getNode(), 'Properties Object is not valid JSON', {
				itemIndex,
			});
		}
	}
	if (!isPlainObject(parsed)) {
		throw new NodeOperationError(this.getNode(), 'Properties Object must be an object', {
			itemIndex,
		});
	}
	return { ...parsed };
}

interface AutomationSettings {
	startsAutomation?: boolean;
	entryBatchSize?: number;
	entryWindowMinutes?: number;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const automation = this.getNodeParameter('automation', 0, {}) as AutomationSettings;
	const startsAutomation = automation.startsAutomation ?? true;
	return await executeWrite.call(this, {
		name: 'customEvent.send',
		recordType: 'custom_event',
		buildRecord(itemIndex, read, context) {
			const parameter = <T>(name: string, fallback: T) => read(name, itemIndex, fallback);
			const preset = parameter('eventPreset', 'custom');
			const eventType = preset === 'custom' ? parameter('eventType', '') : presetEventType(preset);
			if (eventType === undefined) {
				return {
					errors: [
						{
							field: 'event_type',
							message: `unknown event preset "${preset}"; presets: ${LOYALTY_EVENT_PRESETS.map((entry) => entry.key).join(', ')}, custom`,
						},
					],
				};
			}
			const additional = parameter<IDataObject>('additionalFields', {});
			const fields = parameter<{ property?: Array<{ name: string; value: unknown }> }>(
				'eventProperties',
				{},
			);
			const eventProperties = propertiesObject.call(this, additional.propertiesObject, itemIndex);
			for (const { name, value } of fields.property ?? []) {
				if (isBlank(name)) continue;
				const key = String(name).trim();
				if (!isSafeKey(key)) {
					throw new NodeOperationError(this.getNode(), `"${key}" cannot be a property name`, {
						itemIndex,
					});
				}
				eventProperties[key] = value;
			}
			return buildEventRecord({
				eventType,
				sourceEventId: parameter('sourceEventId', ''),
				timestamp: parameter('timestamp', ''),
				identityEmail: parameter('identityEmail', ''),
				identityAccountId: parameter('identityAccountId', ''),
				profileId: additional.profileId,
				properties: eventProperties,
				timeZone: context.timeZone,
				automationSendTime: startsAutomation ? context.sendTime : undefined,
			});
		},
		identify(itemIndex, read) {
			return {
				memberId: read('identityAccountId', itemIndex, ''),
				email: read('identityEmail', itemIndex, ''),
			};
		},
		arrange(planned, context) {
			if (!startsAutomation) return;
			const moved = spreadEntryTimes(
				planned.map(({ record }) => ({
					eventType: String(record.event_type),
					timestamp: String(record.timestamp),
				})),
				context.sendTime,
				automation.entryBatchSize,
				automation.entryWindowMinutes,
			);
			moved.forEach((timestamp, index) => {
				if (timestamp === undefined) return;
				const { record } = planned[index];
				const properties = (record.properties ?? {}) as IDataObject;
				properties[OCCURRED_AT_PROPERTY] ??= record.timestamp as string;
				record.properties = properties;
				record.timestamp = timestamp;
			});
		},
	});
}
