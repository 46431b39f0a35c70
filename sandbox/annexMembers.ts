import { annexError, ok, parseAnnexBody } from './annexReplies';
import { SEARCH_RESULT_CAP, type AnnexContext } from './annexState';
import { userView } from './annexViews';
import { annexDateTime, parseLooseTime, todayIsoDate } from './dates';
import { TIERS, type LoyaltyMember } from './generator';
import { isRecord, type Reply, type SandboxRequest } from './http';

/** Annex Cloud member writes and search: create, update, search by fields and date windows. */

const isTrueish = (value: unknown) =>
	value === true || value === 'YES' || value === 'yes' || value === 'Y';

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

export function createUser(ctx: AnnexContext, request: SandboxRequest): Reply {
	const parsed = parseAnnexBody(request);
	if ('failure' in parsed) return parsed.failure;
	const { body } = parsed;
	if (typeof body.id !== 'string' || body.id.trim() === '')
		return annexError(400, 'VALIDATION_ERROR', 'id is required');
	if (ctx.state.member(body.id))
		return annexError(409, 'USER_EXISTS', `User ${body.id} already exists`);
	const invalid = validateUserFields(body);
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
	ctx.state.add(member);
	ctx.state.changed.add(member.id);
	return ok(ctx, userView(ctx, member));
}

function validateUserFields(body: Record<string, unknown>): Reply | undefined {
	if (body.optInStatus !== undefined && body.optInStatus !== 'YES' && body.optInStatus !== 'NO') {
		return annexError(400, 'VALIDATION_ERROR', 'optInStatus must be YES or NO');
	}
	for (const field of ['birthDate', 'anniversaryDate']) {
		const value = body[field];
		if (
			value !== undefined &&
			value !== null &&
			value !== '' &&
			parseLooseTime(value) === undefined
		) {
			return annexError(400, 'VALIDATION_ERROR', `${field} is not a date`);
		}
	}
	if (body.email !== undefined && (typeof body.email !== 'string' || !body.email.includes('@'))) {
		return annexError(400, 'VALIDATION_ERROR', 'email is not valid');
	}
	return undefined;
}

export function updateUser(
	ctx: AnnexContext,
	request: SandboxRequest,
	member: LoyaltyMember,
): Reply {
	const parsed = parseAnnexBody(request);
	if ('failure' in parsed) return parsed.failure;
	const { body } = parsed;
	const invalid = validateUserFields(body);
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
	ctx.state.changed.add(member.id);
	return ok(ctx, userView(ctx, member));
}

export function searchMembers(ctx: AnnexContext, request: SandboxRequest): Reply {
	const parsed = parseAnnexBody(request);
	if ('failure' in parsed) return parsed.failure;
	const { body } = parsed;
	if (!isRecord(body.dataSearch))
		return annexError(400, 'VALIDATION_ERROR', 'dataSearch object is required');
	const matches = searchFilters(ctx, body.dataSearch);
	if (!Array.isArray(matches)) return matches;
	const userDetail: unknown[] = [];
	for (const id of ctx.state.memberIds) {
		const member = ctx.state.members.get(id) as LoyaltyMember;
		if (matches.every((test) => test(member))) {
			userDetail.push(userView(ctx, member));
			if (userDetail.length === SEARCH_RESULT_CAP) break;
		}
	}
	return ok(ctx, { siteId: ctx.settings.siteId, records: userDetail.length, userDetail });
}

function searchFilters(
	ctx: AnnexContext,
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
					const extended = userView(ctx, member).extendedAttribute as Record<string, unknown>;
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
			return annexError(
				400,
				'VALIDATION_ERROR',
				`${from}/${to} must be dates (yyyy-MM-dd'T'HH:mm:ssZ)`,
			);
		}
	}
	return tests;
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
