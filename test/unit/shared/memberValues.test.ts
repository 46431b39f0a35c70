import {
	compileFieldPath,
	isBlank,
	isPlainObject,
	readFieldPath,
} from '../../../nodes/shared/memberValues';

describe('values module', () => {
	it.each([
		[undefined, true],
		[null, true],
		['', true],
		['   ', true],
		['0', false],
		[0, false],
		[false, false],
		[[], false],
	])('isBlank(%p) is %p', (value, blank) => {
		expect(isBlank(value)).toBe(blank);
	});

	it('calls only keyed objects plain objects', () => {
		expect(isPlainObject({ a: 1 })).toBe(true);
		expect(isPlainObject([])).toBe(false);
		expect(isPlainObject(null)).toBe(false);
		expect(isPlainObject('text')).toBe(false);
	});
});

describe('the field path dialect', () => {
	const member = {
		email: 'a@example.com',
		address: { city: 'Leeds' },
		orders: [{ amount: 12 }, { amount: 30 }],
		'consent.sms': 'no',
		consent: { sms: 'yes' },
	};

	it.each([
		['email', 'a@example.com'],
		['address.city', 'Leeds'],
		['orders[1].amount', 30],
		['orders.1.amount', 30],
		[' orders[0].amount ', 12],
		['address.zip', undefined],
		['email.domain', undefined],
		['', undefined],
	])('reads %p', (path, expected) => {
		expect(compileFieldPath(path)(member)).toBe(expected);
	});

	it('reads a key that itself contains dots before walking into objects', () => {
		expect(compileFieldPath('consent.sms')(member)).toBe('no');
		expect(compileFieldPath('consent.sms')({ consent: { sms: 'yes' } })).toBe('yes');
	});

	it('reads nothing from values that are not objects', () => {
		expect(compileFieldPath('a.b')(null)).toBeUndefined();
		expect(compileFieldPath('a')('text')).toBeUndefined();
	});

	it('reads own properties only, never into a prototype', () => {
		expect(compileFieldPath('constructor')({})).toBeUndefined();
		expect(compileFieldPath('a.constructor.prototype')({ a: {} })).toBeUndefined();
		expect(compileFieldPath('__proto__')(JSON.parse('{"__proto__": {"x": 1}}'))).toEqual({ x: 1 });
		expect(compileFieldPath('toString')({ toString: 'own' })).toBe('own');
	});

	it('reads the same through the cached reader', () => {
		expect(readFieldPath(member, 'orders[1].amount')).toBe(30);
		expect(readFieldPath(member, 'orders[1].amount')).toBe(30);
		expect(readFieldPath(member, 'consent.sms')).toBe('no');
	});
});
