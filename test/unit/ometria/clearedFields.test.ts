import { buildContactRecord } from '../../../nodes/Ometria/logic/contactMapping';
import { mergeContact } from '../../../sandbox/ometria';

const member = {
	loyaltyId: 'm000042',
	email: 'member42@example.com',
	firstName: 'Ada',
	lastName: null,
	phone: null,
	currentTier: 'Gold',
	availablePoints: 1200,
	nextTier: null,
	zipCode: null,
	clearedFields: ['phone', 'nextTier', 'lastName', 'zipCode'],
};

describe('fields cleared at the source', () => {
	it('sends null for the listed fields that are empty, and nothing for other empty fields', () => {
		const { record, errors } = buildContactRecord(
			{ ...member, activeStatus: null },
			{ loyaltyPreset: {}, clearedFields: { handling: 'null' } },
		);
		expect(errors).toEqual([]);
		expect(record).toMatchObject({
			id: 'm000042',
			email: 'member42@example.com',
			firstname: 'Ada',
			lastname: null,
			phone_number: null,
		});
		const properties = record!.properties as Record<string, unknown>;
		expect(properties.annex_next_tier).toBeNull();
		expect(properties.annex_current_tier).toBe('Gold');
		// Empty but not listed as cleared: not sent at all.
		expect('annex_active_status' in properties).toBe(false);
		// Zip code has no default Ometria field and is not sent unless asked for.
		expect('annex_zip_code' in properties).toBe(false);
	});

	it('keeps the stored value when clearing is turned off, or when nothing is listed', () => {
		for (const parameters of [
			{ loyaltyPreset: {}, clearedFields: { handling: 'keep' as const } },
			{ loyaltyPreset: {} },
		]) {
			const { record } = buildContactRecord(member, parameters);
			expect(record).not.toHaveProperty('phone_number');
			expect(record).not.toHaveProperty('lastname');
			expect(record!.properties).not.toHaveProperty('annex_next_tier');
		}
		const { record } = buildContactRecord(
			{ ...member, clearedFields: [] },
			{ loyaltyPreset: {}, clearedFields: { handling: 'null' } },
		);
		expect(record).not.toHaveProperty('phone_number');
	});

	it('never clears a field that still has a value, the email, or a value set on the node', () => {
		const { record } = buildContactRecord(
			{ ...member, email: 'member42@example.com', clearedFields: 'email, currentTier, phone' },
			{
				loyaltyPreset: { includeUndocumented: true },
				clearedFields: { handling: 'null' },
				phoneNumber: '+447700900123',
			},
		);
		expect(record!.email).toBe('member42@example.com');
		expect(record!.phone_number).toBe('+447700900123');
		expect((record!.properties as Record<string, unknown>).annex_current_tier).toBe('Gold');
	});

	it('reads the cleared list and the source fields under the names the user chose', () => {
		const { record } = buildContactRecord(
			{ ...member, clearedFields: undefined, gone: ['tier.next'], tier: { next: '' } },
			{
				loyaltyPreset: { sourceFields: { nextTier: 'tier.next' }, includeUndocumented: true },
				clearedFields: { handling: 'null', listField: 'gone' },
			},
		);
		const properties = record!.properties as Record<string, unknown>;
		expect(properties.annex_next_tier).toBeNull();
		expect('annex_zip_code' in properties).toBe(false);
	});

	it('the sandbox clears a field sent as null under @merge and keeps the ones left out', () => {
		const stored = {
			id: 'm000042',
			email: 'member42@example.com',
			phone_number: '+447700900123',
			properties: { annex_next_tier: 'Platinum', annex_current_tier: 'Gold' },
		};
		const merged = mergeContact(stored, {
			id: 'm000042',
			phone_number: null,
			properties: { annex_next_tier: null, annex_available_points: '1200' },
		});
		expect(merged).toEqual({
			id: 'm000042',
			email: 'member42@example.com',
			properties: { annex_current_tier: 'Gold', annex_available_points: '1200' },
		});
	});
});
