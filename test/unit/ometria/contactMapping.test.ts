import { buildContactRecord } from '../../../nodes/Ometria/logic/contactMapping';

const fields = (result: ReturnType<typeof buildContactRecord>) =>
	result.errors.map((error) => error.field);

describe('contact mapping', () => {
	it('builds a contact record with identity, names, consent, segments and properties', () => {
		const result = buildContactRecord(
			{},
			{
				id: 'loy-000123',
				customerId: 'cust-98765',
				email: 'jane@example.com',
				firstName: 'Jane',
				lastName: 'Doe',
				phoneNumber: '+44 7700 900123',
				dateOfBirth: '1990-01-15',
				countryId: 'gb',
				gender: 'F',
				emailMarketing: 'EXPLICITLY_OPTEDIN',
				emailConsentTimestamp: '2025-03-01T10:00:00Z',
				smsMarketing: 'allow',
				smsConsentTimestamp: '2025-03-01T10:00:00Z',
				addToSegments: ['8402'],
				removeFromSegments: '8403,8404',
				customProperties: [{ fieldId: 'loyalty_vip', value: true, type: 'boolean' }],
			},
		);
		expect(result.errors).toEqual([]);
		expect(result.record).toEqual({
			'@type': 'contact',
			'@collection': 'loyalty',
			'@merge': true,
			id: 'loy-000123',
			customer_id: 'cust-98765',
			email: 'jane@example.com',
			firstname: 'Jane',
			lastname: 'Doe',
			phone_number: '+447700900123',
			date_of_birth: '1990-01-15',
			country_id: 'GB',
			gender: 'f',
			marketing_optin: 'EXPLICITLY_OPTEDIN',
			timestamp_subscribed: '2025-03-01T10:00:00+00:00',
			channels: {
				sms: { allow_marketing: true, dt_updated_marketing: '2025-03-01T10:00:00+00:00' },
			},
			'@add_to_lists': ['8402'],
			'@remove_from_lists': ['8403', '8404'],
			properties: { loyalty_vip: true },
		});
	});

	it('defaults the collection to loyalty and merge to on, and honours both', () => {
		expect(buildContactRecord({}, { id: 'a', email: 'a@b.co' }).record).toMatchObject({
			'@collection': 'loyalty',
			'@merge': true,
		});
		expect(
			buildContactRecord({}, { id: 'a', email: 'a@b.co', collection: 'crm', merge: false }).record,
		).toMatchObject({
			'@collection': 'crm',
			'@merge': false,
		});
	});

	it('fails an invalid phone number on its field instead of dropping it', () => {
		const result = buildContactRecord(
			{},
			{ id: 'a', email: 'a@b.co', phoneNumber: '07700 900123' },
		);
		expect(result.record).toBeUndefined();
		expect(fields(result)).toEqual(['phone_number']);
	});

	it('keeps personal data out of IDs', () => {
		expect(fields(buildContactRecord({}, { id: 'jane@example.com' }))).toEqual(['id']);
		expect(fields(buildContactRecord({}, { id: '+447700900123' }))).toEqual(['id']);
		expect(fields(buildContactRecord({}, { id: 'a', customerId: 'jane@example.com' }))).toEqual([
			'customer_id',
		]);
		expect(fields(buildContactRecord({}, {}))).toEqual(['id']);
		expect(buildContactRecord({}, { id: 12345678 }).record?.id).toBe('12345678');
	});

	it('sends @force_optin only when switched on, and only with a consent value', () => {
		const base = {
			id: 'a',
			email: 'a@b.co',
			emailMarketing: 'EXPLICITLY_OPTEDOUT',
			emailConsentTimestamp: '2025-01-01T00:00:00Z',
		};
		const plain = buildContactRecord({}, base).record!;
		expect(plain).not.toHaveProperty('@force_optin');
		expect(plain.timestamp_unsubscribed).toBe('2025-01-01T00:00:00+00:00');
		expect(buildContactRecord({}, { ...base, forceOptin: true }).record).toMatchObject({
			'@force_optin': true,
		});
		expect(fields(buildContactRecord({}, { id: 'a', forceOptin: true }))).toEqual(['@force_optin']);
		expect(fields(buildContactRecord({}, { id: 'a', emailMarketing: 'YES' }))).toEqual([
			'marketing_optin',
		]);
		expect(fields(buildContactRecord({}, { id: 'a', smsMarketing: 'maybe' }))).toEqual([
			'channels.sms.allow_marketing',
		]);
	});

	it('sends no consent when none is set', () => {
		const record = buildContactRecord({}, { id: 'a', email: 'a@b.co' }).record!;
		expect(record).not.toHaveProperty('marketing_optin');
		expect(record).not.toHaveProperty('channels');
	});

	it('fills identity from the loyalty preset where the parameters are empty', () => {
		const item = {
			loyaltyId: 'plat-001',
			email: 'p@example.com',
			firstName: 'Pat',
			phone: '+14155550100',
			currentTier: 'Gold',
		};
		const result = buildContactRecord(item, { firstName: 'Patricia', loyaltyPreset: {} });
		expect(result.record).toMatchObject({
			id: 'plat-001',
			email: 'p@example.com',
			firstname: 'Patricia',
			phone_number: '+14155550100',
			properties: { annex_loyalty_id: 'plat-001', annex_current_tier: 'Gold' },
		});
	});

	it('lets a user-defined field override a preset field', () => {
		const result = buildContactRecord(
			{ loyaltyId: 'x1', email: 'x@example.com', currentTier: 'Gold' },
			{ loyaltyPreset: {}, customProperties: [{ fieldId: 'annex_current_tier', value: 'GOLD' }] },
		);
		expect(result.record?.properties).toMatchObject({ annex_current_tier: 'GOLD' });
	});

	it('reports every bad field of an item', () => {
		const result = buildContactRecord(
			{ loyaltyId: 'x1', usedPoints: 'n/a' },
			{
				loyaltyPreset: {},
				email: 'nope',
				dateOfBirth: '31/12/1990',
				addToSegments: '1',
				removeFromSegments: '1',
			},
		);
		expect(fields(result).sort()).toEqual([
			'@add_to_lists',
			'date_of_birth',
			'email',
			'properties.annex_used_points',
		]);
	});
});
