import { DateTime } from 'luxon';

/**
 * How a member feed row becomes a loyalty record with the field names the Annex Cloud node's
 * Get Loyalty Profile produces (`loyaltyId`, `currentTier`, `availablePoints`, …). The default
 * header names follow Annex Cloud's admin Member Report (Create Date, Name, User ID, Tier, Opt in
 * Status, …) plus the loyalty fields a Data Feed can be mapped to carry (email, points, next tier,
 * …). Every default is a setting; see docs/member-feed.md.
 */

export type FieldKind = 'text' | 'number' | 'date' | 'tier' | 'name';

export interface FeedField {
	/** Record field name (Get Loyalty Profile's name where it has one). */
	key: string;
	kind: FieldKind;
	/** Header names that map to the field by default, compared after `headerKey`. */
	headers: string[];
}

export const FEED_FIELDS: readonly FeedField[] = [
	{ key: 'loyaltyId', kind: 'text', headers: ['User ID', 'Loyalty ID', 'Member ID', 'id'] },
	{ key: 'email', kind: 'text', headers: ['Email', 'Email Address', 'Email ID'] },
	{ key: 'fullName', kind: 'name', headers: ['Name'] },
	{ key: 'firstName', kind: 'text', headers: ['First Name'] },
	{ key: 'lastName', kind: 'text', headers: ['Last Name'] },
	{ key: 'phone', kind: 'text', headers: ['Phone', 'Phone No', 'Phone Number'] },
	{ key: 'activeStatus', kind: 'text', headers: ['Active Status', 'Status'] },
	{ key: 'createDate', kind: 'date', headers: ['Create Date', 'Created Date'] },
	{ key: 'optInStatus', kind: 'text', headers: ['Opt in Status', 'Opt-in Status'] },
	{ key: 'optInDate', kind: 'date', headers: ['Opt-in Date', 'Opt in Date'] },
	{ key: 'optOutDate', kind: 'date', headers: ['Opt-Out Date', 'Opt out Date'] },
	{ key: 'anniversaryDate', kind: 'date', headers: ['Anniversary Date'] },
	{ key: 'birthDate', kind: 'date', headers: ['Birthday', 'Birth Date', 'Date of Birth'] },
	{ key: 'zipCode', kind: 'text', headers: ['Zipcode', 'Zip Code', 'Postcode'] },
	{ key: 'source', kind: 'text', headers: ['Source'] },
	{ key: 'currentTier', kind: 'tier', headers: ['Tier', 'Current Tier'] },
	{ key: 'tierAchievedDate', kind: 'date', headers: ['Tier Achieved Date', 'Tier Achieve Date'] },
	{ key: 'nextTier', kind: 'tier', headers: ['Next Tier'] },
	{
		key: 'pointsToNextTier',
		kind: 'number',
		headers: ['Points To Next Tier', 'Points Req For Next Tier'],
	},
	{ key: 'availablePoints', kind: 'number', headers: ['Current Balance', 'Available Points'] },
	{ key: 'earnedPoints', kind: 'number', headers: ['Earned Points', 'Lifetime Points'] },
	{ key: 'usedPoints', kind: 'number', headers: ['Used Points'] },
	{ key: 'holdPoints', kind: 'number', headers: ['Hold Points'] },
	{ key: 'expiredPoints', kind: 'number', headers: ['Expired Points'] },
	{ key: 'nextExpiringPoints', kind: 'number', headers: ['Next Expiring Points'] },
	{ key: 'pointsExpirationDate', kind: 'date', headers: ['Points Expiration Date'] },
	{ key: 'firstActivityDate', kind: 'date', headers: ['First Activity Date'] },
	{ key: 'lastActivityDate', kind: 'date', headers: ['Last Activity Date'] },
	{ key: 'firstPurchaseDate', kind: 'date', headers: ['First Purchase Date'] },
	{ key: 'lastPurchaseDate', kind: 'date', headers: ['Last Purchase Date'] },
	{ key: 'extendedAttributes', kind: 'text', headers: ['Extended Attributes'] },
];

export const DEFAULT_DATE_FORMATS = [
	'yyyy-MM-dd',
	'yyyy-MM-dd HH:mm:ss',
	"yyyy-MM-dd'T'HH:mm:ssZZ",
	'MM/dd/yyyy',
	'MM/dd/yyyy HH:mm:ss',
];

/** Header names compare without case, spaces, hyphens, underscores and dots. */
export function headerKey(header: string): string {
	return header.toLowerCase().replace(/[\s\-_.]/g, '');
}

export interface FeedSettings {
	/** Extra or overriding header → field names, e.g. `{ 'Customer No': 'loyaltyId' }`. */
	columnMap?: Record<string, string>;
	/** Luxon formats tried in order; an ISO 8601 value is always accepted. */
	dateFormats?: string[];
	/** Zone of dates without an offset (default UTC). */
	timeZone?: string;
	/** Tier names a row may carry; empty: any. */
	knownTiers?: string[];
}

export interface FeedLayout {
	/** Per column: the field it fills, or undefined when the column is not read. */
	columns: Array<FeedField | undefined>;
	/** Field keys the feed carries, in FEED_FIELDS order (`fullName` becomes first/last name). */
	fields: string[];
	ignoredHeaders: string[];
	idColumn: number;
}

const FIELD_BY_KEY = new Map(FEED_FIELDS.map((field) => [field.key, field]));

/** A custom mapping may name a field the defaults do not know: it is read as text. */
function fieldNamed(key: string): FeedField {
	return FIELD_BY_KEY.get(key) ?? { key, kind: 'text', headers: [] };
}

export class FeedFormatError extends Error {}

export function feedLayout(
	header: readonly string[],
	settings: FeedSettings = {},
	/** Names the file in messages. */
	source: 'feed' | 'snapshot' = 'feed',
): FeedLayout {
	const byHeader = new Map<string, FeedField>();
	for (const field of FEED_FIELDS)
		for (const name of field.headers) byHeader.set(headerKey(name), field);
	for (const [name, key] of Object.entries(settings.columnMap ?? {}))
		byHeader.set(headerKey(name), fieldNamed(key.trim()));
	const columns = header.map((name) => byHeader.get(headerKey(name)));
	const used = new Set<string>();
	const ignoredHeaders: string[] = [];
	columns.forEach((field, index) => {
		if (!field) ignoredHeaders.push(header[index]);
		else if (used.has(field.key))
			throw new FeedFormatError(`Two columns of the ${source} fill the field "${field.key}"`);
		else used.add(field.key);
	});
	const idColumn = columns.findIndex((field) => field?.key === 'loyaltyId');
	if (idColumn < 0)
		throw new FeedFormatError(
			`No member id column in the ${source}: expected one of ${FIELD_BY_KEY.get('loyaltyId')!.headers.join(', ')} or a column mapped to loyaltyId`,
		);
	const fields: string[] = [];
	const add = (key: string) => {
		if (!fields.includes(key)) fields.push(key);
	};
	for (const field of [...FEED_FIELDS, ...columns.filter((c): c is FeedField => !!c)]) {
		if (!used.has(field.key)) continue;
		if (field.kind === 'name') {
			add('firstName');
			add('lastName');
		} else add(field.key);
	}
	return { columns, fields, ignoredHeaders, idColumn };
}

/** A record: field → value; `null` is an empty cell. Dates are ISO 8601, numbers are numbers. */
export type MemberRecord = Record<string, string | number | null>;

export type RowResult = { record: MemberRecord } | { reason: string };

const DATE_CACHE_SIZE = 50_000;

const ISO_LIKE =
	/^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss` and ISO 8601 with an offset (Annex Cloud writes `+0000`)
 * without Luxon, which is too slow for millions of distinct date-times. Returns '' for an
 * impossible date, undefined when the value is not of this shape or needs the time zone.
 */
export function isoLikeDate(raw: string, utc: boolean): string | undefined {
	const match = ISO_LIKE.exec(raw);
	if (!match) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', offset] = match;
	if (!offset && !utc) return undefined;
	const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
	const time = Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, '0')));
	const date = new Date(time);
	if (
		month < 1 ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day ||
		hour > 23 ||
		minute > 59 ||
		second > 59
	)
		return '';
	let offsetMinutes = 0;
	if (offset && offset !== 'Z') {
		const digits = offset.replace(':', '');
		offsetMinutes =
			(digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
	}
	return new Date(time - offsetMinutes * 60_000).toISOString();
}

export class RowReader {
	private readonly formats: string[];
	private readonly zone: string;
	private readonly tiers?: Map<string, string>;

	constructor(
		readonly layout: FeedLayout,
		settings: FeedSettings = {},
	) {
		this.formats = settings.dateFormats?.length ? settings.dateFormats : DEFAULT_DATE_FORMATS;
		this.zone = settings.timeZone?.trim() || 'UTC';
		if (!DateTime.now().setZone(this.zone).isValid)
			throw new FeedFormatError(`Unknown time zone "${this.zone}"`);
		const known = (settings.knownTiers ?? []).map((tier) => tier.trim()).filter(Boolean);
		if (known.length) this.tiers = new Map(known.map((tier) => [tier.toLowerCase(), tier]));
	}

	read(fields: readonly string[]): RowResult {
		const { columns } = this.layout;
		if (fields.length !== columns.length)
			return {
				reason: `wrong column count: ${fields.length} instead of ${columns.length}`,
			};
		const record: MemberRecord = {};
		for (let index = 0; index < columns.length; index++) {
			const field = columns[index];
			if (!field) continue;
			const raw = fields[index].trim();
			if (field.kind === 'name') {
				const space = raw.indexOf(' ');
				record.firstName = raw === '' ? null : space < 0 ? raw : raw.slice(0, space);
				record.lastName = space < 0 ? null : raw.slice(space + 1).trim() || null;
				continue;
			}
			if (raw === '') {
				record[field.key] = null;
				continue;
			}
			const value = this.convert(field, raw);
			if (typeof value === 'object') return { reason: `${field.key}: ${value.error}` };
			record[field.key] = value;
		}
		if (record.loyaltyId === null) return { reason: 'empty member id' };
		return { record };
	}

	private convert(field: FeedField, raw: string): string | number | { error: string } {
		switch (field.kind) {
			case 'number': {
				const value = Number(raw.replace(/,/g, ''));
				return Number.isFinite(value) ? value : { error: `"${raw}" is not a number` };
			}
			case 'date':
				return this.date(raw) ?? { error: `"${raw}" is not a possible date` };
			case 'tier': {
				if (!this.tiers) return raw;
				return this.tiers.get(raw.toLowerCase()) ?? { error: `unknown tier "${raw}"` };
			}
			default:
				return raw;
		}
	}

	/** Feeds repeat the same few thousand dates: parsing each once keeps a million rows fast. */
	private readonly dateCache = new Map<string, string | undefined>();

	private date(raw: string): string | undefined {
		if (this.dateCache.has(raw)) return this.dateCache.get(raw);
		if (this.dateCache.size >= DATE_CACHE_SIZE) this.dateCache.clear();
		const parsed = this.parseDate(raw);
		this.dateCache.set(raw, parsed);
		return parsed;
	}

	private parseDate(raw: string): string | undefined {
		const fast = isoLikeDate(raw, this.zone === 'UTC');
		if (fast !== undefined) return fast || undefined;
		const options = { zone: this.zone, setZone: true };
		for (const format of this.formats) {
			const parsed = DateTime.fromFormat(raw, format, options);
			if (parsed.isValid) return parsed.toUTC().toISO() ?? undefined;
		}
		const iso = DateTime.fromISO(raw, options);
		return iso.isValid ? (iso.toUTC().toISO() ?? undefined) : undefined;
	}
}
