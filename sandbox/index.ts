import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import { mkdir, writeFile } from 'fs/promises';
import type { AddressInfo } from 'net';
import { join } from 'path';

import { AnnexApi, AnnexState, type AnnexResponseShape } from './annex';
import { bookPurchases, parsePurchases } from './annexPurchases';
import { todayIsoDate } from './dates';
import { FaultInjector, RequestStats, type FaultConfig } from './faults';
import { buildFixtureMembers } from './fixtures';
import { applyNextDayToMembers, writeFeed, type NextDayShares } from './feed';
import { iterateMembers } from './generator';
import {
	isRecord,
	matchRoute,
	parseJson,
	reply,
	type Reply,
	type Route,
	type SandboxRequest,
} from './http';
import { DEFAULT_COLLECTION, OmetriaApi, OmetriaState } from './ometria';
import { buildOmetriaExport, messagesOf, parseExportRequest } from './ometriaExport';
import { sendWebhooks, type WebhookMember, type WebhookSendOptions } from './webhookSender';

export type { EndpointFault, FaultConfig } from './faults';
export type { AnnexResponseShape } from './annex';

/**
 * The sandbox: one local HTTP server standing in for Ometria (`/ometria/v2`) and Annex Cloud
 * (`/annex/api/3.0`), plus a control API (`/_sandbox`). See sandbox/README.md.
 */

export interface SandboxOptions {
	/** 0 (default) = random free port; host is always 127.0.0.1. */
	port?: number;
	ometria?: {
		apiKey?: string;
		pushRatePerSecond?: number;
		/** GET endpoints; documented 4 req/s. 0 disables the limit. */
		dataApiRatePerSecond?: number;
		queueLimit?: number;
		/** Delay before pushed records are validated and applied. */
		processDelayMs?: number;
		/** Custom contact fields declared besides the package's own (sandbox/README.md). */
		customFields?: string[];
		/** Custom event types enabled besides the package's own. */
		eventTypes?: string[];
	};
	annex?: {
		siteId?: string;
		siteName?: string;
		secretKey?: string;
		/** 'flat' (default): fields at the top level; 'wrapped': `{ Data: {…} }`. */
		responseShape?: AnnexResponseShape;
	};
	/** Generated members loaded into Annex Cloud at start, besides the fixtures (default 0). */
	members?: number;
	seed?: number;
	/** ISO date the generated data is relative to (default today UTC). */
	asOf?: string;
}

export interface ResolvedSandboxOptions {
	port: number;
	ometria: Required<NonNullable<SandboxOptions['ometria']>>;
	annex: Required<NonNullable<SandboxOptions['annex']>>;
	members: number;
	seed: number;
	asOf: string;
}

export interface SnapshotOptions {
	/** Counts only: no contacts, events, members, list members, logs. */
	summary?: boolean;
	/** Include every Annex member (default: all when ≤ 2,000, else only API-changed ones). */
	allMembers?: boolean;
}

const ALL_MEMBERS_THRESHOLD = 2000;

/** Both vendors' data. Live: tests may read it directly; `GET /_sandbox/state` serialises it. */
export class SandboxState {
	readonly ometria: OmetriaState;
	readonly annex = new AnnexState();

	constructor(
		readonly asOf: string,
		readonly seed: number,
		declared: { customFields?: string[]; eventTypes?: string[] } = {},
	) {
		this.ometria = new OmetriaState(declared);
	}

	snapshot(options: SnapshotOptions = {}) {
		const allMembers = options.allMembers ?? this.annex.members.size <= ALL_MEMBERS_THRESHOLD;
		return {
			asOf: this.asOf,
			seed: this.seed,
			ometria: this.ometria.snapshot(options.summary),
			annex: this.annex.snapshot(allMembers, options.summary),
		};
	}
}

export interface Sandbox {
	url: string;
	ometriaBaseUrl: string;
	annexBaseUrl: string;
	state: SandboxState;
	/** Replaces the fault configuration (per endpoint key; `{}` clears). */
	setFaults(faults: FaultConfig): void;
	/** Back to the start state: data reloaded, queue emptied, faults and stats cleared. */
	reset(): void;
	close(): Promise<void>;
	/** Resolved options, credentials included. */
	options: ResolvedSandboxOptions;
	/** Same body as `GET /_sandbox/stats`. */
	stats(): Record<string, unknown>;
	/** Same as `POST /_sandbox/feed`: the member feed of the current state, or of the next day. */
	writeMemberFeed(
		path: string,
		nextDay?: NextDayShares,
	): Promise<{
		path: string;
		rows: number;
		changed: number;
		optedOut: number;
		new: number;
		cleared: number;
	}>;
	/** Same as `POST /_sandbox/webhooks/send`; members default to sandbox members. */
	sendWebhooks(options: WebhookSendOptions): ReturnType<typeof sendWebhooks>;
}

export const OMETRIA_PREFIX = '/ometria/v2';
export const ANNEX_PREFIX = '/annex/api/3.0';
export const CONTROL_PREFIX = '/_sandbox';
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export function resolveOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
	return {
		port: options.port ?? 0,
		ometria: {
			apiKey: options.ometria?.apiKey ?? 'sandbox-ometria-key',
			pushRatePerSecond: options.ometria?.pushRatePerSecond ?? 8,
			dataApiRatePerSecond: options.ometria?.dataApiRatePerSecond ?? 4,
			queueLimit: options.ometria?.queueLimit ?? 50_000,
			processDelayMs: options.ometria?.processDelayMs ?? 50,
			customFields: options.ometria?.customFields ?? [],
			eventTypes: options.ometria?.eventTypes ?? [],
		},
		annex: {
			siteId: options.annex?.siteId ?? 'sandbox-site',
			siteName: options.annex?.siteName ?? 'sandbox',
			secretKey: options.annex?.secretKey ?? 'sandbox-secret',
			responseShape: options.annex?.responseShape ?? 'flat',
		},
		members: options.members ?? 0,
		seed: options.seed ?? 42,
		asOf: options.asOf ?? todayIsoDate(),
	};
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		request.on('end', () =>
			resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
		);
		request.on('error', reject);
	});
}

function send(response: ServerResponse, result: Reply): void {
	const body = result.body === undefined ? '' : JSON.stringify(result.body);
	response.writeHead(result.status, {
		...(body === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
		'Content-Length': String(Buffer.byteLength(body)),
		...result.headers,
	});
	response.end(body);
}

/** A share from 0 to 1, undefined when not given, NaN when not a share. */
function shareOf(value: unknown): number | undefined {
	if (value === undefined) return undefined;
	return typeof value === 'number' && value >= 0 && value <= 1 ? value : NaN;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const resolved = resolveOptions(options);
	const state = new SandboxState(resolved.asOf, resolved.seed, resolved.ometria);
	const ometria = new OmetriaApi(resolved.ometria, state.ometria);
	const annex = new AnnexApi(resolved.annex, state.annex);
	const faults = new FaultInjector(resolved.seed);
	const requestStats = new RequestStats();

	/** Generated members so far (the next-day feed adds some). */
	let generated = resolved.members;
	const loadMembers = () => {
		generated = resolved.members;
		state.annex.load(buildFixtureMembers(resolved.asOf));
		state.annex.load(
			iterateMembers(resolved.members, { seed: resolved.seed, asOf: resolved.asOf }),
		);
	};

	/** Writes the member feed of the current state; a next day changes the state first. */
	const writeMemberFeed = async (path: string, nextDay?: NextDayShares) => {
		let changes = { changed: 0, optedOut: 0, new: 0, cleared: 0 };
		if (nextDay) {
			const newCount = Math.round(resolved.members * (nextDay.new ?? 0.01));
			changes = applyNextDayToMembers(
				state.annex.members.values(),
				{
					seed: resolved.seed,
					asOf: resolved.asOf,
					shares: nextDay,
					newCount,
					startIndex: generated,
				},
				(member) => state.annex.add(member),
			);
			generated += newCount;
		}
		const rows = await writeFeed(
			path,
			(function* () {
				for (const id of state.annex.memberIds) yield state.annex.members.get(id)!;
			})(),
		);
		return { path, rows, ...changes };
	};
	loadMembers();

	const reset = () => {
		ometria.cancelPending();
		state.ometria.clear();
		state.annex.clear();
		loadMembers();
		faults.reset();
		requestStats.clear();
	};

	const stats = () => ({
		requests: Object.fromEntries(requestStats.requests),
		responses: Object.fromEntries(
			[...requestStats.statuses].map(([key, byStatus]) => [key, Object.fromEntries(byStatus)]),
		),
		total429: requestStats.total429(),
		faultsInjected: Object.fromEntries(faults.injected),
		ometria: { ...state.ometria.counters, pending: state.ometria.pending },
		annex: {
			members: state.annex.members.size,
			redemptions: state.annex.redemptions.length,
			assignments: state.annex.assignments.length,
			tierChanges: state.annex.tierChanges.length,
		},
	});

	const webhookMembers = (): WebhookMember[] =>
		state.annex.memberIds.slice(0, 500).map((id) => {
			const member = state.annex.members.get(id)!;
			const { email, firstName, lastName, tier, availablePoints, lifetimePoints } = member;
			return { id, email, firstName, lastName, tier, availablePoints, lifetimePoints };
		});
	const sendFromSandbox = (webhook: WebhookSendOptions) =>
		sendWebhooks({
			seed: resolved.seed,
			siteId: resolved.annex.siteId,
			members: webhookMembers(),
			...webhook,
		});

	let url = '';
	const info = () => ({
		url,
		ometriaBaseUrl: `${url}${OMETRIA_PREFIX}`,
		annexBaseUrl: `${url}${ANNEX_PREFIX}`,
		options: resolved,
	});

	const control = async (
		method: string,
		path: string,
		query: URLSearchParams,
		rawBody: string,
	): Promise<Reply> => {
		const body = () => {
			const parsed = rawBody.trim() === '' ? { ok: true as const, value: {} } : parseJson(rawBody);
			return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
		};
		const flag = (name: string) => ['1', 'true', 'yes'].includes(query.get(name) ?? '');
		const route = `${method} ${path.replace(/\/$/, '')}`;
		switch (route) {
			case 'GET /state':
				return reply(
					200,
					state.snapshot({
						summary: flag('summary'),
						allMembers: query.has('annexMembers') ? query.get('annexMembers') === 'all' : undefined,
					}),
				);
			case 'GET /state/ometria/contacts': {
				const collection = query.get('collection') ?? DEFAULT_COLLECTION;
				const id = query.get('id');
				const all = state.ometria
					.contactsIn(collection)
					.filter((contact) => id === null || contact.id === id);
				const offset = Number(query.get('offset') ?? 0) || 0;
				const limit = Number(query.get('limit') ?? all.length) || all.length;
				return reply(200, {
					collection,
					count: all.length,
					contacts: all
						.slice(offset, offset + limit)
						.map((contact) => state.ometria.contactView(contact)),
				});
			}
			case 'GET /info':
				return reply(200, info());
			case 'GET /stats':
				return reply(200, stats());
			case 'GET /faults':
				return reply(200, faults.current());
			case 'POST /faults': {
				const config = body();
				if (!config) return reply(400, { error: 'body must be a FaultConfig object' });
				faults.configure(config as FaultConfig);
				return reply(200, { ok: true, faults: faults.current() });
			}
			case 'POST /feed': {
				const request = body();
				if (!request || typeof request.path !== 'string' || !request.path)
					return reply(400, { error: 'body needs the path to write the feed to' });
				const nextDay = request.nextDay;
				if (nextDay !== undefined && !isRecord(nextDay))
					return reply(400, { error: 'nextDay must be an object of shares' });
				const shares: NextDayShares | undefined = nextDay && {
					changed: shareOf(nextDay.changed),
					optedOut: shareOf(nextDay.optedOut),
					new: shareOf(nextDay.new),
					cleared: shareOf(nextDay.cleared),
				};
				if (shares && Object.values(shares).some((share) => Number.isNaN(share)))
					return reply(400, { error: 'nextDay shares must be numbers from 0 to 1' });
				return reply(200, await writeMemberFeed(request.path, shares));
			}
			case 'POST /ometria/custom-fields':
			case 'POST /ometria/event-types': {
				const names = body()?.names;
				if (!Array.isArray(names) || !names.every((name) => typeof name === 'string'))
					return reply(400, { error: 'body needs names: a list of strings' });
				const target = route.endsWith('custom-fields')
					? state.ometria.customFields
					: state.ometria.eventTypes;
				for (const name of names) target.add(name);
				return reply(200, { ok: true, declared: [...target] });
			}
			case 'POST /annex/purchases': {
				const parsed = parsePurchases(body());
				if (!parsed.ok) return reply(400, { error: parsed.error });
				const result = bookPurchases(state.annex, parsed.value);
				return 'error' in result ? reply(404, result) : reply(200, result);
			}
			case 'POST /ometria/export': {
				const parsed = parseExportRequest(body(), resolved.seed, new Date());
				if (!parsed.ok) return reply(400, { error: parsed.error });
				const request = parsed.value;
				const emailOf = (id: string) => {
					const email = state.ometria.contact(id)?.record.email;
					return typeof email === 'string' ? email : undefined;
				};
				const messages = messagesOf(state.ometria.events.values(), request.eventType, emailOf);
				const written = buildOmetriaExport(messages, request);
				const file = join(request.path, written.file);
				await mkdir(request.path, { recursive: true });
				await writeFile(file, written.csv, 'utf8');
				return reply(200, { file, rows: written.rows, counts: written.counts });
			}
			case 'POST /ometria/push-rate': {
				const rate = body()?.ratePerSecond;
				if (typeof rate !== 'number' || !(rate >= 0))
					return reply(400, { error: 'body needs ratePerSecond: a number ≥ 0' });
				ometria.setPushRate(rate);
				return reply(200, { ok: true, ratePerSecond: rate });
			}
			case 'POST /ometria/lists': {
				const list = body();
				if (!list || !Number.isInteger(list.id) || typeof list.title !== 'string')
					return reply(400, { error: 'body needs an integer id and a title' });
				return reply(
					200,
					state.ometria.listView(state.ometria.addList(list.id as number, list.title)),
				);
			}
			case 'POST /ometria/unsubscribes': {
				const entries = body()?.unsubscribes;
				const valid =
					Array.isArray(entries) &&
					entries.every(
						(entry) =>
							isRecord(entry) &&
							typeof entry.email_address === 'string' &&
							typeof entry.type === 'string',
					);
				if (!valid)
					return reply(400, {
						error: 'body needs unsubscribes: [{email_address, type, timestamp?}]',
					});
				for (const entry of entries as Array<{ email_address: string; type: string }>)
					state.ometria.addUnsubscribe(entry);
				return reply(200, { ok: true, count: state.ometria.unsubscribes.length });
			}
			case 'POST /reset':
				reset();
				return reply(200, { ok: true });
			case 'POST /webhooks/send': {
				const webhook = body();
				if (!webhook || typeof webhook.url !== 'string')
					return reply(400, { error: 'body needs a url' });
				return reply(200, await sendFromSandbox(webhook as unknown as WebhookSendOptions));
			}
			default:
				return reply(404, { error: `No control endpoint ${route}` });
		}
	};

	const vendorReply = (vendor: 'ometria' | 'annex', status: number, message: string): Reply =>
		vendor === 'ometria'
			? reply(status, { status: 'ERROR', message })
			: annex.error(status, String(status), message);

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const rawBody = await readBody(request);
		if (rawBody === undefined) return send(response, reply(413, { error: 'body too large' }));
		const target = new URL(request.url ?? '/', 'http://127.0.0.1');
		const method = (request.method ?? 'GET').toUpperCase();
		const path = target.pathname;
		if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
			return send(
				response,
				await control(method, path.slice(CONTROL_PREFIX.length), target.searchParams, rawBody),
			);
		}
		const vendor = path.startsWith(`${OMETRIA_PREFIX}/`)
			? 'ometria'
			: path.startsWith(`${ANNEX_PREFIX}/`)
				? 'annex'
				: undefined;
		if (!vendor) return send(response, reply(404, { error: `Nothing at ${path}` }));
		const prefix = vendor === 'ometria' ? OMETRIA_PREFIX : ANNEX_PREFIX;
		const routes: Route[] = vendor === 'ometria' ? ometria.routes : annex.routes;
		const subPath = path.slice(prefix.length);
		const match = matchRoute(routes, method, subPath);
		const key = match?.route.key ?? `${vendor}.unknown`;
		requestStats.count(key);
		const decision = faults.decide(key);
		if (decision.slowMs > 0) await delay(decision.slowMs);
		if (decision.kind === 'drop') {
			request.socket.destroy();
			return;
		}
		let result: Reply;
		if (decision.kind === '429')
			result = vendorReply(vendor, 429, 'Too many requests (injected fault)');
		else if (decision.kind === '5xx')
			result = vendorReply(vendor, decision.status, 'Service unavailable (injected fault)');
		else if (!match) result = vendorReply(vendor, 404, `No endpoint ${method} ${subPath}`);
		else {
			const sandboxRequest: SandboxRequest = {
				method,
				path: subPath,
				query: target.searchParams,
				headers: request.headers,
				rawBody,
				url: request.url ?? path,
			};
			result =
				(vendor === 'annex' && annex.authenticate(sandboxRequest)) ||
				(await match.route.handle(sandboxRequest, match.params));
		}
		requestStats.status(key, result.status);
		send(response, result);
	};

	const server = createServer((request, response) => {
		handle(request, response).catch((error: Error) => {
			if (!response.headersSent) send(response, reply(500, { error: error.message }));
			else response.destroy();
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(resolved.port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	resolved.port = port;
	url = `http://127.0.0.1:${port}`;

	return {
		url,
		ometriaBaseUrl: `${url}${OMETRIA_PREFIX}`,
		annexBaseUrl: `${url}${ANNEX_PREFIX}`,
		state,
		options: resolved,
		setFaults: (config) => faults.configure(config),
		reset,
		stats,
		sendWebhooks: sendFromSandbox,
		writeMemberFeed,
		close: () =>
			new Promise<void>((resolve, reject) => {
				ometria.cancelPending();
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
}
