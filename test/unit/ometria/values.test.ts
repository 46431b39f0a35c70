import {
	canonicalInstant,
	checkCalendarDate,
	checkDateTime,
	checkEmail,
	checkInteger,
	checkPhone,
	toIdList,
} from '../../../nodes/Ometria/logic/values';
import { readFieldPath } from '../../../nodes/shared/memberValues';

describe('Ometria value checks', () => {
	it('accepts E.164 phone numbers and strips formatting', () => {
		expect(checkPhone('+44 7700 900123')).toEqual({ value: '+447700900123' });
		expect(checkPhone('0044-7700-900123')).toEqual({ value: '+447700900123' });
		expect(checkPhone('+1 (415) 555-0100')).toEqual({ value: '+14155550100' });
	});

	it('rejects numbers that are not E.164 instead of dropping them', () => {
		for (const phone of ['07700 900123', '+0447700900123', '+44', 'call me', '+4477009001234567']) {
			expect(checkPhone(phone)).toHaveProperty('error');
		}
	});

	it('writes timestamps as ISO 8601 with an offset', () => {
		expect(checkDateTime('2024-08-08T07:00:12+0000')).toEqual({
			value: '2024-08-08T07:00:12+00:00',
		});
		expect(checkDateTime('2024-08-08T07:00:12Z')).toEqual({ value: '2024-08-08T07:00:12+00:00' });
		expect(checkDateTime('2024-08-08T09:00:12+02:00')).toEqual({
			value: '2024-08-08T09:00:12+02:00',
		});
		expect(checkDateTime('2024-08-08 07:00:12')).toEqual({ value: '2024-08-08T07:00:12+00:00' });
		expect(checkDateTime(1723100412)).toEqual({ value: '2024-08-08T07:00:12+00:00' });
		expect(checkDateTime(1723100412000)).toEqual({ value: '2024-08-08T07:00:12+00:00' });
		expect(checkDateTime('2024-08-08')).toEqual({ value: '2024-08-08' });
		expect(checkDateTime('2024-08-08', true)).toEqual({ value: '2024-08-08T00:00:00+00:00' });
		expect(checkDateTime('2024-02-30')).toHaveProperty('error');
		expect(checkDateTime('next tuesday')).toHaveProperty('error');
	});

	it('cuts a timestamp to its calendar date for date of birth', () => {
		expect(checkCalendarDate('1990-01-15')).toEqual({ value: '1990-01-15' });
		expect(checkCalendarDate('1990-01-15T23:30:00-05:00')).toEqual({ value: '1990-01-15' });
		expect(checkCalendarDate('15/01/1990')).toHaveProperty('error');
	});

	it('compares instants across spellings', () => {
		expect(canonicalInstant('2024-08-08T07:00:12+0000')).toBe(
			canonicalInstant('2024-08-08T09:00:12+02:00'),
		);
	});

	it('checks emails and whole numbers', () => {
		expect(checkEmail(' jane@example.com ')).toEqual({ value: 'jane@example.com' });
		expect(checkEmail('jane@')).toHaveProperty('error');
		expect(checkInteger('150')).toEqual({ value: 150 });
		expect(checkInteger(1.5)).toHaveProperty('error');
		expect(checkInteger('lots')).toHaveProperty('error');
	});

	it('reads field paths (the shared dialect) and ID lists', () => {
		expect(readFieldPath({ points: { available: 5 } }, 'points.available')).toBe(5);
		expect(readFieldPath({ 'a.b': 1, a: { b: 2 } }, 'a.b')).toBe(1);
		expect(readFieldPath({ a: 1 }, 'a.b')).toBeUndefined();
		expect(toIdList('8401, 8402,8401')).toEqual(['8401', '8402']);
		expect(toIdList([8401, { id: '8402' }])).toEqual(['8401', '8402']);
		expect(toIdList('')).toEqual([]);
	});
});
