import type { ResourceOperations } from '../../shared/operations';
import type { Operation } from './types';

/** Resources and their operations, as the Resource and Operation parameters name them. */
export type AnnexCloudMap = {
	activity: 'getMany' | 'getWeeklySummary';
	member: 'create' | 'get' | 'getLoyaltyProfile' | 'optIn' | 'optOut' | 'search' | 'update';
	points: 'award' | 'deduct' | 'getBalance' | 'getExpirySchedule';
	reward: 'assign' | 'getAvailable' | 'getHistory' | 'redeem';
	tier: 'getMany' | 'getMemberTier';
};

export type AnnexCloudOperations<Resource extends keyof AnnexCloudMap> = ResourceOperations<
	AnnexCloudMap,
	Resource,
	Operation
>;
