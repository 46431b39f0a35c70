import { request as httpRequest, type IncomingHttpHeaders } from 'http';

import { annexSignedPayload, signAnnexJwt } from '../../../nodes/shared/annexJwt';
import type { Sandbox } from '../../../sandbox';

/** Minimal HTTP client for the sandbox tests (no keep-alive, so jest exits cleanly). */

export interface HttpResult<T = unknown> {
	status: number;
	headers: IncomingHttpHeaders;
	body: T;
	text: string;
}

export function http<T = any>(
	url: string,
	options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult<T>> {
	return new Promise((resolve, reject) => {
		const request = httpRequest(
			url,
			{ method: options.method ?? 'GET', headers: options.headers, agent: false },
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let body: unknown = text;
					try {
						body = text === '' ? undefined : JSON.parse(text);
					} catch {
						// not JSON: keep the text
					}
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						body: body as T,
						text,
					});
				});
			},
		);
		request.on('error', reject);
		request.end(options.body);
	});
}

export function ometriaPush(
	sandbox: Sandbox,
	records: unknown,
	apiKey = sandbox.options.ometria.apiKey,
) {
	return http(`${sandbox.ometriaBaseUrl}/push`, {
		method: 'POST',
		headers: { 'X-Ometria-Auth': apiKey, 'Content-Type': 'application/json' },
		body: typeof records === 'string' ? records : JSON.stringify(records),
	});
}

export function ometriaGet(
	sandbox: Sandbox,
	path: string,
	apiKey = sandbox.options.ometria.apiKey,
) {
	return http(`${sandbox.ometriaBaseUrl}${path}`, { headers: { 'X-Ometria-Auth': apiKey } });
}

export interface AnnexCallOptions {
	secretKey?: string;
	siteId?: string;
	/** Sign this payload instead of the one the request needs. */
	signPayload?: string;
	omitSiteHeader?: boolean;
}

/** Calls the Annex stand-in with a JWT signed the way the real client signs. */
export function annex<T = any>(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
	options: AnnexCallOptions = {},
): Promise<HttpResult<T>> {
	const url = `${sandbox.annexBaseUrl}${path}`;
	const raw = body === undefined ? undefined : JSON.stringify(body);
	const key = {
		secretKey: options.secretKey ?? sandbox.options.annex.secretKey,
		siteId: options.siteId ?? sandbox.options.annex.siteId,
		siteName: sandbox.options.annex.siteName,
	};
	const jwt = signAnnexJwt(key, options.signPayload ?? annexSignedPayload(method, url, raw));
	const headers: Record<string, string> = {
		Authorization: `Bearer ${jwt}`,
		'Content-Type': 'application/json',
	};
	if (!options.omitSiteHeader)
		headers['X-AnnexCloud-Site'] = options.siteId ?? sandbox.options.annex.siteId;
	return http<T>(url, { method, headers, body: raw });
}

export function contact(id: string, fields: Record<string, unknown> = {}) {
	return { '@type': 'contact', id, email: `${id}@example.com`, ...fields };
}

export function customEvent(id: string, fields: Record<string, unknown> = {}) {
	return {
		'@type': 'custom_event',
		id,
		event_type: 'loyalty_points_earned',
		timestamp: '2025-05-25T15:32:52+00:00',
		identity_email: 'someone@example.com',
		...fields,
	};
}
