import {
	channelOfUnsubscribe,
	channelsByEmail,
	normalizeUnsubscribe,
	unsubscribeList,
	unsubscribeTime,
} from '../../../nodes/Ometria/logic/unsubscribes';

describe('Ometria unsubscribes', () => {
	it('maps the documented types to email or SMS, and undocumented ones as the user chose', () => {
		expect(channelOfUnsubscribe('preferences_centre')).toBe('email');
		expect(channelOfUnsubscribe('link_unsubscribe')).toBe('email');
		expect(channelOfUnsubscribe('stopword_unsubscribe_DO')).toBe('sms');
		expect(channelOfUnsubscribe('whatsapp_stop')).toBe('all');
		expect(channelOfUnsubscribe('whatsapp_stop', 'email')).toBe('email');
		expect(channelOfUnsubscribe('whatsapp_stop', 'ignore')).toBeUndefined();
	});

	it('reads entries as documented, from a bare list or a wrapped one', () => {
		const raw = {
			email_address: 'Jane@Example.com',
			profile_id: 'p1',
			type: 'stopword_unsubscribe_TF',
			timestamp: '2026-03-01T10:00:00',
			reason: 'STOP',
		};
		expect(unsubscribeList([raw])).toEqual([raw]);
		expect(unsubscribeList({ data: [raw] })).toEqual([raw]);
		expect(unsubscribeList({ status: 'ERROR' })).toBeUndefined();
		expect(normalizeUnsubscribe(raw, 'all')).toEqual({
			email: 'jane@example.com',
			profileId: 'p1',
			type: 'stopword_unsubscribe_TF',
			channel: 'sms',
			timestamp: '2026-03-01T10:00:00',
			reason: 'STOP',
		});
		expect(normalizeUnsubscribe({ type: 'app' }, 'all')).toBeNull();
	});

	it('groups channels by lower-case email for a lookup', () => {
		const entry = (email: string, type: string) =>
			normalizeUnsubscribe({ email_address: email, type }, 'ignore')!;
		expect(
			channelsByEmail([
				entry('a@example.com', 'link_unsubscribe'),
				entry('A@example.com', 'stopword_unsubscribe_TF'),
				entry('a@example.com', 'app'),
				entry('b@example.com', 'unknown_type'),
			]),
		).toEqual({ 'a@example.com': ['email', 'sms'] });
	});

	it('writes since and before as YYYY-MM-DDTHH:MM:SS in UTC', () => {
		expect(unsubscribeTime('2026-03-01T10:00:00+02:00', 'UTC')).toEqual({
			value: '2026-03-01T08:00:00',
		});
		expect(unsubscribeTime('2026-03-01', 'Europe/London')).toEqual({
			value: '2026-03-01T00:00:00',
		});
		expect(unsubscribeTime('2026-07-01 09:30', 'Europe/London')).toEqual({
			value: '2026-07-01T08:30:00',
		});
		expect(unsubscribeTime('soon', 'UTC')).toEqual({
			error: 'expected a date or timestamp, got "soon"',
		});
	});
});
