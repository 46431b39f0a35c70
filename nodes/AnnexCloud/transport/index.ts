import {
	NodeApiError,
	type IDataObject,
	type IHttpRequestMethods,
	type JsonObject,
} from 'n8n-workflow';

import { requestWithRetry, type RequestContext } from '../../shared/http';
import { mapWithConcurrency } from '../logic/pool';
import type { PlainObject } from '../../shared/memberValues';
import { embeddedError, listIn, pageInfo, unwrapAnnex } from '../logic/unwrap';

export const CREDENTIAL_TYPE = 'annexCloudApi';

/** Pages of one list fetched at the same time once the page count is known. */
const PAGE_CONCURRENCY = 4;
/** A runaway `pages` value must not turn into thousands of calls for one member. */
const MAX_PAGES = 500;

export interface AnnexCall {
	itemIndex: number;
	qs?: IDataObject;
	body?: IDataObject;
	/** Reads and id-keyed updates are; points and redemptions are not (no retry after a 5xx). */
	idempotent?: boolean;
}

const baseUrls = new WeakMap<object, Promise<string>>();

/** The credential's base URL, read once per execution context. */
async function baseUrl(context: RequestContext): Promise<string> {
	let url = baseUrls.get(context);
	if (!url) {
		url = context
			.getCredentials(CREDENTIAL_TYPE)
			.then((credentials) => String(credentials.baseUrl ?? '').replace(/\/+$/, ''));
		baseUrls.set(context, url);
	}
	return await url;
}

/** `/users/{id}` with the id encoded; the credential signs the decoded id. */
export function memberPath(
	template: string,
	memberId: string,
	extra: Record<string, string> = {},
): string {
	let path = template.replace('{id}', encodeURIComponent(memberId));
	for (const [key, value] of Object.entries(extra))
		path = path.replace(`{${key}}`, encodeURIComponent(value));
	return path;
}

/**
 * One signed Annex Cloud call, retried on 429/5xx by the shared HTTP layer, answered as a plain
 * object whether the API wrapped it in `Data` or not.
 */
export async function annexRequest(
	this: RequestContext,
	method: IHttpRequestMethods,
	path: string,
	call: AnnexCall,
): Promise<IDataObject> {
	const url = `${await baseUrl(this)}${path}`;
	const outcome = await requestWithRetry
		.call(
			this,
			CREDENTIAL_TYPE,
			{ method, url, qs: call.qs, body: call.body, json: true },
			{ idempotent: call.idempotent ?? method === 'GET', itemIndex: call.itemIndex },
		)
		.catch((error: unknown) => {
			throw withVendorMessage(error, `${method} ${path}`);
		});
	const body = unwrapAnnex(outcome.body);
	const error = embeddedError(body);
	if (error) {
		throw new NodeApiError(this.getNode(), body as JsonObject, {
			itemIndex: call.itemIndex,
			message: error,
			httpCode: String(outcome.statusCode),
		});
	}
	return body as IDataObject;
}

/** `The service answered 404` → `… 404 on GET /users/x: USER_NOT_FOUND User x does not exist`. */
function withVendorMessage(error: unknown, request: string): unknown {
	if (!(error instanceof NodeApiError)) return error;
	const answer = typeof error.description === 'string' ? unwrapAnnex(error.description) : {};
	const detail = [answer.errorCode, answer.errorMessage ?? answer.message]
		.filter((part) => part !== undefined && part !== null && part !== '')
		.map(String)
		.join(' ');
	error.message = `${error.message} on ${request}${detail ? `: ${detail}` : ''}`;
	return error;
}

export interface PagedList {
	lines: PlainObject[];
	/** Every page's unwrapped answer, first page first. */
	pages: PlainObject[];
}

/**
 * All lines of a page-numbered list (`?page=N` with `pages`/`currentPage` in the answer): page 1
 * first, then the rest a few at a time, in page order. `limit` stops early.
 */
export async function annexRequestAllPages(
	this: RequestContext,
	path: string,
	listKeys: string[],
	call: AnnexCall & { limit?: number },
): Promise<PagedList> {
	const fetchPage = async (page: number) =>
		await annexRequest.call(this, 'GET', path, { ...call, qs: { ...call.qs, page } });
	const first = await fetchPage(1);
	const pages = [first];
	const lines = listIn(first, listKeys);
	const total = Math.min(pageInfo(first, 1).pages, MAX_PAGES);
	const enough = () => call.limit !== undefined && lines.length >= call.limit;
	if (total > 1 && lines.length > 0 && !enough()) {
		const remaining = Array.from({ length: total - 1 }, (_, index) => index + 2);
		// Pages are fetched in batches so a limit does not pull every page.
		for (let start = 0; start < remaining.length && !enough(); start += PAGE_CONCURRENCY) {
			const batch = remaining.slice(start, start + PAGE_CONCURRENCY);
			const answers = await mapWithConcurrency(batch, PAGE_CONCURRENCY, fetchPage);
			for (const answer of answers) {
				pages.push(answer);
				lines.push(...listIn(answer, listKeys));
			}
			if (answers.some((answer) => listIn(answer, listKeys).length === 0)) break;
		}
	}
	return { lines: call.limit === undefined ? lines : lines.slice(0, call.limit), pages };
}
