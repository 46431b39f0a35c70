/**
 * Annex Cloud answers in two shapes (docs/annex-cloud.md, "Responses and errors"): the developer
 * portal shows the fields nested under `Data`, while Annex Cloud's own connectors read them at the
 * top level.
 * Everything the node reads goes through here, so both shapes give the same plain object.
 */

import { isPlainObject, type PlainObject } from '../../shared/memberValues';

const ENVELOPE_KEYS = ['Data', 'data'];

/** A body that arrived as text is parsed; one that is not JSON stays as `{ body: text }`. */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return {};
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return { body };
	}
}

/**
 * The response with a `Data` (or `data`) object merged onto its envelope: paging fields that
 * sit beside `Data` survive, and the fields inside win. A `Data` array is kept where it is
 * (lists are found by `listIn`).
 */
export function unwrapAnnex(body: unknown): PlainObject {
	const parsed = parseBody(body);
	if (Array.isArray(parsed)) return { Data: parsed };
	if (!isPlainObject(parsed)) return {};
	for (const key of ENVELOPE_KEYS) {
		const inner = parsed[key];
		if (isPlainObject(inner)) {
			const rest = { ...parsed };
			delete rest[key];
			return { ...rest, ...unwrapAnnex(inner) };
		}
	}
	return parsed;
}

/** The first array found under one of `keys`, looking in the unwrapped object and then in `Data`. */
export function listIn(body: PlainObject, keys: string[]): PlainObject[] {
	for (const key of [...keys, ...ENVELOPE_KEYS]) {
		const value = body[key];
		if (Array.isArray(value)) return value.filter(isPlainObject);
		// Some lists arrive as numbered maps ({"1": {...}, "2": {...}}), as Annex Cloud's bulk calls do.
		if (isPlainObject(value) && keys.includes(key) && isNumberedMap(value)) {
			return Object.values(value).filter(isPlainObject);
		}
		if (isPlainObject(value) && keys.includes(key)) return [value];
	}
	return [];
}

function isNumberedMap(value: PlainObject): boolean {
	const keys = Object.keys(value);
	return keys.length > 0 && keys.every((key) => /^\d+$/.test(key));
}

/**
 * An answer with HTTP 2xx can still carry an error (`errorCode` / `error_code` other than 0,
 * as in Annex Cloud's connector DTOs and the legacy API). Returns the message, or undefined.
 */
export function embeddedError(body: PlainObject): string | undefined {
	const code = body.errorCode ?? body.error_code ?? body.errorcode;
	if (code === undefined || code === null || code === '' || String(code) === '0') return undefined;
	if (/^(success|ok)$/i.test(String(code))) return undefined;
	const message = body.errorMessage ?? body.error_message ?? body.message ?? 'no message';
	return `Annex Cloud error ${String(code)}: ${String(message)}`;
}

export interface PageInfo {
	currentPage: number;
	pages: number;
}

/** Page-number paging fields (`currentPage` or `current_page`, `pages` or `totalPages`). */
export function pageInfo(body: PlainObject, requestedPage: number): PageInfo {
	const current = toNumber(body.currentPage ?? body.current_page ?? body.page) ?? requestedPage;
	const pages =
		toNumber(body.pages ?? body.totalPages ?? body.total_pages ?? body.pageCount) ?? current;
	return { currentPage: current, pages: Math.max(pages, 0) };
}

/** Numbers arrive as numbers or as strings ("1,250" in some exports). */
export function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string') {
		const cleaned = value.replace(/,/g, '').trim();
		if (cleaned === '') return undefined;
		const parsed = Number(cleaned);
		return Number.isFinite(parsed) ? parsed : undefined;
	}
	return undefined;
}
