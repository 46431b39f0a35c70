import type { IExecuteFunctions } from 'n8n-workflow';

import { memberBody } from '../../../nodes/AnnexCloud/helpers/parameters';
import { maskHeaders } from '../../../nodes/AnnexCloudTrigger/logic/signature';
import { mergeCampaignParts } from '../../../nodes/LoyaltyReport/logic/campaignReview';
import { mergeSyncHealthParts } from '../../../nodes/LoyaltyReport/logic/syncHealth';
import { mergeRecords, type PushRecord } from '../../../nodes/Ometria/logic/batching';
import { flattenProperties } from '../../../nodes/Ometria/logic/eventMapping';
import { compileFieldPath } from '../../../nodes/shared/memberValues';
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

	it('the sync-health merge skips hostile reasons given as a list', () => {
		const part = JSON.parse(
			'{"push": {"sent": 4, "rejectedByReason": [{"reason": "__proto__", "count": 3}, {"reason": "constructor", "count": 2}, {"reason": "invalid_email", "count": 1}]}}',
		);
		const merged = mergeSyncHealthParts([part], 'memberId');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect((merged.push as Record<string, unknown>).rejectedByReason).toEqual({ invalid_email: 1 });
	});

	it('Ometria merges two updates of one contact without adopting a hostile prototype', () => {
		const earlier = { '@type': 'contact', id: 'c-1', properties: { tier: 'Gold' } } as PushRecord;
		const later = JSON.parse(
			'{"@type": "contact", "id": "c-1", "properties": {"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "points": 10}, "channels": {"__proto__": {"polluted": "yes"}}}',
		) as PushRecord;
		const merged = mergeRecords(earlier, later);
		const properties = merged.properties as Record<string, unknown>;
		expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
		expect(properties.polluted).toBeUndefined();
		expect(Object.keys(properties)).toEqual(['tier', 'points']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('Ometria custom event properties refuse hostile names instead of sending them', () => {
		const { properties, errors } = flattenProperties(
			JSON.parse('{"__proto__": 1, "constructor": "x", "prototype": true, "points": 5}'),
		);
		expect(properties).toEqual({ points: 5 });
		expect(errors.map((error) => error.field)).toEqual([
			'properties.__proto__',
			'properties.constructor',
			'properties.prototype',
		]);
	});

	it('Annex Cloud member fields drop hostile extended attribute keys before sending', () => {
		const context = { getNode: () => ({ name: 'Annex Cloud' }) } as unknown as IExecuteFunctions;
		const body = memberBody(context, 0, {
			firstName: 'Ann',
			extendedAttribute:
				'{"__proto__": {"polluted": "yes"}, "constructor": 1, "prototype": 2, "favouriteStore": "Leeds"}',
		});
		expect(body).toEqual({ firstName: 'Ann', extendedAttribute: { favouriteStore: 'Leeds' } });
		expect(JSON.stringify(body)).not.toContain('__proto__');
		const parsed = memberBody(context, 0, {
			extendedAttribute: JSON.parse('{"__proto__": {"polluted": "yes"}}'),
		});
		expect(parsed).toEqual({});
	});

	it('the trigger copies no hostile header names onto the item', () => {
		const masked = maskHeaders(JSON.parse('{"__proto__": {"polluted": "yes"}, "x-shop": "a"}'), {
			type: 'none',
		});
		expect(Object.keys(masked)).toEqual(['x-shop']);
		expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
	});

	it('field paths read own keys only, so a setting cannot name a prototype', () => {
		expect(compileFieldPath('constructor.prototype')({})).toBeUndefined();
		expect(compileFieldPath('__proto__.polluted')({})).toBeUndefined();
	});
});
