import type { IExecuteFunctions } from 'n8n-workflow';

import {
	assembleLoyaltyProfile,
	type LoyaltyProfile,
	type ProfileOptions,
	type ProfileSources,
} from '../logic/profile';
import { annexRequest, annexRequestAllPages, memberPath } from '../transport';

export const ACTIVITY_LIST_KEYS = ['activityDetail', 'activities'];

/**
 * The five reads of one profile go out together (the activity ledger's later pages follow its
 * first), then the pure assembly computes the derived fields.
 */
export async function fetchLoyaltyProfile(
	this: IExecuteFunctions,
	memberId: string,
	itemIndex: number,
	options: ProfileOptions,
): Promise<{ profile: LoyaltyProfile; raw: ProfileSources }> {
	const call = { itemIndex };
	const [user, points, tiers, rewards, activity] = await Promise.all([
		annexRequest.call(this, 'GET', memberPath('/users/{id}', memberId), call),
		annexRequest.call(this, 'GET', memberPath('/points/{id}', memberId), call),
		annexRequest.call(this, 'GET', memberPath('/users/{id}/tiers', memberId), call),
		annexRequest.call(this, 'GET', memberPath('/users/{id}/reward', memberId), call),
		annexRequestAllPages.call(
			this,
			memberPath('/users/{id}/activity', memberId),
			ACTIVITY_LIST_KEYS,
			call,
		),
	]);
	const raw: ProfileSources = { user, points, tiers, rewards, activity: activity.pages };
	return { profile: assembleLoyaltyProfile(raw, options), raw };
}
