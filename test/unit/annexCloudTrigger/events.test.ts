import {
	canonicalEventName,
	DEFAULT_FIELD_PATHS,
	eventFilter,
	eventsOfBody,
	firstScalar,
	normalizeEvent,
	parsePathList,
} from '../../../nodes/AnnexCloudTrigger/logic/events';

const RECEIVED = Date.UTC(2025, 5, 1, 12);

describe('event names', () => {
	it.each([
		['loy_opt_in', 'loy_opt_in'],
		['annex_loy_opt_in', 'loy_opt_in'],
		['Annex_loy_point_redemption', 'loy_point_redeem'],
		['LOY_POINT_ACCRUAL', 'loy_point_accrual'],
		['User Creation', 'user_created'],
		['user.updated', 'user_updated'],
		['Reward Issued', 'reward_issued'],
		['tier-upgrade', 'tier_upgrade'],
		['close_to_tier_upgrade', 'close_to_tier_upgrade'],
		['birthday_reward', 'birthday_reward'],
	])('%s → %s', (name, canonical) => {
		expect(canonicalEventName(name)).toBe(canonical);
	});

	it('filters by chosen and typed-in names, * passing all', () => {
		const some = eventFilter(['loy_opt_in', 'tier_upgrade'], ['Birthday Reward', ' ']);
		expect(['loy_opt_in', 'Annex_loy_opt_in', 'TIER_UPGRADE', 'birthday_reward'].every(some)).toBe(
			true,
		);
		expect(some('loy_opt_out')).toBe(false);
		expect(some('')).toBe(false);
		expect(eventFilter(['*'], [])('anything')).toBe(true);
	});
});

describe('normalizeEvent', () => {
	it('reads a flat payload; a top-level id is the member, not the event', () => {
		const event = normalizeEvent(
			{
				event: 'loy_point_accrual',
				id: 'zhang-min',
				email: 'zhang.min@example.com',
				points: '120',
				tier: 'Gold',
				timestamp: 1748779200,
			},
			DEFAULT_FIELD_PATHS,
			RECEIVED,
		);
		expect(event).toEqual({
			eventName: 'loy_point_accrual',
			eventNameReceived: 'loy_point_accrual',
			eventId: expect.stringMatching(/^content-[0-9a-f]{32}$/),
			eventIdSource: 'content',
			memberId: 'zhang-min',
			email: 'zhang.min@example.com',
			occurredAt: '2025-06-01T12:00:00.000Z',
			points: 120,
			tier: 'Gold',
			receivedAt: '2025-06-01T12:00:00.000Z',
			payload: expect.objectContaining({ id: 'zhang-min' }),
		});
	});

	it('reads a nested payload; a top-level id is the event when the member is elsewhere', () => {
		const event = normalizeEvent(
			{
				id: 'evt-77',
				type: 'Tier Upgrade',
				member: { id: 'li-lei', email: 'li.lei@example.com', currentTier: 'Silver' },
				data: { points: 40 },
				createdAt: '2025-05-30 08:15:00',
			},
			DEFAULT_FIELD_PATHS,
			RECEIVED,
		);
		expect(event).toMatchObject({
			eventName: 'tier_upgrade',
			eventNameReceived: 'Tier Upgrade',
			eventId: 'evt-77',
			memberId: 'li-lei',
			email: 'li.lei@example.com',
			tier: 'Silver',
			points: 40,
			occurredAt: '2025-05-30T08:15:00.000Z',
		});
	});

	it('uses configured paths and falls back to the receive time', () => {
		const paths = {
			...DEFAULT_FIELD_PATHS,
			eventName: parsePathList('meta.kind', DEFAULT_FIELD_PATHS.eventName),
			eventId: parsePathList('meta.Event ID', DEFAULT_FIELD_PATHS.eventId),
			memberId: parsePathList('customer.loyaltyId, customer.email', DEFAULT_FIELD_PATHS.memberId),
		};
		const event = normalizeEvent(
			{ meta: { kind: 'reward_issued', 'Event ID': 9 }, customer: { email: 'a@b.c' } },
			paths,
			RECEIVED,
		);
		expect(event).toMatchObject({
			eventName: 'reward_issued',
			eventId: '9',
			memberId: 'a@b.c',
			occurredAt: '2025-06-01T12:00:00.000Z',
			points: null,
			tier: null,
		});
	});

	it('reads an empty payload without failing', () => {
		expect(normalizeEvent({}, DEFAULT_FIELD_PATHS, RECEIVED)).toMatchObject({
			eventName: '',
			eventId: expect.stringMatching(/^content-/),
			memberId: null,
		});
	});

	it('reads payload paths in the shared dialect: arrays, dotted keys, own keys only', () => {
		expect(firstScalar({ a: [{ b: 1 }] }, ['a.0.b'])).toEqual({ path: 'a.0.b', value: 1 });
		expect(firstScalar({ a: [{ b: 1 }] }, ['a[0].b'])).toEqual({ path: 'a[0].b', value: 1 });
		expect(firstScalar({ 'a.b': 2, a: { b: 3 } }, ['a.b'])?.value).toBe(2);
		expect(firstScalar({ a: 1 }, ['a.b'])).toBeUndefined();
		expect(firstScalar({}, ['constructor.name', 'toString'])).toBeUndefined();
	});

	it('splits batched deliveries into events', () => {
		expect(
			eventsOfBody([{ event: 'a' }, { event: 'b' }], DEFAULT_FIELD_PATHS.eventName),
		).toHaveLength(2);
		expect(eventsOfBody({ events: [{ event: 'a' }] }, DEFAULT_FIELD_PATHS.eventName)).toEqual([
			{ event: 'a' },
		]);
		expect(eventsOfBody({ event: 'x', events: [1] }, DEFAULT_FIELD_PATHS.eventName)).toEqual([
			{ event: 'x', events: [1] },
		]);
	});
});
