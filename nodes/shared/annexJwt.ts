import { createHmac } from 'crypto';

/**
 * Annex Cloud V3 request signing (docs/annex-cloud.md, "Request signing").
 * A fresh HS256 JWT per request whose `hmac` claim is
 * Base64(HMAC-SHA256(secret, Base64(signedPayload))), where the signed payload is the exact
 * request body for writes, or the JSON-quoted request identifier for reads.
 */

export interface AnnexSigningKey {
	secretKey: string;
	siteId: string;
	siteName: string;
}

interface AnnexJwtClaims {
	sub: string;
	exp: number;
	site_id: string;
	hmac: string;
}

const DEFAULT_TTL_SECONDS = 300;

const base64Url = (data: Buffer): string =>
	data.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

function bodyHmac(secretKey: string, signedPayload: string): string {
	const payloadBase64 = Buffer.from(signedPayload, 'utf8').toString('base64');
	return createHmac('sha256', secretKey).update(payloadBase64).digest('base64');
}

export function signAnnexJwt(
	key: AnnexSigningKey,
	signedPayload: string,
	nowSeconds = Math.floor(Date.now() / 1000),
	ttlSeconds = DEFAULT_TTL_SECONDS,
): string {
	const claims: AnnexJwtClaims = {
		sub: key.siteName,
		exp: nowSeconds + ttlSeconds,
		site_id: key.siteId,
		hmac: bodyHmac(key.secretKey, signedPayload),
	};
	const header = base64Url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
	const body = base64Url(Buffer.from(JSON.stringify(claims)));
	const signature = base64Url(
		createHmac('sha256', key.secretKey).update(`${header}.${body}`).digest(),
	);
	return `${header}.${body}.${signature}`;
}

/**
 * What a request signs. Writes sign their exact body. Reads sign the identifier the request is
 * about, quoted as a JSON string: the path segment after the collection (`/users/{id}/activity`
 * signs `"{id}"`, `/tierlist/all` signs `"all"`, as Annex Cloud's SAP connector signs `"ALL"` for
 * `/actions/ALL`). A read with no identifier (`/rewards`) signs `""`. The vendor does not document
 * the id-less case; docs/annex-cloud.md states this assumption.
 */
export function annexSignedPayload(method: string, url: string, body: string | undefined): string {
	if (method.toUpperCase() !== 'GET' && method.toUpperCase() !== 'DELETE') return body ?? '';
	const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0];
	const segments = path.split('/').filter((segment) => segment !== '');
	// Base URLs carry `/api/3.0`; the identifier follows the first segment after it.
	const apiIndex = segments.findIndex((segment) => /^\d+\.\d+$/.test(segment));
	const resource = segments.slice(apiIndex + 1);
	const identifier = resource.length > 1 ? decodeURIComponent(resource[1]) : '';
	return JSON.stringify(identifier);
}
