import { isRecord, parseJson, reply, type Reply, type SandboxRequest } from './http';
import type { AnnexContext } from './annexState';

/** How the Annex Cloud stand-in answers: errors, bodies in the configured shape, pages. */

export function annexError(status: number, errorCode: string, errorMessage: string): Reply {
	return reply(status, { errorCode, errorMessage });
}

export function ok(ctx: AnnexContext, body: Record<string, unknown>, status = 200): Reply {
	return reply(status, ctx.settings.responseShape === 'wrapped' ? { Data: body } : body);
}

export function parseAnnexBody(
	request: SandboxRequest,
): { body: Record<string, unknown> } | { failure: Reply } {
	const parsed = parseJson(request.rawBody);
	if (!parsed.ok || !isRecord(parsed.value)) {
		return { failure: annexError(400, 'INVALID_REQUEST', 'Request body must be a JSON object') };
	}
	return { body: parsed.value };
}

export function pageOf(request: SandboxRequest): number {
	const page = Number(request.query.get('page') ?? 1);
	return Number.isInteger(page) && page >= 1 ? page : 1;
}

export function paginate<T>(items: T[], page: number, size: number) {
	const pages = Math.max(1, Math.ceil(items.length / size));
	return { items: items.slice((page - 1) * size, page * size), pages };
}
