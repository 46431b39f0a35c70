import { randomUUID } from 'crypto';

import { OMETRIA_SEED_LISTS } from './fixtures';
import {
	AutomationEntries,
	DEFAULT_CUSTOM_FIELDS,
	DEFAULT_EVENT_TYPES,
	UNSUBSCRIBE_TIME,
	type AutomationEntry,
	type Unsubscribe,
} from './ometriaAccount';
import { hashString } from './random';
import {
	header,
	isRecord,
	parseJson,
	reply,
	route,
	TokenBucket,
	type Reply,
	type Route,
	type SandboxRequest,
} from './http';
import {
	MAX_RECORD_BYTES,
	MAX_RECORDS_PER_PUSH,
	RECORD_TOO_LARGE,
	RECORD_TYPES,
	validateRecord,
	type RecordType,
} from './ometriaValidation';

/** The Ometria Data API v2 stand-in: push (async, rate-limited, queue-capped), errors, lists, profiles. */

export interface OmetriaSettings {
	apiKey: string;
	pushRatePerSecond: number;
	/** GET endpoints (Data API, documented 4 req/s); 0 disables the limit. */
	dataApiRatePerSecond: number;
	queueLimit: number;
	processDelayMs: number;
	/** Custom contact fields declared besides the defaults (`DEFAULT_CUSTOM_FIELDS`). */
	customFields: string[];
	/** Event types enabled besides the defaults (`DEFAULT_EVENT_TYPES`). */
	eventTypes: string[];
}

export const DEFAULT_COLLECTION = 'default';
/** How many of the most recent push errors `GET /push/_errors` returns (Ometria docs). */
export const ERRORS_RETURNED = 100;
/** The inspection state keeps at most this many errors and push-log entries (oldest dropped). */
const LOG_CAP = 50_000;

export interface StoredContact {
	collection: string;
	id: string;
	/** The fields as stored after merge/replace, without `@` directives except `@collection`. */
	record: Record<string, unknown>;
	lists: Set<string>;
	forcedOptin: boolean;
	createdAt: string;
	updatedAt: string;
	/** How many pushes touched this listing (1 = created, never updated). */
	updates: number;
	requestIds: string[];
}

export interface StoredEvent {
	id: string;
	record: Record<string, unknown>;
	receivedAt: string;
	request_id: string;
	/** Later pushes of the same event id (ignored, counted). */
	duplicates: number;
	/** Whether the event starts an automation: too old or over the entry limit, it does not. */
	automation: AutomationEntry;
}

export interface OmetriaList {
	id: string;
	title: string;
	description: string;
	/** Contact listing keys (`collection` + NUL + `id`). */
	members: Set<string>;
	createdBy: 'seed' | 'control';
	createdAt: string;
}

export interface PushLogEntry {
	request_id: string | null;
	receivedAt: string;
	status: number;
	recordType: string | null;
	count: number;
	accepted: number;
	rejected: number;
	queueRemaining: number;
	reason?: string;
}

export interface PushError {
	request_id: string;
	record_type: string;
	record_id: string | null;
	record: unknown;
	timestamp: string;
	error_message: string;
	error_path: string;
}

export interface OmetriaCounters {
	pushRequests: number;
	pushAccepted202: number;
	rateLimited429: number;
	queueFull429: number;
	dataApiRateLimited429: number;
	badRequest400: number;
	forbidden403: number;
	recordsAccepted: number;
	recordsRejected: number;
	recordsApplied: number;
	recordsInvalid: number;
	duplicateEvents: number;
	eventsTooOldForAutomations: number;
	eventsOverEntryLimit: number;
}

const zeroCounters = (): OmetriaCounters => ({
	pushRequests: 0,
	pushAccepted202: 0,
	rateLimited429: 0,
	queueFull429: 0,
	dataApiRateLimited429: 0,
	badRequest400: 0,
	forbidden403: 0,
	recordsAccepted: 0,
	recordsRejected: 0,
	recordsApplied: 0,
	recordsInvalid: 0,
	duplicateEvents: 0,
	eventsTooOldForAutomations: 0,
	eventsOverEntryLimit: 0,
});

export const contactKey = (collection: string, id: string) => `${collection}\u0000${id}`;
const splitKey = (key: string) => {
	const [collection, id] = key.split('\u0000');
	return { collection, id };
};

function pushCapped<T>(log: T[], entry: T): void {
	log.push(entry);
	if (log.length > LOG_CAP) log.splice(0, log.length - LOG_CAP);
}

/** Everything the Ometria stand-in holds. Live object: tests read it directly. */
export class OmetriaState {
	readonly contacts = new Map<string, Map<string, StoredContact>>();
	readonly events = new Map<string, StoredEvent>();
	readonly orders = new Map<string, Record<string, unknown>>();
	readonly products = new Map<string, Record<string, unknown>>();
	readonly lists = new Map<string, OmetriaList>();
	readonly pushLog: PushLogEntry[] = [];
	/** All validation errors, oldest first (the API returns the newest 100). */
	readonly errors: PushError[] = [];
	readonly emailIndex = new Map<string, Set<string>>();
	/** Custom contact field IDs the account has created. */
	readonly customFields = new Set<string>();
	/** Custom event types Ometria has enabled for the account. */
	readonly eventTypes = new Set<string>();
	/** Unsubscribes made in Ometria (preference centre, links, SMS stop words), oldest first. */
	readonly unsubscribes: Unsubscribe[] = [];
	readonly automation = new AutomationEntries();
	counters: OmetriaCounters = zeroCounters();
	/** Records accepted but not yet validated/applied (the queue backlog). */
	pending = 0;
	private idleWaiters: Array<() => void> = [];

	constructor(private readonly declared: { customFields?: string[]; eventTypes?: string[] } = {}) {
		this.seedLists();
		this.declareDefaults();
	}

	private declareDefaults(): void {
		for (const field of [...DEFAULT_CUSTOM_FIELDS, ...(this.declared.customFields ?? [])])
			this.customFields.add(field);
		for (const type of [...DEFAULT_EVENT_TYPES, ...(this.declared.eventTypes ?? [])])
			this.eventTypes.add(type);
	}

	/** A static segment created in Ometria (ids are integers). */
	addList(id: number, title: string): OmetriaList {
		const list: OmetriaList = {
			id: String(id),
			title,
			description: 'Static segment created through the sandbox control API',
			members: new Set(),
			createdBy: 'control',
			createdAt: nowIso(),
		};
		this.lists.set(list.id, list);
		return list;
	}

	/** An unsubscribe made on Ometria's side; `timestamp` defaults to now. */
	addUnsubscribe(entry: Partial<Unsubscribe> & { email_address: string; type: string }): void {
		const email = entry.email_address.toLowerCase();
		this.unsubscribes.push({
			email_address: email,
			profile_id: entry.profile_id ?? `prof-${hashString(email).toString(16)}`,
			type: entry.type,
			timestamp: (entry.timestamp ?? nowIso()).slice(0, 19),
			reason: entry.reason ?? null,
		});
		this.unsubscribes.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
	}

	contact(id: string, collection = DEFAULT_COLLECTION): StoredContact | undefined {
		return this.contacts.get(collection)?.get(id);
	}

	contactsIn(collection = DEFAULT_COLLECTION): StoredContact[] {
		return [...(this.contacts.get(collection)?.values() ?? [])];
	}

	contactCount(): number {
		let count = 0;
		for (const collection of this.contacts.values()) count += collection.size;
		return count;
	}

	listMembers(listId: string): Array<{ collection: string; id: string }> {
		return [...(this.lists.get(String(listId))?.members ?? [])].map(splitKey);
	}

	listByTitle(title: string): OmetriaList | undefined {
		for (const list of this.lists.values()) if (list.title === title) return list;
		return undefined;
	}

	/** Resolves once every accepted push has been validated and applied. */
	whenIdle(): Promise<void> {
		if (this.pending === 0) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	settle(records: number): void {
		this.pending -= records;
		if (this.pending === 0) {
			const waiters = this.idleWaiters;
			this.idleWaiters = [];
			for (const resolve of waiters) resolve();
		}
	}

	clear(): void {
		this.contacts.clear();
		this.events.clear();
		this.orders.clear();
		this.products.clear();
		this.lists.clear();
		this.pushLog.length = 0;
		this.errors.length = 0;
		this.emailIndex.clear();
		this.customFields.clear();
		this.eventTypes.clear();
		this.unsubscribes.length = 0;
		this.automation.clear();
		this.counters = zeroCounters();
		this.settle(this.pending);
		this.seedLists();
		this.declareDefaults();
	}

	private seedLists(): void {
		const createdAt = new Date().toISOString();
		for (const list of OMETRIA_SEED_LISTS) {
			this.lists.set(list.id, {
				id: list.id,
				title: list.title,
				description: `Static segment seeded by the sandbox`,
				members: new Set(),
				createdBy: 'seed',
				createdAt,
			});
		}
	}

	contactView(contact: StoredContact) {
		return {
			collection: contact.collection,
			id: contact.id,
			record: contact.record,
			lists: [...contact.lists],
			forcedOptin: contact.forcedOptin,
			createdAt: contact.createdAt,
			updatedAt: contact.updatedAt,
			updates: contact.updates,
			requestIds: contact.requestIds,
		};
	}

	listView(list: OmetriaList) {
		return {
			'@type': 'list',
			id: list.id,
			title: list.title,
			description: list.description,
			size: list.members.size,
			status: 'READY',
			type: 'STATIC',
			timestamp_created: list.createdAt,
		};
	}

	snapshot(summary = false) {
		const contacts: Record<string, unknown[]> = {};
		const collectionSizes: Record<string, number> = {};
		for (const [collection, listings] of this.contacts) {
			collectionSizes[collection] = listings.size;
			if (!summary) contacts[collection] = [...listings.values()].map((c) => this.contactView(c));
		}
		return {
			contactCount: this.contactCount(),
			collectionSizes,
			contacts: summary ? undefined : contacts,
			eventCount: this.events.size,
			unsubscribes: summary ? undefined : this.unsubscribes,
			customFields: [...this.customFields],
			eventTypes: [...this.eventTypes],
			events: summary ? undefined : [...this.events.values()],
			duplicateEvents: this.counters.duplicateEvents,
			orderCount: this.orders.size,
			productCount: this.products.size,
			lists: [...this.lists.values()].map((list) => ({
				...this.listView(list),
				members: summary ? undefined : [...list.members].map(splitKey),
			})),
			pushRequests: summary ? undefined : this.pushLog,
			pushRequestCount: this.pushLog.length,
			rateLimited429: this.counters.rateLimited429 + this.counters.queueFull429,
			errorCount: this.errors.length,
			errors: summary ? undefined : this.errors,
			pending: this.pending,
			counters: this.counters,
		};
	}
}

interface AcceptedRecord {
	type: RecordType;
	record: Record<string, unknown>;
}

const nowIso = () => new Date().toISOString();
const recordIdOf = (record: Record<string, unknown>) =>
	record.id === undefined || record.id === null ? null : String(record.id);

export class OmetriaApi {
	private pushBucket: TokenBucket;
	private dataBucket: TokenBucket;
	private timers = new Set<NodeJS.Timeout>();

	constructor(
		readonly settings: OmetriaSettings,
		readonly state: OmetriaState,
	) {
		this.pushBucket = new TokenBucket(settings.pushRatePerSecond);
		this.dataBucket = new TokenBucket(settings.dataApiRatePerSecond);
	}

	readonly routes: Route[] = [
		route('POST', /^\/push\/?$/, 'ometria.push', (r) => this.push(r)),
		route('GET', /^\/push\/_errors\/?$/, 'ometria.push_errors', (r) =>
			this.data(r, () => this.pushErrors()),
		),
		route('GET', /^\/lists\/?$/, 'ometria.lists', (r) => this.data(r, () => this.getLists())),
		route('GET', /^\/lists\/([^/]+)\/?$/, 'ometria.lists', (r, p) =>
			this.data(r, () => this.getList(p[0])),
		),
		route('GET', /^\/unsubscribes\/?$/, 'ometria.unsubscribes', (r) =>
			this.data(r, () => this.getUnsubscribes(r)),
		),
		route('GET', /^\/profiles\/?$/, 'ometria.profiles', (r) =>
			this.data(r, () => this.getProfiles(r)),
		),
		route('GET', /^\/contacts\/([^/]+)\/([^/]+)\/?$/, 'ometria.contacts', (r, p) =>
			this.data(r, () => this.getContact(p[0], p[1])),
		),
	];

	/** Changes the account's push limit, e.g. to an older account's 4 requests/s. */
	setPushRate(ratePerSecond: number): void {
		this.settings.pushRatePerSecond = ratePerSecond;
		this.pushBucket = new TokenBucket(ratePerSecond);
	}

	/** Drops queued processing (reset/close): pending records are discarded. */
	cancelPending(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.state.settle(this.state.pending);
		this.pushBucket.refill();
		this.dataBucket.refill();
	}

	private queueHeaders(): Record<string, string> {
		return {
			'X-QueueSize-Limit': String(this.settings.queueLimit),
			'X-QueueSize-Remaining': String(Math.max(0, this.settings.queueLimit - this.state.pending)),
		};
	}

	private authorised(request: SandboxRequest): boolean {
		return header(request, 'x-ometria-auth') === this.settings.apiKey;
	}

	private forbidden(): Reply {
		this.state.counters.forbidden403++;
		return reply(403, {
			status: 'ERROR',
			message: 'API key is not authorised to access this resource',
		});
	}

	private data(request: SandboxRequest, produce: () => Reply): Reply {
		if (!this.authorised(request)) return this.forbidden();
		if (!this.dataBucket.take()) {
			this.state.counters.dataApiRateLimited429++;
			return reply(429, { status: 'ERROR', message: 'Too many requests' });
		}
		return produce();
	}

	private push(request: SandboxRequest): Reply {
		const { state } = this;
		state.counters.pushRequests++;
		const log = (entry: Omit<PushLogEntry, 'receivedAt' | 'queueRemaining'>) =>
			pushCapped(state.pushLog, {
				...entry,
				receivedAt: nowIso(),
				queueRemaining: Math.max(0, this.settings.queueLimit - state.pending),
			});
		const refuse = (
			status: number,
			message: string,
			count = 0,
			recordType: string | null = null,
		) => {
			log({
				request_id: null,
				status,
				recordType,
				count,
				accepted: 0,
				rejected: 0,
				reason: message,
			});
			return reply(status, { status: 'ERROR', message }, this.queueHeaders());
		};
		if (!this.authorised(request)) {
			const refused = this.forbidden();
			log({
				request_id: null,
				status: 403,
				recordType: null,
				count: 0,
				accepted: 0,
				rejected: 0,
				reason: 'bad key',
			});
			return { ...refused, headers: this.queueHeaders() };
		}
		if (!this.pushBucket.take()) {
			state.counters.rateLimited429++;
			return refuse(429, 'Too many requests');
		}
		const badRequest = (message: string, count = 0, recordType: string | null = null) => {
			state.counters.badRequest400++;
			return refuse(400, message, count, recordType);
		};
		const parsed = parseJson(request.rawBody);
		if (!parsed.ok) return badRequest('Request body is not valid JSON');
		if (!Array.isArray(parsed.value))
			return badRequest('Request body must be a JSON array of records');
		const records = parsed.value as unknown[];
		if (records.length > MAX_RECORDS_PER_PUSH) {
			return badRequest(
				`A maximum of ${MAX_RECORDS_PER_PUSH} records can be sent per request`,
				records.length,
			);
		}
		const types = new Set<string>();
		for (let index = 0; index < records.length; index++) {
			const record = records[index];
			const type = isRecord(record) ? record['@type'] : undefined;
			if (typeof type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(type)) {
				return badRequest(
					`Record ${index} has no valid @type (${RECORD_TYPES.join(', ')})`,
					records.length,
				);
			}
			types.add(type);
		}
		const recordType = [...types][0] ?? null;
		if (types.size > 1) {
			return badRequest(
				`All records in a request must have the same @type (got ${[...types].join(', ')})`,
				records.length,
			);
		}
		if (state.pending + records.length > this.settings.queueLimit) {
			state.counters.queueFull429++;
			return refuse(429, 'Import queue is full', records.length, recordType);
		}
		const requestId = randomUUID();
		const accepted: AcceptedRecord[] = [];
		let rejected = 0;
		for (const record of records as Array<Record<string, unknown>>) {
			if (Buffer.byteLength(JSON.stringify(record)) > MAX_RECORD_BYTES) {
				rejected++;
				this.recordError(requestId, recordType as string, record, {
					error_message: RECORD_TOO_LARGE,
					error_path: 'root',
				});
			} else {
				accepted.push({ type: recordType as RecordType, record });
			}
		}
		state.counters.pushAccepted202++;
		state.counters.recordsAccepted += accepted.length;
		state.counters.recordsRejected += rejected;
		state.pending += accepted.length;
		log({
			request_id: requestId,
			status: 202,
			recordType,
			count: records.length,
			accepted: accepted.length,
			rejected,
		});
		if (accepted.length > 0) this.schedule(requestId, accepted);
		return reply(
			202,
			{ status: 'OK', request_id: requestId, accepted: accepted.length, rejected },
			this.queueHeaders(),
		);
	}

	private schedule(requestId: string, records: AcceptedRecord[]): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			for (const { type, record } of records) this.process(requestId, type, record);
			this.state.settle(records.length);
		}, this.settings.processDelayMs);
		this.timers.add(timer);
	}

	private recordError(
		requestId: string,
		type: string,
		record: Record<string, unknown>,
		problem: { error_message: string; error_path: string },
	): void {
		pushCapped(this.state.errors, {
			request_id: requestId,
			record_type: type,
			record_id: recordIdOf(record),
			record,
			timestamp: nowIso(),
			...problem,
		});
	}

	private process(requestId: string, type: RecordType, record: Record<string, unknown>): void {
		const problem = validateRecord(type, record, this.state);
		if (problem) {
			this.state.counters.recordsInvalid++;
			this.recordError(requestId, type, record, problem);
			return;
		}
		this.state.counters.recordsApplied++;
		if (type === 'contact') this.applyContact(requestId, record);
		else if (type === 'custom_event') this.applyEvent(requestId, record);
		else this.applyOther(type === 'order' ? this.state.orders : this.state.products, record);
	}

	private applyContact(requestId: string, record: Record<string, unknown>): void {
		const { state } = this;
		const collection = (record['@collection'] as string | undefined) ?? DEFAULT_COLLECTION;
		const id = String(record.id);
		let listings = state.contacts.get(collection);
		if (!listings) {
			listings = new Map();
			state.contacts.set(collection, listings);
		}
		const fields: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(record)) {
			if (!name.startsWith('@')) fields[name] = value;
		}
		fields.id = id;
		const now = nowIso();
		const key = contactKey(collection, id);
		const existing = listings.get(id);
		let stored: StoredContact;
		if (existing) {
			const merged =
				record['@merge'] === true ? mergeContact(existing.record, fields) : replaceContact(fields);
			this.unindexEmail(existing.record.email, key);
			existing.record = merged;
			existing.updatedAt = now;
			existing.updates++;
			if (existing.requestIds.length < 20) existing.requestIds.push(requestId);
			stored = existing;
		} else {
			stored = {
				collection,
				id,
				record: replaceContact(fields),
				lists: new Set(),
				forcedOptin: false,
				createdAt: now,
				updatedAt: now,
				updates: 1,
				requestIds: [requestId],
			};
			listings.set(id, stored);
		}
		if (record['@force_optin'] === true && record.marketing_optin !== undefined)
			stored.forcedOptin = true;
		this.indexEmail(stored.record.email, key);
		for (const listId of (record['@add_to_lists'] as unknown[] | undefined) ?? []) {
			const list = this.state.lists.get(String(listId)) as OmetriaList;
			list.members.add(key);
			stored.lists.add(list.id);
		}
		for (const listId of (record['@remove_from_lists'] as unknown[] | undefined) ?? []) {
			this.state.lists.get(String(listId))?.members.delete(key);
			stored.lists.delete(String(listId));
		}
	}

	private indexEmail(email: unknown, key: string): void {
		if (typeof email !== 'string') return;
		const normalised = email.toLowerCase();
		let keys = this.state.emailIndex.get(normalised);
		if (!keys) {
			keys = new Set();
			this.state.emailIndex.set(normalised, keys);
		}
		keys.add(key);
	}

	private unindexEmail(email: unknown, key: string): void {
		if (typeof email !== 'string') return;
		const keys = this.state.emailIndex.get(email.toLowerCase());
		keys?.delete(key);
		if (keys?.size === 0) this.state.emailIndex.delete(email.toLowerCase());
	}

	private applyEvent(requestId: string, record: Record<string, unknown>): void {
		const id = String(record.id);
		const existing = this.state.events.get(id);
		if (existing) {
			existing.duplicates++;
			this.state.counters.duplicateEvents++;
			return;
		}
		const received = Date.now();
		const automation = this.state.automation.decide(
			String(record.event_type),
			Date.parse(String(record.timestamp)),
			received,
			String(record.identity_account_id ?? record.identity_email ?? '').toLowerCase(),
		);
		if (automation === 'too_old') this.state.counters.eventsTooOldForAutomations++;
		if (automation === 'over_entry_limit') this.state.counters.eventsOverEntryLimit++;
		this.state.events.set(id, {
			id,
			record,
			receivedAt: new Date(received).toISOString(),
			request_id: requestId,
			duplicates: 0,
			automation,
		});
	}

	private applyOther(
		store: Map<string, Record<string, unknown>>,
		record: Record<string, unknown>,
	): void {
		const id = String(record.id);
		const existing = store.get(id);
		store.set(id, record['@merge'] === true && existing ? { ...existing, ...record } : record);
	}

	private pushErrors(): Reply {
		return reply(200, this.state.errors.slice(-ERRORS_RETURNED).reverse());
	}

	/**
	 * `GET /unsubscribes?since=&before=&type=&limit=&offset=`: Ometria-side unsubscribes, oldest
	 * first. Times must be written `YYYY-MM-DDTHH:MM:SS` (UTC), as documented; paging by limit
	 * (at most 250) and offset is the sandbox's guess.
	 */
	private getUnsubscribes(request: SandboxRequest): Reply {
		const since = request.query.get('since');
		const before = request.query.get('before');
		for (const [name, value] of [
			['since', since],
			['before', before],
		] as const) {
			if (value !== null && !UNSUBSCRIBE_TIME.test(value)) {
				this.state.counters.badRequest400++;
				return reply(400, {
					status: 'ERROR',
					message: `${name} must be written YYYY-MM-DDTHH:MM:SS`,
				});
			}
		}
		const type = request.query.get('type');
		const limit = Math.min(250, Math.max(1, Number(request.query.get('limit') ?? 100) || 100));
		const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
		const matching = this.state.unsubscribes.filter(
			(entry) =>
				(since === null || entry.timestamp >= since) &&
				(before === null || entry.timestamp < before) &&
				(type === null || entry.type === type),
		);
		return reply(200, matching.slice(offset, offset + limit));
	}

	private getLists(): Reply {
		return reply(
			200,
			[...this.state.lists.values()].map((list) => this.state.listView(list)),
		);
	}

	private getList(id: string): Reply {
		const list = this.state.lists.get(id);
		if (!list) return reply(404, { status: 'ERROR', message: `List ${id} not found` });
		return reply(200, this.state.listView(list));
	}

	private getContact(collection: string, id: string): Reply {
		const contact = this.state.contact(id, collection);
		if (!contact) return reply(404, { status: 'ERROR', message: 'Contact not found' });
		return reply(200, { '@type': 'contact', '@collection': collection, ...contact.record });
	}

	private getProfiles(request: SandboxRequest): Reply {
		const email = request.query.get('email');
		if (email !== null) {
			const profile = this.assembleProfile(email.toLowerCase());
			return reply(200, profile ? [profile] : []);
		}
		const limit = Math.min(250, Math.max(1, Number(request.query.get('limit') ?? 100) || 100));
		const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
		const emails = [...this.state.emailIndex.keys()].slice(offset, offset + limit);
		return reply(200, emails.map((address) => this.assembleProfile(address)).filter(Boolean));
	}

	/**
	 * A profile clusters every listing with the email. Later listings win for plain fields,
	 * properties merge key-wise, opt-out wins unless a listing was force-opted (Ometria's hierarchy).
	 */
	private assembleProfile(email: string) {
		const keys = this.state.emailIndex.get(email);
		if (!keys || keys.size === 0) return undefined;
		const listings = [...keys]
			.map((key) => {
				const { collection, id } = splitKey(key);
				return this.state.contact(id, collection);
			})
			.filter((listing): listing is StoredContact => listing !== undefined)
			.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
		const fields: Record<string, unknown> = {};
		const properties: Record<string, unknown> = {};
		const lists = new Set<string>();
		let optin: unknown = 'NOT_SPECIFIED';
		let forced = false;
		for (const listing of listings) {
			for (const name of [
				'customer_id',
				'firstname',
				'lastname',
				'phone_number',
				'date_of_birth',
				'gender',
				'country_id',
				'timezone',
				'channels',
			]) {
				if (listing.record[name] !== undefined && listing.record[name] !== null)
					fields[name] = listing.record[name];
			}
			if (isRecord(listing.record.properties)) Object.assign(properties, listing.record.properties);
			for (const list of listing.lists) lists.add(list);
			const value = listing.record.marketing_optin;
			if (listing.forcedOptin) {
				optin = value;
				forced = true;
			} else if (!forced && value === 'EXPLICITLY_OPTEDOUT') {
				optin = value;
			} else if (!forced && value === 'EXPLICITLY_OPTEDIN' && optin !== 'EXPLICITLY_OPTEDOUT') {
				optin = value;
			}
		}
		return {
			'@type': 'profile',
			id: `prof-${hashString(email).toString(16)}`,
			email,
			...fields,
			marketing_optin: optin,
			properties,
			identities: listings.map((listing) => ({ collection: listing.collection, id: listing.id })),
			lists: [...lists],
			tags: [],
		};
	}
}

/** Drops the fields sent as `null`: the listing no longer has them. */
function withoutCleared(fields: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

/** Without `@merge` (or for a new listing) the record as sent, its `null` fields left out. */
function replaceContact(fields: Record<string, unknown>): Record<string, unknown> {
	const stored = withoutCleared(fields);
	if (isRecord(stored.properties)) stored.properties = withoutCleared(stored.properties);
	return stored;
}

/**
 * `@merge: true`: sent fields overwrite, `properties` and each `channels` entry merge key-wise.
 * A field (or custom field) sent as `null` is cleared: Ometria keeps only the fields a merge
 * leaves out, so a `null` replaces the stored value with nothing (docs/ometria.md, assumed).
 */
export function mergeContact(
	stored: Record<string, unknown>,
	incoming: Record<string, unknown>,
): Record<string, unknown> {
	const merged: Record<string, unknown> = withoutCleared({ ...stored, ...incoming });
	if (isRecord(incoming.properties)) {
		merged.properties = withoutCleared({
			...(isRecord(stored.properties) ? stored.properties : {}),
			...incoming.properties,
		});
	}
	if (isRecord(stored.channels) && isRecord(incoming.channels)) {
		const channels: Record<string, unknown> = { ...stored.channels };
		for (const [name, settings] of Object.entries(incoming.channels)) {
			const previous = stored.channels[name];
			channels[name] =
				isRecord(previous) && isRecord(settings) ? { ...previous, ...settings } : settings;
		}
		merged.channels = channels;
	}
	return merged;
}
