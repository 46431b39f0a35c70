import { annexPayloadToSign, annexTokenProblem } from './annexAuth';
import { createUser, searchMembers, updateUser } from './annexMembers';
import { postPoints } from './annexPoints';
import { annexError, ok } from './annexReplies';
import { assignReward } from './annexRewards';
import type { AnnexContext, AnnexSettings, AnnexState } from './annexState';
import {
	activityPage,
	pointsExpiry,
	pointsView,
	rewardView,
	tierList,
	tierView,
	usedRewards,
	userView,
} from './annexViews';
import type { LoyaltyMember } from './generator';
import { header, route, type Handler, type Reply, type Route, type SandboxRequest } from './http';

/**
 * The Annex Cloud Loyalty V3 stand-in: JWT-checked users, points, tiers, rewards, activity.
 * This file wires routes and checks requests; the handlers live in annexViews (reads),
 * annexMembers (create, update, search), annexPoints (the ledger) and annexRewards (assignment),
 * the state in annexState.
 */

export {
	ACTIVITY_PAGE_SIZE,
	AnnexState,
	SEARCH_RESULT_CAP,
	type AnnexResponseShape,
} from './annexState';

export class AnnexApi implements AnnexContext {
	constructor(
		readonly settings: AnnexSettings,
		readonly state: AnnexState,
	) {}

	/** Handler for `/…/{id}/…` routes: 404 unless the member exists. */
	private forMember(produce: (member: LoyaltyMember, request: SandboxRequest) => Reply): Handler {
		return (request, params) => this.withMember(params[0], (member) => produce(member, request));
	}

	readonly routes: Route[] = [
		route('POST', /^\/users\/search\/?$/, 'annex.users.search', (r) => searchMembers(this, r)),
		route('POST', /^\/users\/?$/, 'annex.users.create', (r) => createUser(this, r)),
		route(
			'GET',
			/^\/users\/([^/]+)\/?$/,
			'annex.users.get',
			this.forMember((m) => ok(this, userView(this, m))),
		),
		route(
			'PATCH',
			/^\/users\/([^/]+)\/?$/,
			'annex.users.update',
			this.forMember((m, r) => updateUser(this, r, m)),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/tiers?\/?$/,
			'annex.tiers.get',
			this.forMember((m) => ok(this, tierView(this, m))),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/reward\/?$/,
			'annex.reward.get',
			this.forMember((m) => ok(this, rewardView(this, m))),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/usedreward\/?$/,
			'annex.usedreward.get',
			this.forMember((m, r) => usedRewards(this, r, m)),
		),
		route(
			'GET',
			/^\/users\/([^/]+)\/activity\/?$/,
			'annex.activity.get',
			this.forMember((m, r) => activityPage(this, r, m)),
		),
		route(
			'GET',
			/^\/points\/([^/]+)\/?$/,
			'annex.points.get',
			this.forMember((m) => ok(this, pointsView(this, m))),
		),
		route('POST', /^\/points\/?$/, 'annex.points.post', (r) => postPoints(this, r)),
		route(
			'GET',
			/^\/pointsexpiry\/([^/]+)\/?$/,
			'annex.pointsexpiry.get',
			this.forMember((m, r) => pointsExpiry(this, r, m)),
		),
		route('GET', /^\/tierlist\/([^/]+)\/?$/, 'annex.tierlist.get', () => tierList(this)),
		route(
			'POST',
			/^\/rewards\/([^/]+)\/users\/([^/]+)\/assign\/?$/,
			'annex.rewards.assign',
			(r, p) => assignReward(this, r, p[0], p[1]),
		),
	];

	/** Every Annex request: `X-AnnexCloud-Site` must name the site and the JWT must sign this request. */
	authenticate(request: SandboxRequest): Reply | undefined {
		const site = header(request, 'x-annexcloud-site');
		if (site !== this.settings.siteId) {
			return annexError(
				401,
				'UNAUTHORIZED',
				`X-AnnexCloud-Site header ${site === undefined ? 'missing' : 'does not match the site'}`,
			);
		}
		const authorization = header(request, 'authorization') ?? '';
		const match = /^Bearer\s+(\S+)$/i.exec(authorization);
		if (!match)
			return annexError(401, 'UNAUTHORIZED', 'Authorization: Bearer <jwt> header missing');
		const problem = annexTokenProblem(
			match[1],
			this.settings,
			annexPayloadToSign(request.method, request.path, request.rawBody),
		);
		if (problem) return annexError(401, 'UNAUTHORIZED', `Invalid token: ${problem}`);
		return undefined;
	}

	error(status: number, errorCode: string, errorMessage: string): Reply {
		return annexError(status, errorCode, errorMessage);
	}

	private withMember(id: string, produce: (member: LoyaltyMember) => Reply): Reply {
		const member = this.state.member(id);
		if (!member) return annexError(404, 'USER_NOT_FOUND', `User ${id} does not exist`);
		return produce(member);
	}
}
