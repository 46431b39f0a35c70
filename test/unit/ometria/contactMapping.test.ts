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
			'@add_to_lists': [8402],
			'@remove_from_lists': [8403, 8404],
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

	it('writes a bracketed trunk prefix as E.164 and rejects what is not certain', () => {
		const phone = (phoneNumber: string) =>
			buildContactRecord({}, { id: 'a', email: 'a@b.co', phoneNumber });
		expect(phone('+44 (0)20 7946 0958').record?.phone_number).toBe('+442079460958');
		expect(phone('0044 (0)7700 900123').record?.phone_number).toBe('+447700900123');
		expect(phone('+1 (212) 555-0100').record?.phone_number).toBe('+12125550100');
		expect(phone('+39 06 6982 0000').record?.phone_number).toBe('+390669820000');
		const trunk = phone('+44 020 7946 0958');
		expect(fields(trunk)).toEqual(['phone_number']);
		expect(trunk.errors[0].message).toMatch(/0 after the country code/);
		expect(phone('020 7946 0958').errors[0].message).toMatch(/no country code/);
	});

	it('fails an invalid phone number on its field instead of dropping it', () => {
		const result = buildContactRecord(
			{},
			{ id: 'a', email: 'a@b.co', phoneNumber: '07700 900123' },
		);
		expect(result.record).toBeUndefined();
		expect(fields(result)).toEqual(['phone_number']);
	});

	it('keeps personal data out of IDs, naming the field', () => {
		const email = 'a@b.co';
		expect(fields(buildContactRecord({}, { id: 'jane@example.com', email }))).toEqual(['id']);
		expect(fields(buildContactRecord({}, { id: 'loy-jane@example.com', email }))).toEqual(['id']);
		expect(fields(buildContactRecord({}, { id: '+447700900123', email }))).toEqual(['id']);
		expect(fields(buildContactRecord({}, { id: '0044 7700 900123', email }))).toEqual(['id']);
		expect(fields(buildContactRecord({}, { id: '07700 900123', email }))).toEqual(['id']);
		expect(fields(buildContactRecord({}, { id: 'cust-020-7946-0958', email }))).toEqual(['id']);
		expect(buildContactRecord({}, { id: '07700 900123', email }).errors[0].message).toMatch(
			/contains a phone number/,
		);
		expect(fields(buildContactRecord({}, { id: 'a', customerId: 'jane@example.com' }))).toEqual([
			'customer_id',
		]);
		expect(fields(buildContactRecord({}, { email }))).toEqual(['id']);
		expect(buildContactRecord({}, { id: 12345678, email }).record?.id).toBe('12345678');
		expect(buildContactRecord({}, { id: 'm000123', email }).record?.id).toBe('m000123');
	});

	it('rejects a contact Ometria cannot match to a profile, phone only where the account matches on it', () => {
		const idOnly = buildContactRecord({}, { id: 'loy-1', firstName: 'Jane' });
		expect(fields(idOnly)).toEqual(['email']);
		expect(idOnly.errors[0].message).toMatch(/nothing Ometria can match a profile on/);
		expect(fields(buildContactRecord({}, { id: 'loy-1', phoneNumber: '+447700900123' }))).toEqual([
			'email',
		]);
		expect(
			buildContactRecord({}, { id: 'loy-1', phoneNumber: '+447700900123', matchOnPhone: true })
				.record?.phone_number,
		).toBe('+447700900123');
		expect(buildContactRecord({}, { id: 'loy-1', customerId: 'c-1' }).errors).toEqual([]);
		expect(
			buildContactRecord({}, { id: 'loy-1', requireIdentity: false, removeFromSegments: '8401' })
				.errors,
		).toEqual([]);
	});

	it('reads timestamps without an offset in the chosen time zone, never silently UTC', () => {
		const record = (timeZone?: string) =>
			buildContactRecord(
				{},
				{
					id: 'a',
					email: 'a@b.co',
					timeZone,
					timestampAcquired: '2026-05-01 10:00',
					emailMarketing: 'EXPLICITLY_OPTEDIN',
					emailConsentTimestamp: '2026-01-15T10:00',
				},
			).record!;
		expect(record('Europe/London')).toMatchObject({
			timestamp_acquired: '2026-05-01T10:00:00+01:00',
			timestamp_subscribed: '2026-01-15T10:00:00+00:00',
		});
		expect(record('America/New_York').timestamp_acquired).toBe('2026-05-01T10:00:00-04:00');
		expect(record('Europe/London').timestamp_acquired).not.toBe(
			record('Asia/Tokyo').timestamp_acquired,
		);
		expect(
			buildContactRecord(
				{ loyaltyId: 'l1', email: 'a@b.co', optInDate: '2026-05-01 08:30' },
				{ loyaltyPreset: {}, timeZone: 'Asia/Tokyo' },
			).record?.properties,
		).toEqual({ annex_loyalty_id: 'l1', annex_opt_in_date: '2026-05-01T08:30:00+09:00' });
	});

	it('sends segment ids as integers and names a segment id that is not one', () => {
		const ok = buildContactRecord({}, { id: 'a', email: 'a@b.co', addToSegments: '8401, 8402' });
		expect(ok.record?.['@add_to_lists']).toEqual([8401, 8402]);
		const bad = buildContactRecord({}, { id: 'a', email: 'a@b.co', addToSegments: 'vip' });
		expect(bad.errors).toEqual([
			{ field: '@add_to_lists', message: 'segment IDs are whole numbers, got "vip"' },
		]);
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
		const email = 'a@b.co';
		expect(fields(buildContactRecord({}, { id: 'a', email, forceOptin: true }))).toEqual([
			'@force_optin',
		]);
		expect(fields(buildContactRecord({}, { id: 'a', email, emailMarketing: 'YES' }))).toEqual([
			'marketing_optin',
		]);
		expect(fields(buildContactRecord({}, { id: 'a', email, smsMarketing: 'maybe' }))).toEqual([
			'channels.sms.allow_marketing',
		]);
	});

	it('never clears a stored consent with an empty value', () => {
		for (const empty of ['', '  ', null, undefined]) {
			const record = buildContactRecord(
				{},
				{ id: 'a', email: 'a@b.co', emailMarketing: empty, smsMarketing: empty },
			).record!;
			expect(record).not.toHaveProperty('marketing_optin');
			expect(record).not.toHaveProperty('channels');
			expect(record).not.toHaveProperty('@force_optin');
		}
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
