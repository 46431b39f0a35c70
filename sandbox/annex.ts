import type { AnnexSigningKey } from '../nodes/shared/annexJwt';
import { annexPayloadToSign, annexTokenProblem } from './annexAuth';
import {
	annexDateTime,
	dayOfIsoDate,
	isoDateOfDay,
	mondayOf,
	parseLooseTime,
	todayIsoDate,
} from './dates';
import { REWARD_CATALOGUE, type RewardDefinition } from './fixtures';
import {
	ACTIONS,
	memberActivityHistory,
	nextTierOf,
	TIERS,
	tierForPoints,
	type ActivityEntry,
	type LoyaltyMember,
	type TierName,
} from './generator';
import {
	header,
	isRecord,
	parseJson,
	reply,
	route,
	type Handler,
	type Reply,
	type Route,
	type SandboxRequest,
} from './http';

/** The Annex Cloud Loyalty V3 stand-in: JWT-checked users, points, tiers, rewards, activity. */

export type AnnexResponseShape = 'flat' | 'wrapped';

export interface AnnexSettings extends AnnexSigningKey {
	responseShape: AnnexResponseShape;
}

export const SEARCH_RESULT_CAP = 50;
export const ACTIVITY_PAGE_SIZE = 25;
export const USED_REWARD_PAGE_SIZE = 25;
export const EXPIRY_PAGE_SIZE = 25;
/** Points per currency unit reported on the rewards endpoint. */
const CREDITS_TO_CURRENCY_RATIO = 100;

export interface RewardStock extends RewardDefinition {
	initialStock: number;
	issued: number;
}

export interface Redemption {
	memberId: string;
	rewardId: number;
	rewardName: string;
	rewardCode: string;
	pointsUsed: number;
	activityId: string;
	createDate: string;
}

export interface Assignment {
	assign_id: string;
	reward_id: number;
	user_id: string;
	rewardCode: string;
	issuance_details: unknown;
	createDate: string;
}

export interface TierChange {
	memberId: string;
	from: TierName;
	to: TierName;
	at: string;
}

/** Everything the Annex Cloud stand-in holds. Live object: tests read it directly. */
export class AnnexState {
	readonly members = new Map<string, LoyaltyMember>();
	/** Member ids in load order (search order, random picks for the webhook sender). */
	readonly memberIds: string[] = [];
	/** Ledger entries appended through the API, per member, oldest first. */
	readonly ledgers = new Map<string, ActivityEntry[]>();
	readonly redemptions: Redemption[] = [];
	readonly assignments: Assignment[] = [];
	readonly rewards = new Map<number, RewardStock>();
	readonly tierChanges: TierChange[] = [];
	/** Members written through the API since start/reset. */
	readonly changed = new Set<string>();
	private sequence = 0;

	constructor() {
		this.resetRewards();
	}

	member(id: string): LoyaltyMember | undefined {
		return this.members.get(id);
	}

	add(member: LoyaltyMember): void {
		if (!this.members.has(member.id)) this.memberIds.push(member.id);
		this.members.set(member.id, member);
	}

	load(members: Iterable<LoyaltyMember>): void {
		for (const member of members) this.add(member);
	}

	nextSequence(): number {
		return ++this.sequence;
	}

	reward(rewardId: number): RewardStock | undefined {
		return this.rewards.get(rewardId);
	}

	/** Generated history plus API-appended entries, newest first. */
	activity(member: LoyaltyMember): ActivityEntry[] {
		const entries = [
			...memberActivityHistory(member),
			...(this.ledgers.get(member.id) ?? []),
		].reverse();
		// Stable: same-second entries keep newest-first order.
		return entries.sort((a, b) => b.createDate.localeCompare(a.createDate));
	}

	clear(): void {
		this.members.clear();
		this.memberIds.length = 0;
		this.ledgers.clear();
		this.redemptions.length = 0;
		this.assignments.length = 0;
		this.tierChanges.length = 0;
		this.changed.clear();
		this.sequence = 0;
		this.resetRewards();
	}

	private resetRewards(): void {
		this.rewards.clear();
		for (const reward of REWARD_CATALOGUE) {
			this.rewards.set(reward.rewardId, { ...reward, initialStock: reward.stock, issued: 0 });
		}
	}

	/** `allMembers`: every member, else only those changed through the API (large runs). */
	snapshot(allMembers: boolean, summary = false) {
		const members = summary
			? undefined
			: allMembers
				? [...this.members.values()]
				: [...this.changed].map((id) => this.members.get(id));
		return {
			memberCount: this.members.size,
			membersIncluded: summary ? 'none' : allMembers ? 'all' : 'changed',
			members,
			changedMemberIds: [...this.changed],
			ledgers: Object.fromEntries(this.ledgers),
			redemptions: this.redemptions,
			assignments: this.assignments,
			rewards: [...this.rewards.values()],
			tierChanges: this.tierChanges,
		};
	}
}

const isTrueish = (value: unknown) =>
	value === true || value === 'YES' || value === 'yes' || value === 'Y';
const yesNo = (value: boolean) => (value ? 'YES' : 'NO');

function pageOf(request: SandboxRequest): number {
	const page = Number(request.query.get('page') ?? 1);
	return Number.isInteger(page) && page >= 1 ? page : 1;
}

function paginate<T>(items: T[], page: number, size: number) {
	const pages = Math.max(1, Math.ceil(items.length / size));
	return { items: items.slice((page - 1) * size, page * size), pages };
}

/** SQL LIKE as Annex search documents it (`John%`), case-insensitive. */
function likeMatcher(pattern: string): (value: string) => boolean {
	if (!pattern.includes('%')) {
		const expected = pattern.toLowerCase();
		return (value) => value.toLowerCase() === expected;
	}
	const source = pattern
		.split('%')
		.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	const regex = new RegExp(`^${source}$`, 'i');
	return (value) => regex.test(value);
}

export class AnnexApi {
	constructor(
		readonly settings: AnnexSettings,
		readonly state: AnnexState,
	) {}

	/** Handler for `/…/{id}/…` routes: 404 unless the member exists. */
	private forMember(produce: (member: LoyaltyMember, request: SandboxRequest) => Reply): Handler {
		return (request, params) => this.withMember(params[0], (member) => produce(member, request));
	}

	readonly routes: Route[] = [
		route('POST', /^\/users\/search\/?$/, 'annex.users.search', (r) => this.search(r)),
		route('POST', /^\/users\/?$/, 'annex.users.create', (r) => this.createUser(r)),
		route(
			'GET',
			/^\/users\/([^/]+)\/?$/,
			'annex.users.get',
			this.forMember((m) => this.ok(this.userView(m))),
		),
		route(
			'PATCH',
			/^\/users\/([^/]+)\/?$/,
			'annex.users.update',
			this.forMember((m, r) => this.updateUser(r, m)),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/tiers?\/?$/,
			'annex.tiers.get',
			this.forMember((m) => this.ok(this.tierView(m))),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/reward\/?$/,
			'annex.reward.get',
			this.forMember((m) => this.ok(this.rewardView(m))),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/usedreward\/?$/,
			'annex.usedreward.get',
			this.forMember((m, r) => this.usedRewards(r, m)),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/activity\/?$/,
			'annex.activity.get',
			this.forMember((m, r) => this.activity(r, m)),
		),
		route(
			'GET',
			/^\/points\/([^/]+)\/?$/,
			'annex.points.get',
			this.forMember((m) => this.ok(this.pointsView(m))),
		),
		route('POST', /^\/points\/?$/, 'annex.points.post', (r) => this.postPoints(r)),
		route(
			'GET',
			/^\/pointsexpiry\/([^/]+)\/?$/,
			'annex.pointsexpiry.get',
			this.forMember((m, r) => this.pointsExpiry(r, m)),
		),
		route('GET', /^\/tierlist\/([^/]+)\/?$/, 'annex.tierlist.get', () => this.tierList()),
		route(
			'POST',
			/^\/rewards\/([^/]+)\/users\/([^/]+)\/assign\/?$/,
			'annex.rewards.assign',
			(r, p) => this.assign(r, p[0], p[1]),
		),
	];

	/** Every Annex request: `X-AnnexCloud-Site` must name the site and the JWT must sign this request. */
	authenticate(request: SandboxRequest): Reply | undefined {
		const site = header(request, 'x-annexcloud-site');
		if (site !== this.settings.siteId) {
			return this.error(
				401,
				'UNAUTHORIZED',
				`X-AnnexCloud-Site header ${site === undefined ? 'missing' : 'does not match the site'}`,
			);
		}
		const authorization = header(request, 'authorization') ?? '';
		const match = /^Bearer\s+(\S+)$/i.exec(authorization);
		if (!match)
			return this.error(401, 'UNAUTHORIZED', 'Authorization: Bearer <jwt> header missing');
		const problem = annexTokenProblem(
			match[1],
			this.settings,
			annexPayloadToSign(request.method, request.path, request.rawBody),
		);
		if (problem) return this.error(401, 'UNAUTHORIZED', `Invalid token: ${problem}`);
		return undefined;
	}

	error(status: number, errorCode: string, errorMessage: string): Reply {
		return reply(status, { errorCode, errorMessage });
	}

	private ok(body: Record<string, unknown>, status = 200): Reply {
		return reply(status, this.settings.responseShape === 'wrapped' ? { Data: body } : body);
	}

	private withMember(id: string, produce: (member: LoyaltyMember) => Reply): Reply {
		const member = this.state.member(id);
		if (!member) return this.error(404, 'USER_NOT_FOUND', `User ${id} does not exist`);
		return produce(member);
	}

	private parseBody(
		request: SandboxRequest,
	): { body: Record<string, unknown> } | { failure: Reply } {
		const parsed = parseJson(request.rawBody);
		if (!parsed.ok || !isRecord(parsed.value)) {
			return { failure: this.error(400, 'INVALID_REQUEST', 'Request body must be a JSON object') };
		}
		return { body: parsed.value };
	}

	userView(member: LoyaltyMember): Record<string, unknown> {
		return {
			siteId: this.settings.siteId,
			id: member.id,
			email: member.email,
			firstName: member.firstName,
			lastName: member.lastName,
			zipCode: member.zipCode,
			phone: member.phone,
			birthDate: member.birthDate,
			anniversaryDate: member.anniversaryDate,
			optInStatus: member.optInStatus,
			optInDate: member.optInDate,
			status: member.status,
			createDate: member.createDate,
			updateDate: member.updateDate,
			userProfileImageUrl: null,
			extendedAttribute: {
				...member.otherAttributes,
				timeZone: member.timeZone,
				countryCode: member.countryCode,
				emailOptIn: yesNo(member.consent.email),
				smsOptIn: yesNo(member.consent.sms),
				pushOptIn: yesNo(member.consent.push),
			},
		};
	}

	private pointsToNextTier(member: LoyaltyMember): number {
		const next = nextTierOf(member.tier);
		return next ? Math.max(0, next.pointsRequired - member.lifetimePoints) : 0;
	}

	pointsView(member: LoyaltyMember): Record<string, unknown> {
		return {
			siteId: this.settings.siteId,
			id: member.id,
			availablePoints: member.availablePoints,
			usedPoints: member.usedPoints,
			negativePoints: 0,
			expiredPoints: member.expiredPoints,
			lifetimePoints: member.lifetimePoints,
			earnedPointsPeriod: 'lifetime',
			earnedPoints: member.earnedPoints,
			holdPoints: member.holdPoints,
			usedPointsOnReward: member.usedPoints,
			pointsToExpire: member.pointsToExpire,
			pointsToExpireDate: member.pointsToExpireDate,
			pointsToNextTier: this.pointsToNextTier(member),
			creditsToCurrencyRatio: CREDITS_TO_CURRENCY_RATIO,
			creditsToCurrencyValue: member.availablePoints / CREDITS_TO_CURRENCY_RATIO,
		};
	}

	private tierView(member: LoyaltyMember): Record<string, unknown> {
		return {
			siteId: this.settings.siteId,
			id: member.id,
			currentTier: member.tier,
			nextTier: nextTierOf(member.tier)?.tierName ?? null,
			previousTier: member.previousTier,
			pointsToNextTier: this.pointsToNextTier(member),
			tierAchievedDate: member.tierAchievedDate,
			tierExpirationDate: isoDateOfDay(dayOfIsoDate(member.tierAchievedDate) + 365),
		};
	}

	private tierList(): Reply {
		return this.ok({
			siteId: this.settings.siteId,
			tierDetail: TIERS.map((tier, index) => ({ ...tier, tierLevel: index + 1 })),
			currentPage: 1,
			pages: 1,
		});
	}

	private rewardView(member: LoyaltyMember): Record<string, unknown> {
		return {
			siteId: this.settings.siteId,
			id: member.id,
			creditsToCurrencyRatio: CREDITS_TO_CURRENCY_RATIO,
			creditsToCurrencyValue: member.availablePoints / CREDITS_TO_CURRENCY_RATIO,
			rewardDetail: [...this.state.rewards.values()].map((reward) => ({
				rewardId: reward.rewardId,
				displayText: reward.displayText,
				creditRequired: reward.creditRequired,
				eligible: reward.stock > 0 && member.availablePoints >= reward.creditRequired,
				rewardUrl: null,
				rewardImageUrl: null,
				stockRemaining: reward.stock,
			})),
		};
	}

	private usedRewards(request: SandboxRequest, member: LoyaltyMember): Reply {
		const rows = [
			...this.state.redemptions
				.filter((r) => r.memberId === member.id)
				.map((r) => ({
					rewardCode: r.rewardCode,
					pointsUsed: r.pointsUsed,
					rewardName: r.rewardName,
					rewardStatus: 'REDEEMED',
					reason: 'redemption',
					createDate: r.createDate,
				})),
			...this.state.assignments
				.filter((a) => a.user_id === member.id)
				.map((a) => ({
					rewardCode: a.rewardCode,
					pointsUsed: 0,
					rewardName: this.state.reward(a.reward_id)?.displayText ?? '',
					rewardStatus: 'ASSIGNED',
					reason: 'assignment',
					createDate: a.createDate,
				})),
		].sort((a, b) => b.createDate.localeCompare(a.createDate));
		const page = pageOf(request);
		const { items, pages } = paginate(rows, page, USED_REWARD_PAGE_SIZE);
		return this.ok({
			siteId: this.settings.siteId,
			id: member.id,
			rewardDetail: items,
			pages,
			current_page: page,
		});
	}

	private activity(request: SandboxRequest, member: LoyaltyMember): Reply {
		const entries = this.state.activity(member);
		const page = pageOf(request);
		const { items, pages } = paginate(entries, page, ACTIVITY_PAGE_SIZE);
		return this.ok({
			siteId: this.settings.siteId,
			id: member.id,
			activityDetail: items,
			currentPage: page,
			pages,
			totalActivityCount: entries.length,
		});
	}

	/**
	 * Expiry schedule: `pointsToExpire` on `pointsToExpireDate`, the rest of the available points
	 * in two later batches (+90 and +180 days). Filtered by start_date/end_date, grouped by
	 * aggregate_by (day when absent).
	 */
	private pointsExpiry(request: SandboxRequest, member: LoyaltyMember): Reply {
		const batches: Array<{ day: number; points: number }> = [];
		if (member.pointsToExpire > 0 && member.pointsToExpireDate) {
			const first = dayOfIsoDate(member.pointsToExpireDate);
			const rest = member.availablePoints - member.pointsToExpire;
			batches.push({ day: first, points: member.pointsToExpire });
			if (rest > 0) {
				batches.push({ day: first + 90, points: Math.floor(rest / 2) });
				batches.push({ day: first + 180, points: rest - Math.floor(rest / 2) });
			}
		}
		const start = parseLooseTime(request.query.get('start_date') ?? undefined);
		const end = parseLooseTime(request.query.get('end_date') ?? undefined, true);
		const aggregate = request.query.get('aggregate_by') ?? 'day';
		const groups = new Map<string, Array<{ points: number; expiryDate: string }>>();
		for (const batch of batches) {
			const time = batch.day * 86_400_000;
			if ((start !== undefined && time < start) || (end !== undefined && time > end)) continue;
			const key = periodStart(batch.day, aggregate);
			const group = groups.get(key) ?? [];
			group.push({ points: batch.points, expiryDate: isoDateOfDay(batch.day) });
			groups.set(key, group);
		}
		const rows = [...groups].map(([date, pointsActivity]) => ({ date, pointsActivity }));
		const page = pageOf(request);
		const { items, pages } = paginate(rows, page, EXPIRY_PAGE_SIZE);
		return this.ok({
			siteId: this.settings.siteId,
			id: member.id,
			expiryDetail: items,
			currentPage: page,
			pages,
			totalRecords: rows.length,
		});
	}

	private createUser(request: SandboxRequest): Reply {
		const parsed = this.parseBody(request);
		if ('failure' in parsed) return parsed.failure;
		const { body } = parsed;
		if (typeof body.id !== 'string' || body.id.trim() === '')
			return this.error(400, 'VALIDATION_ERROR', 'id is required');
		if (this.state.member(body.id))
			return this.error(409, 'USER_EXISTS', `User ${body.id} already exists`);
		const invalid = this.validateUserFields(body);
		if (invalid) return invalid;
		const now = annexDateTime(Date.now());
		const extended = isRecord(body.extendedAttribute) ? body.extendedAttribute : {};
		const optIn = body.optInStatus === 'NO' ? 'NO' : 'YES';
		const member: LoyaltyMember = {
			id: body.id,
			email: String(body.email ?? ''),
			firstName: String(body.firstName ?? ''),
			lastName: String(body.lastName ?? ''),
			phone: String(body.phone ?? ''),
			zipCode: String(body.zipCode ?? ''),
			countryCode: String(extended.countryCode ?? ''),
			timeZone: String(extended.timeZone ?? 'UTC'),
			otherAttributes: otherAttributes(extended),
			birthDate: String(body.birthDate ?? ''),
			anniversaryDate: String(body.anniversaryDate ?? todayIsoDate()),
			optInStatus: optIn,
			optInDate: String(body.optInDate ?? now),
			status: body.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
			createDate: now,
			updateDate: now,
			tier: TIERS[0].tierName,
			previousTier: null,
			tierAchievedDate: todayIsoDate(),
			availablePoints: 0,
			usedPoints: 0,
			expiredPoints: 0,
			lifetimePoints: 0,
			earnedPoints: 0,
			holdPoints: 0,
			pointsToExpire: 0,
			pointsToExpireDate: null,
			firstActivityDate: todayIsoDate(),
			lastActivityDate: todayIsoDate(),
			firstPurchaseDate: null,
			lastPurchaseDate: null,
			activityWeeks: [],
			weeklyActivity: [],
			consent: {
				email: extended.emailOptIn === undefined ? optIn === 'YES' : isTrueish(extended.emailOptIn),
				sms: isTrueish(extended.smsOptIn),
				push: isTrueish(extended.pushOptIn),
			},
			history: null,
		};
		this.state.add(member);
		this.state.changed.add(member.id);
		return this.ok(this.userView(member));
	}

	private validateUserFields(body: Record<string, unknown>): Reply | undefined {
		if (body.optInStatus !== undefined && body.optInStatus !== 'YES' && body.optInStatus !== 'NO') {
			return this.error(400, 'VALIDATION_ERROR', 'optInStatus must be YES or NO');
		}
		for (const field of ['birthDate', 'anniversaryDate']) {
			const value = body[field];
			if (
				value !== undefined &&
				value !== null &&
				value !== '' &&
				parseLooseTime(value) === undefined
			) {
				return this.error(400, 'VALIDATION_ERROR', `${field} is not a date`);
			}
		}
		if (body.email !== undefined && (typeof body.email !== 'string' || !body.email.includes('@'))) {
			return this.error(400, 'VALIDATION_ERROR', 'email is not valid');
		}
		return undefined;
	}

	private updateUser(request: SandboxRequest, member: LoyaltyMember): Reply {
		const parsed = this.parseBody(request);
		if ('failure' in parsed) return parsed.failure;
		const { body } = parsed;
		const invalid = this.validateUserFields(body);
		if (invalid) return invalid;
		for (const field of [
			'email',
			'firstName',
			'lastName',
			'zipCode',
			'phone',
			'birthDate',
			'anniversaryDate',
			'optInDate',
		] as const) {
			if (typeof body[field] === 'string') member[field] = body[field] as string;
		}
		if (body.status === 'ACTIVE' || body.status === 'INACTIVE') member.status = body.status;
		if (body.optInStatus === 'YES' || body.optInStatus === 'NO') {
			if (
				body.optInStatus === 'YES' &&
				member.optInStatus === 'NO' &&
				typeof body.optInDate !== 'string'
			) {
				member.optInDate = annexDateTime(Date.now());
			}
			member.optInStatus = body.optInStatus;
		}
		if (isRecord(body.extendedAttribute)) {
			const extended = body.extendedAttribute;
			if (typeof extended.timeZone === 'string') member.timeZone = extended.timeZone;
			const consent = { ...member.consent };
			if (extended.emailOptIn !== undefined) consent.email = isTrueish(extended.emailOptIn);
			if (extended.smsOptIn !== undefined) consent.sms = isTrueish(extended.smsOptIn);
			if (extended.pushOptIn !== undefined) consent.push = isTrueish(extended.pushOptIn);
			member.consent = consent;
			member.otherAttributes = { ...member.otherAttributes, ...otherAttributes(extended) };
		}
		member.updateDate = annexDateTime(Date.now());
		this.state.changed.add(member.id);
		return this.ok(this.userView(member));
	}

	private search(request: SandboxRequest): Reply {
		const parsed = this.parseBody(request);
		if ('failure' in parsed) return parsed.failure;
		const { body } = parsed;
		if (!isRecord(body.dataSearch))
			return this.error(400, 'VALIDATION_ERROR', 'dataSearch object is required');
		const matches = this.searchFilters(body.dataSearch);
		if (!Array.isArray(matches)) return matches;
		const userDetail: unknown[] = [];
		for (const id of this.state.memberIds) {
			const member = this.state.members.get(id) as LoyaltyMember;
			if (matches.every((test) => test(member))) {
				userDetail.push(this.userView(member));
				if (userDetail.length === SEARCH_RESULT_CAP) break;
			}
		}
		return this.ok({ siteId: this.settings.siteId, records: userDetail.length, userDetail });
	}

	private searchFilters(
		search: Record<string, unknown>,
	): Array<(m: LoyaltyMember) => boolean> | Reply {
		const tests: Array<(m: LoyaltyMember) => boolean> = [];
		const text = (field: keyof LoyaltyMember, value: unknown) => {
			const match = likeMatcher(String(value));
			tests.push((member) => match(String(member[field] ?? '')));
		};
		const range = (field: 'optInDate' | 'createDate', from: unknown, to: unknown) => {
			const start = parseLooseTime(from);
			const end = parseLooseTime(to, true);
			if ((from !== undefined && start === undefined) || (to !== undefined && end === undefined))
				return false;
			tests.push((member) => {
				const time = parseLooseTime(member[field]) ?? 0;
				return (start === undefined || time >= start) && (end === undefined || time <= end);
			});
			return true;
		};
		for (const [name, value] of Object.entries(search)) {
			if (value === undefined || value === null || value === '') continue;
			if (name === 'userId' || name === 'id') tests.push((member) => member.id === String(value));
			else if (name === 'email' || name === 'firstName' || name === 'lastName') text(name, value);
			else if (name === 'phone') tests.push((member) => member.phone === String(value));
			else if (name === 'optInStatus') tests.push((member) => member.optInStatus === value);
			else if (name === 'optInDate')
				tests.push((member) => member.optInDate.slice(0, 10) === String(value).slice(0, 10));
			else if (name === 'birthDate') {
				// `MM-DD` (any year) is a sandbox extension so birthday workflows can find members.
				const wanted = String(value);
				tests.push((member) =>
					wanted.length === 5 ? member.birthDate.slice(5) === wanted : member.birthDate === wanted,
				);
			} else if (name === 'status') tests.push((member) => member.status === value);
			else if (name === 'extendedAttribute' && isRecord(value)) {
				for (const [attribute, expected] of Object.entries(value)) {
					tests.push((member) => {
						const extended = this.userView(member).extendedAttribute as Record<string, unknown>;
						return String(extended[attribute]) === String(expected);
					});
				}
			}
		}
		const windows: Array<['optInDate' | 'createDate', string, string]> = [
			['optInDate', 'optInStartDate', 'optInEndDate'],
			['createDate', 'createStartDate', 'createEndDate'],
		];
		for (const [field, from, to] of windows) {
			if (search[from] === undefined && search[to] === undefined) continue;
			if (!range(field, search[from], search[to])) {
				return this.error(
					400,
					'VALIDATION_ERROR',
					`${from}/${to} must be dates (yyyy-MM-dd'T'HH:mm:ssZ)`,
				);
			}
		}
		return tests;
	}

	private appendLedger(
		member: LoyaltyMember,
		entry: Omit<ActivityEntry, 'activityId' | 'pointType' | 'createDate' | 'expireDate'>,
	): ActivityEntry {
		const full: ActivityEntry = {
			...entry,
			activityId: `api-${this.state.nextSequence()}`,
			pointType: 'Standard',
			createDate: annexDateTime(Date.now()),
			expireDate: entry.credit > 0 ? annexDateTime(Date.now() + 365 * 86_400_000) : null,
		};
		const ledger = this.state.ledgers.get(member.id) ?? [];
		ledger.push(full);
		this.state.ledgers.set(member.id, ledger);
		this.state.changed.add(member.id);
		member.lastActivityDate = todayIsoDate();
		member.updateDate = full.createDate;
		return full;
	}

	private postPoints(request: SandboxRequest): Reply {
		const parsed = this.parseBody(request);
		if ('failure' in parsed) return parsed.failure;
		const { body } = parsed;
		if (typeof body.id !== 'string' || body.id === '')
			return this.error(400, 'VALIDATION_ERROR', 'id is required');
		const member = this.state.member(body.id);
		if (!member) return this.error(404, 'USER_NOT_FOUND', `User ${body.id} does not exist`);
		const actionId = body.actionId === undefined ? ACTIONS.manual.actionId : Number(body.actionId);
		if (!Number.isInteger(actionId))
			return this.error(400, 'VALIDATION_ERROR', 'actionId must be an integer');
		if (actionId === ACTIONS.redemption.actionId || body.rewardId !== undefined)
			return this.redeem(body, member);
		const activity = String(
			body.activity ?? (body.debit !== undefined ? 'DEBIT' : 'CREDIT'),
		).toUpperCase();
		if (activity !== 'CREDIT' && activity !== 'DEBIT')
			return this.error(400, 'VALIDATION_ERROR', 'activity must be CREDIT or DEBIT');
		const points = Number(body.points ?? (activity === 'DEBIT' ? body.debit : body.credit));
		if (!Number.isInteger(points) || points <= 0)
			return this.error(400, 'VALIDATION_ERROR', 'points must be a positive integer');
		const reason =
			typeof body.reason === 'string'
				? body.reason
				: activity === 'DEBIT'
					? 'Points deducted'
					: 'Points awarded';
		const orderId = typeof body.orderId === 'string' ? body.orderId : null;
		const base = {
			actionId,
			activity,
			reason,
			orderId,
			rewardCode: null,
			pointStatus: 'Released',
			displayText: reason,
		} as const;
		let tierChanged: TierChange | undefined;
		let entry: ActivityEntry;
		if (activity === 'DEBIT') {
			if (points > member.availablePoints) {
				return this.error(
					400,
					'INSUFFICIENT_POINTS',
					`Member has ${member.availablePoints} points, ${points} requested`,
				);
			}
			member.availablePoints -= points;
			member.usedPoints += points;
			entry = this.appendLedger(member, { ...base, activity: 'DEBIT', credit: 0, debit: points });
		} else {
			member.availablePoints += points;
			member.lifetimePoints += points;
			member.earnedPoints += points;
			if (actionId === ACTIONS.purchase.actionId) {
				member.lastPurchaseDate = todayIsoDate();
				member.firstPurchaseDate ??= member.lastPurchaseDate;
			}
			entry = this.appendLedger(member, { ...base, activity: 'CREDIT', credit: points, debit: 0 });
			tierChanged = this.reevaluateTier(member);
		}
		return this.ok({
			siteId: this.settings.siteId,
			id: member.id,
			activityId: entry.activityId,
			actionId,
			activity,
			points,
			availablePoints: member.availablePoints,
			usedPoints: member.usedPoints,
			lifetimePoints: member.lifetimePoints,
			currentTier: member.tier,
			tierChanged: tierChanged ? { from: tierChanged.from, to: tierChanged.to } : null,
		});
	}

	/** Tiers follow lifetime points and only go up through the API (credits never lower them). */
	private reevaluateTier(member: LoyaltyMember): TierChange | undefined {
		const tier = tierForPoints(member.lifetimePoints).tierName;
		if (tier === member.tier) return undefined;
		const change: TierChange = {
			memberId: member.id,
			from: member.tier,
			to: tier,
			at: new Date().toISOString(),
		};
		member.previousTier = member.tier;
		member.tier = tier;
		member.tierAchievedDate = todayIsoDate();
		this.state.tierChanges.push(change);
		return change;
	}

	private issueCode(rewardId: number): string {
		return `RW${rewardId}-${String(this.state.nextSequence()).padStart(6, '0')}`;
	}

	/** actionId 107 + rewardId: debits only when the reward is eligible (stock and points). */
	private redeem(body: Record<string, unknown>, member: LoyaltyMember): Reply {
		const rewardId = Number(body.rewardId);
		const reward = this.state.reward(rewardId);
		if (!reward)
			return this.error(404, 'REWARD_NOT_FOUND', `Reward ${String(body.rewardId)} does not exist`);
		if (reward.stock <= 0)
			return this.error(400, 'REWARD_OUT_OF_STOCK', `Reward ${rewardId} is out of stock`);
		if (member.availablePoints < reward.creditRequired) {
			return this.error(
				400,
				'REWARD_NOT_ELIGIBLE',
				`Member has ${member.availablePoints} points, reward ${rewardId} needs ${reward.creditRequired}`,
			);
		}
		reward.stock--;
		reward.issued++;
		member.availablePoints -= reward.creditRequired;
		member.usedPoints += reward.creditRequired;
		const rewardCode = this.issueCode(rewardId);
		const entry = this.appendLedger(member, {
			actionId: ACTIONS.redemption.actionId,
			activity: 'DEBIT',
			credit: 0,
			debit: reward.creditRequired,
			pointStatus: 'Released',
			displayText: reward.displayText,
			reason: typeof body.reason === 'string' ? body.reason : 'Reward redemption',
			orderId: null,
			rewardCode,
		});
		this.state.redemptions.push({
			memberId: member.id,
			rewardId,
			rewardName: reward.displayText,
			rewardCode,
			pointsUsed: reward.creditRequired,
			activityId: entry.activityId,
			createDate: entry.createDate,
		});
		return this.ok({
			siteId: this.settings.siteId,
			id: member.id,
			activityId: entry.activityId,
			actionId: ACTIONS.redemption.actionId,
			activity: 'DEBIT',
			points: reward.creditRequired,
			rewardId,
			rewardCode,
			availablePoints: member.availablePoints,
			usedPoints: member.usedPoints,
			lifetimePoints: member.lifetimePoints,
		});
	}

	/** Coupon assignment (Rewards V2): takes one unit of stock, debits no points. */
	private assign(request: SandboxRequest, rewardIdText: string, memberId: string): Reply {
		const parsed = request.rawBody.trim() === '' ? { body: {} } : this.parseBody(request);
		if ('failure' in parsed) return parsed.failure;
		const body: Record<string, unknown> = parsed.body;
		const member = this.state.member(memberId);
		if (!member) return this.error(404, 'USER_NOT_FOUND', `User ${memberId} does not exist`);
		const reward = this.state.reward(Number(rewardIdText));
		if (!reward)
			return this.error(404, 'REWARD_NOT_FOUND', `Reward ${rewardIdText} does not exist`);
		if (reward.stock <= 0)
			return this.error(400, 'REWARD_OUT_OF_STOCK', `Reward ${reward.rewardId} is out of stock`);
		reward.stock--;
		reward.issued++;
		const assignment: Assignment = {
			assign_id: `asg-${this.state.nextSequence()}`,
			reward_id: reward.rewardId,
			user_id: member.id,
			rewardCode: this.issueCode(reward.rewardId),
			issuance_details: body.issuance_details ?? null,
			createDate: annexDateTime(Date.now()),
		};
		this.state.assignments.push(assignment);
		this.state.changed.add(member.id);
		return this.ok({
			assign_id: assignment.assign_id,
			reward_id: reward.rewardId,
			user_id: member.id,
			reward_code: assignment.rewardCode,
			reward_name: reward.displayText,
			status: 'assigned',
			stock_remaining: reward.stock,
		});
	}
}

function periodStart(day: number, aggregate: string): string {
	const date = isoDateOfDay(day);
	switch (aggregate) {
		case 'week':
			return isoDateOfDay(mondayOf(day));
		case 'month':
			return `${date.slice(0, 7)}-01`;
		case 'quarter': {
			const month = Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1;
			return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
		}
		case 'year':
			return `${date.slice(0, 4)}-01-01`;
		default:
			return date;
	}
}

const MODELLED_ATTRIBUTES = new Set([
	'timeZone',
	'countryCode',
	'emailOptIn',
	'smsOptIn',
	'pushOptIn',
]);

function otherAttributes(extended: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(extended).filter(
			([name]) => !MODELLED_ATTRIBUTES.has(name) && name !== '__proto__',
		),
	);
}
