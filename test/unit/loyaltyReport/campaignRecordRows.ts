/** Campaign record rows as the templates write them (docs/data-tables.md), for the unit tests. */

export const CAMPAIGN_ID = 'lapsed-platinum-2026-06-01';
export const SENT_AT = '2026-06-01T09:00:00.000Z';
export const ENDS_AT = '2026-06-15T09:00:00.000Z';

export function campaignRow(overrides: Record<string, unknown> = {}) {
	return {
		campaignId: CAMPAIGN_ID,
		campaignSlug: 'lapsed-platinum',
		name: 'Lapsed Platinum win-back',
		template: '03 Segment sync',
		segment: 'lapsed-platinum',
		offerId: 'gift-travel-kit',
		channels: 'email,sms',
		eventType: 'lapsed_platinum_outreach',
		ometriaCampaignId: 'omc-lapsed-platinum',
		status: 'sent',
		createdAt: '2026-06-01T08:00:00.000Z',
		sentAt: SENT_AT,
		endsAt: ENDS_AT,
		audience: 60,
		holdout: 20,
		excluded: 0,
		sent: 80,
		accepted: 80,
		rejected: 0,
		costPerEmail: 0.5,
		costPerSms: 1,
		costPerOffer: 2,
		conversionDays: 14,
		...overrides,
	};
}

export const memberId = (group: string, n: number) => `${group}-${String(n).padStart(3, '0')}`;

export function memberRows(target: number, holdout: number) {
	const row = (id: string, group: string) => ({
		memberKey: `${CAMPAIGN_ID}:${id}`,
		campaignId: CAMPAIGN_ID,
		memberId: id,
		segment: 'lapsed-platinum',
		group,
		reason: '',
		offerId: 'gift-travel-kit',
		couponCode: '',
		source: 'rules',
		recordedAt: SENT_AT,
	});
	return [
		...Array.from({ length: target }, (_, i) => row(memberId('t', i), 'target')),
		...Array.from({ length: holdout }, (_, i) => row(memberId('h', i), 'holdout')),
	];
}

export function touchRow(id: string, channel: string, status = 'sent') {
	return {
		touchKey: `${CAMPAIGN_ID}:${id}:segment_entry:${channel}`,
		campaignId: CAMPAIGN_ID,
		memberId: id,
		step: 'segment_entry',
		channel,
		status,
		reason: '',
		plannedFor: SENT_AT,
		sentAt: status === 'sent' ? SENT_AT : null,
		memberLocalDate: '2026-06-01',
		ometriaEventId: `evt-${id}-${channel}`,
		couponCode: '',
		source: '03 Segment sync',
	};
}

export function engagementRow(id: string, channel: string, eventType: string) {
	const at = '2026-06-02T10:00:00.000Z';
	return {
		engagementKey: `omc-lapsed-platinum:${id}:${channel}:${eventType}:${at}`,
		ometriaCampaignId: 'omc-lapsed-platinum',
		campaignId: CAMPAIGN_ID,
		memberId: id,
		channel,
		eventType,
		occurredAt: at,
		sourceFile: `ometria-export-${channel}-20260603000000.csv`,
		loadedAt: '2026-06-03T00:05:00.000Z',
	};
}

let activity = 0;
/** An Annex Cloud activity line as the Annex Cloud node returns it (memberId added). */
export function purchaseLine(id: string, points: number, createDate = '2026-06-05T12:00:00+0000') {
	activity++;
	return {
		memberId: id,
		activityId: `api-${activity}`,
		actionId: 109,
		activity: 'CREDIT',
		credit: points,
		debit: 0,
		pointType: 'Standard',
		pointStatus: 'Released',
		displayText: 'Purchase',
		reason: 'Purchase',
		orderId: `ord-${activity}`,
		rewardCode: null,
		createDate,
		expireDate: null,
	};
}

/** A survey answer as template 16 records it in `loyalty_benefit_feedback`. */
export function feedbackRow(
	id: string,
	rating: number,
	{ benefitId = 'gift-travel-kit', answeredAt = '2026-06-06T10:00:00.000Z', comment = '' } = {},
) {
	return {
		feedbackKey: `${id}:${benefitId}:redemption:${answeredAt}`,
		memberId: id,
		benefitId,
		benefitName: benefitId === 'gift-travel-kit' ? 'Travel kit' : benefitId,
		source: 'redemption',
		surveyId: `redemption:${answeredAt}`,
		rating,
		comment,
		answeredAt,
	};
}
