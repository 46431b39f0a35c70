import type {
	ChannelPlanner,
	OfferPicker,
	OutreachConfig,
} from '../../../nodes/SegmentBuild/logic/outreach';
import {
	compileChannelPlanner,
	compileOfferPicker,
} from '../../../nodes/SegmentBuild/logic/outreach';
import type { ZoneDay } from '../../../nodes/shared/dates';
import { createClock, isClockFailure } from '../../../nodes/shared/dates';
import { isRuleFailure } from '../../../nodes/shared/memberValues';

function zone(name: string): ZoneDay {
	const clock = createClock('2026-05-25', 'UTC');
	if (isClockFailure(clock)) throw new Error(clock.message);
	return clock.zone(name)!;
}

function planner(config: OutreachConfig = {}): ChannelPlanner {
	const compiled = compileChannelPlanner({
		unsubscribedChannelsField: 'unsubscribed',
		channels: { push: { address: 'pushToken', consent: 'consent.push' } },
		...config,
	});
	if (isRuleFailure(compiled)) throw new Error(compiled.message);
	return compiled;
}

const reachable = {
	email: 'zhang.min@example.com',
	phone: '+8613800000000',
	pushToken: 'tok-1',
	consent: { email: true, sms: true, push: true },
};

describe('channel plan', () => {
	it('plans every usable channel in the order of preference, at the rhythm’s local time', () => {
		const plan = planner({
			rhythm: [
				{ channel: 'sms', time: '18:30', dayOffset: 0 },
				{ channel: 'email', time: '09:00', dayOffset: 1 },
				{ channel: 'push', time: '12:00' },
			],
		})(reachable, zone('Asia/Shanghai'));
		expect(plan).toEqual({
			channels: [
				{ channel: 'sms', address: '+8613800000000', sendAt: '2026-05-25T18:30:00+08:00' },
				{ channel: 'email', address: 'zhang.min@example.com', sendAt: '2026-05-26T09:00:00+08:00' },
				{ channel: 'push', address: 'tok-1', sendAt: '2026-05-25T12:00:00+08:00' },
			],
			suppressed: [],
		});
	});

	it('uses the member zone’s own offset (summer time in London)', () => {
		expect(planner()(reachable, zone('Europe/London')).channels[0].sendAt).toBe(
			'2026-05-25T10:00:00+01:00',
		);
	});

	it('an SMS-unsubscribed member gets no SMS but keeps email', () => {
		const plan = planner()({ ...reachable, unsubscribed: ['sms'] }, zone('UTC'));
		expect(plan.channels.map((c) => c.channel)).toEqual(['email', 'push']);
		expect(plan.suppressed).toEqual(['sms']);
		const optedOut = planner()(
			{ ...reachable, consent: { ...reachable.consent, sms: 'EXPLICITLY_OPTEDOUT' } },
			zone('UTC'),
		);
		expect(optedOut.suppressed).toEqual(['sms']);
	});

	it('drops every channel for "all", and channels without an address', () => {
		expect(planner()({ ...reachable, unsubscribed: 'ALL' }, zone('UTC'))).toEqual({
			channels: [],
			suppressed: ['email', 'sms', 'push'],
		});
		expect(planner()({ email: 'a@b.c' }, zone('UTC')).channels.map((c) => c.channel)).toEqual([
			'email',
		]);
	});

	it('needs explicit consent when opt-in is required', () => {
		const plan = planner({ requireOptIn: true })(
			{ ...reachable, consent: { email: 'yes' } },
			zone('UTC'),
		);
		expect(plan.channels.map((c) => c.channel)).toEqual(['email']);
		expect(plan.suppressed).toEqual([]);
	});

	it('can keep only the most preferred usable channel', () => {
		const plan = planner({ mode: 'first' })({ ...reachable, unsubscribed: 'email' }, zone('UTC'));
		expect(plan.channels.map((c) => c.channel)).toEqual(['sms']);
	});

	it('refuses unknown channels, repeats and bad times', () => {
		expect(compileChannelPlanner({ rhythm: [{ channel: 'fax' as never }] })).toMatchObject({
			ok: false,
			field: 'channels',
		});
		expect(
			compileChannelPlanner({ rhythm: [{ channel: 'sms' }, { channel: 'sms' }] }),
		).toMatchObject({ ok: false });
		expect(compileChannelPlanner({ rhythm: [{ channel: 'sms', time: '25:00' }] })).toMatchObject({
			ok: false,
		});
		expect(compileChannelPlanner({ rhythm: [{ channel: 'sms', dayOffset: -1 }] })).toMatchObject({
			ok: false,
		});
	});
});

describe('offer picker', () => {
	function picker(...args: Parameters<typeof compileOfferPicker>): OfferPicker {
		const compiled = compileOfferPicker(...args);
		if (isRuleFailure(compiled)) throw new Error(compiled.message);
		return compiled;
	}

	const catalog = [
		{
			offerId: 'spa',
			name: 'Spa day',
			eligibleTiers: 'Platinum',
			cost: 80,
			expectedValue: 300,
			inventory: 1,
			interestTags: 'wellness',
			targetConversion: 12,
		},
		{
			offerId: 'dinner',
			name: 'Chef dinner',
			eligibleTiers: ['Gold', 'Platinum'],
			cost: 50,
			expectedValue: 200,
			interestTags: 'dining, travel',
		},
		{ offerId: 'voucher', name: '10% voucher', cost: 5, expectedValue: 40, inventory: 0 },
		{ offerId: 'coffee', name: 'Coffee', cost: 2, expectedValue: 10 },
	];

	it('gives the best net value among eligible offers, then runs out of stock', () => {
		const offers = picker(catalog, 8);
		expect(offers.pick('Platinum', [])).toEqual({
			offerId: 'spa',
			name: 'Spa day',
			cost: 80,
			expectedValue: 300,
			expectedNet: 220,
			targetConversion: 12,
			matchedInterests: [],
		});
		expect(offers.pick('platinum', [])?.offerId).toBe('dinner');
		expect(offers.pick('Silver', [])?.offerId).toBe('coffee');
		expect(offers.stats()).toEqual({
			assigned: { spa: 1, dinner: 1, voucher: 0, coffee: 1 },
			skippedOutOfStock: { spa: 1, dinner: 0, voucher: 3, coffee: 0 },
		});
	});

	it('prefers offers matching the member’s interests', () => {
		const offer = picker(catalog).pick('Platinum', 'Travel, music');
		expect(offer).toMatchObject({
			offerId: 'dinner',
			matchedInterests: ['travel'],
			targetConversion: 0,
		});
	});

	it('returns null when nothing is eligible or in stock', () => {
		expect(picker([{ offerId: 'x', inventory: 0 }]).pick('Gold', undefined)).toBeNull();
	});

	it('refuses offers without an ID or with non-numeric values', () => {
		expect(compileOfferPicker([{ offerId: '' }])).toMatchObject({ ok: false, field: 'offers' });
		expect(compileOfferPicker([{ offerId: 'x', cost: 'cheap' }])).toMatchObject({
			ok: false,
			field: 'offers',
		});
	});
});
