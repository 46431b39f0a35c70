/**
 * What an Ometria account has set up before data arrives: custom contact fields (created under
 * Settings › Custom fields) and custom event types (enabled by Ometria per account). The sandbox
 * refuses properties and event types that are not declared, as Ometria does, and declares by
 * default everything this package's own nodes and templates send. Tests and demos declare more
 * through `startSandbox({ ometria: { customFields, eventTypes } })` or the control API.
 */
import { ENTITLEMENT_EVENT_TYPES } from './entitlementEvents';

/** Ometria's default Annex Cloud fields, the package's five extra `annex_*` fields, template 05's. */
export const DEFAULT_CUSTOM_FIELDS: readonly string[] = [
	'annex_loyalty_id',
	'annex_active_status',
	'annex_loyalty_anniversary_date',
	'annex_user_opt_in_status',
	'annex_opt_in_date',
	'annex_opt_in_source',
	'annex_opt_out_date',
	'annex_available_points',
	'annex_earned_points',
	'annex_used_points',
	'annex_next_expiring_points',
	'annex_points_expiration_date',
	'annex_expired_points',
	'annex_current_tier',
	'annex_next_tier',
	'annex_points_req_for_next_tier',
	'annex_tier_expiration_date',
	'annex_available_rewards1',
	'annex_points_req_for_next_reward',
	'annex_highest_available_reward1',
	'annex_first_activity',
	'annex_last_activity_date',
	'annex_action_id',
	'annex_action_name',
	'annex_zip_code',
	'annex_hold_points',
	'annex_tier_achieved_date',
	'annex_first_purchase_date',
	'annex_last_purchase_date',
	'loyalty_benefits',
	'loyalty_benefits_revoked',
	'loyalty_tier_changed_on',
];

const CARE_STEPS = ['warm_up', 'reminder', 'greeting'];

/** The Custom Event presets' types, and the types templates 01 and 03 to 07 send. */
export const DEFAULT_EVENT_TYPES: readonly string[] = [
	'annex_loy_opt_in',
	'annex_loy_point_accrual',
	'Annex_loy_point_redemption',
	'annex_loy_opt_out',
	'annex_tier_upgrade',
	'annex_tier_downgrade',
	'annex_tier_anniversary',
	'annex_close_to_tier_upgrade',
	'annex_user_created',
	'annex_user_updated',
	'annex_reward_issued',
	'lapsed_platinum_outreach',
	...['birthday', 'anniversary'].flatMap((kind) =>
		CARE_STEPS.map((step) => `care_${kind}_${step}`),
	),
	'care_points_expiring',
	'winback_gift_sent',
	'care_manual_greeting',
	...ENTITLEMENT_EVENT_TYPES,
];

/** An event more than this far in the past does not start an automation (Ometria support docs). */
export const AUTOMATION_MAX_AGE_MS = 4 * 60 * 60 * 1000;
/** At most this many contacts enter one flow at once … */
export const AUTOMATION_ENTRY_LIMIT = 1000;
/** … modelled per event type and 5-minute window of the events' timestamps (Ometria's advice). */
export const AUTOMATION_ENTRY_WINDOW_MS = 5 * 60 * 1000;

/** Whether an event enters an automation flow, and why not. */
export type AutomationEntry = 'entered' | 'too_old' | 'over_entry_limit';

/**
 * Entry into automation flows: an event timestamped more than 4 hours before it was received
 * never enters; a future one enters at its timestamp; per event type at most 1,000 contacts whose
 * events are timestamped in one 5-minute window enter, the rest are counted as over the limit.
 */
export class AutomationEntries {
	private readonly entered = new Map<string, Set<string>>();

	decide(
		eventType: string,
		timestampMs: number,
		receivedMs: number,
		contact: string,
	): AutomationEntry {
		if (receivedMs - timestampMs > AUTOMATION_MAX_AGE_MS) return 'too_old';
		const key = `${eventType}\u0000${Math.floor(timestampMs / AUTOMATION_ENTRY_WINDOW_MS)}`;
		let contacts = this.entered.get(key);
		if (!contacts) {
			contacts = new Set();
			this.entered.set(key, contacts);
		}
		if (contacts.has(contact)) return 'entered';
		if (contacts.size >= AUTOMATION_ENTRY_LIMIT) return 'over_entry_limit';
		contacts.add(contact);
		return 'entered';
	}

	clear(): void {
		this.entered.clear();
	}
}

export interface Unsubscribe {
	email_address: string;
	profile_id: string;
	type: string;
	/** `YYYY-MM-DDTHH:MM:SS` in UTC, as the endpoint's filters are written. */
	timestamp: string;
	reason: string | null;
}

/** `since` / `before` as Ometria documents them: `YYYY-MM-DDTHH:MM:SS`, UTC. */
export const UNSUBSCRIBE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
