import type { IncomingHttpHeaders } from 'http';

/** A request as the vendor stand-ins see it: body already read, path relative to the vendor base. */
export interface SandboxRequest {
	method: string;
	/** Path below the vendor base, e.g. `/push` or `/users/plat-001/activity`. */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** Exact request body as received (Annex Cloud signs it byte for byte). */
	rawBody: string;
	/** Full request target as received, e.g. `/annex/api/3.0/users/plat-001?page=2`. */
	url: string;
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (request: SandboxRequest, params: string[]) => Reply | Promise<Reply>;

export interface Route {
	method: string;
	pattern: RegExp;
	/** Endpoint key used by stats and fault injection, e.g. `ometria.push`. */
	key: string;
	handle: Handler;
}

export function route(method: string, pattern: RegExp, key: string, handle: Handler): Route {
	return { method, pattern, key, handle };
}

export function reply(status: number, body?: unknown, headers?: Record<string, string>): Reply {
	return { status, body, headers };
}

export function matchRoute(
	routes: readonly Route[],
	method: string,
	path: string,
): { route: Route; params: string[] } | undefined {
	for (const route of routes) {
		if (route.method !== method) continue;
		const match = route.pattern.exec(path);
		if (match) return { route, params: match.slice(1).map((part) => decodeURIComponent(part)) };
	}
	return undefined;
}

export function header(request: SandboxRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** JSON.parse that reports failure instead of throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Token bucket: `ratePerSecond` sustained, bursts up to `ratePerSecond` requests. */
export class TokenBucket {
	private tokens: number;
	private last = performance.now();

	constructor(private readonly ratePerSecond: number) {
		this.tokens = ratePerSecond;
	}

	take(): boolean {
		if (this.ratePerSecond <= 0) return true;
		const now = performance.now();
		this.tokens = Math.min(
			this.ratePerSecond,
			this.tokens + ((now - this.last) / 1000) * this.ratePerSecond,
		);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}

	refill(): void {
		this.tokens = this.ratePerSecond;
		this.last = performance.now();
	}
}
