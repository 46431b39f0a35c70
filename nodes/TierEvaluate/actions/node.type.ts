/**
 * Operations by resource, as the Operation parameter names them. The node has one resource, the
 * loyalty member, and so no Resource parameter.
 */
export type TierEvaluateMap = {
	member: 'evaluate' | 'entitlementLifecycle';
};
