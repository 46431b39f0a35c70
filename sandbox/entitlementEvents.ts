/**
 * The Ometria custom event types the entitlement templates send (14 lifecycle notices, 16 the
 * survey link, 17 a promotion). A real Ometria account must have them enabled; the sandbox
 * enables them by default, like the other templates' types.
 */
export const ENTITLEMENT_EVENT_TYPES: readonly string[] = [
	'loyalty_benefit_expiry_reminder',
	'loyalty_unused_benefits',
	'loyalty_entitlement_expired',
	'loyalty_points_expiry_reminder',
	'loyalty_benefit_survey',
	'loyalty_new_tier_promotion',
];
