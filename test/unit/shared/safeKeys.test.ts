import { mergeCampaignParts } from '../../../nodes/LoyaltyReport/logic/campaignReview';
import { mergeSyncHealthParts } from '../../../nodes/LoyaltyReport/logic/syncHealth';
import { safeEntries } from '../../../nodes/shared/safeKeys';

/** Input JSON with own `__proto__` keys, as JSON.parse makes them from a webhook body or a file. */
const hostile = JSON.parse(
	'{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "campaign": {"name": "Spring", "__proto__": {"polluted": "yes"}}}',
) as Record<string, unknown>;

afterEach(() => {
	// Should a test fail, the pollution must not leak into the next one.
	delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('keys copied from input JSON', () => {
	it('skips __proto__, constructor and prototype', () => {
		expect(safeEntries(hostile).map(([key]) => key)).toEqual(['campaign']);
	});

	it('Loyalty Report "All Items" merges hostile parts without touching Object.prototype', () => {
		const merged = mergeCampaignParts([hostile, { campaign: { name: 'Spring' }, sent: 10 }]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
		expect(merged).toEqual({ campaign: { name: 'Spring' }, sent: 10 });
	});

	it('the sync-health merge skips hostile member ids and reasons', () => {
		const part = JSON.parse(
			'{"source": {"__proto__": {"polluted": "yes"}, "m-1": {"tier": "Gold"}}, "push": {"sent": 1, "rejectedByReason": {"__proto__": 3, "invalid_email": 1}}}',
		);
		const merged = mergeSyncHealthParts([part], 'memberId');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(merged.source).toEqual([{ tier: 'Gold', memberId: 'm-1' }]);
		expect((merged.push as Record<string, unknown>).rejectedByReason).toEqual({ invalid_email: 1 });
	});
});
