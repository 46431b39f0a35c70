import { createHmac, timingSafeEqual } from 'crypto';

/**
 * How the Annex Cloud stand-in checks a request's bearer token. Written from the scheme in
 * docs/annex-cloud.md ("Request signing"), on purpose without the package's signer
 * (`nodes/shared/annexJwt.ts`): a mistake in the signer then fails against this check instead of
 * agreeing with itself.
 */

export interface AnnexSiteSecret {
	siteId: string;
	secretKey: string;
}

/** Tokens are short-lived; an `exp` further ahead than this was most likely written in ms. */
const MAX_LIFETIME_SECONDS = 3600;

/**
 * The text a request must have signed: a write signs its body exactly as received; a read signs
 * the identifier it is about as a JSON string literal. The identifier is the path segment after
 * the collection (`/users/{id}/tiers` → `"{id}"`, `/tierlist/all` → `"all"`); a read of a bare
 * collection signs `""` (both assumed, see docs/annex-cloud.md).
 */
export function annexPayloadToSign(method: string, path: string, rawBody: string): string {
	if (method.toUpperCase() !== 'GET') return rawBody;
	const segments = path.split('/').filter((segment) => segment.length > 0);
	const identifier = segments.length > 1 ? segments[1] : '';
	try {
		return JSON.stringify(decodeURIComponent(identifier));
	} catch {
		// A malformed escape cannot be what the client meant; the hmac check then refuses it.
		return JSON.stringify(identifier);
	}
}

/** Why the token is refused, or undefined when it is good for this request. */
export function annexTokenProblem(
	token: string,
	site: AnnexSiteSecret,
	payloadToSign: string,
	nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
	const parts = token.split('.');
	if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part)))
		return 'not a JWT (three base64url parts)';
	const [headerPart, claimsPart, signaturePart] = parts;

	const header = decodeJsonPart(headerPart);
	if (header?.alg !== 'HS256') return 'JWT header must say alg HS256';

	const signature = hmacSha256(site.secretKey, `${headerPart}.${claimsPart}`)
		.toString('base64')
		.replace(/=+$/, '')
		.replace(/\+/g, '-')
		.replace(/\//g, '_');
	if (!sameText(signaturePart, signature)) return 'JWT signature does not match the secret';

	const claims = decodeJsonPart(claimsPart);
	if (!claims) return 'JWT claims are not a JSON object';
	if (claims.site_id !== site.siteId) return 'site_id claim does not name this site';
	if (typeof claims.exp !== 'number') return 'exp claim missing';
	if (claims.exp < nowSeconds) return 'JWT expired';
	if (claims.exp > nowSeconds + MAX_LIFETIME_SECONDS)
		return 'exp claim is too far ahead (seconds expected)';

	const payloadBase64 = Buffer.from(payloadToSign, 'utf8').toString('base64');
	const hmac = hmacSha256(site.secretKey, payloadBase64).toString('base64');
	if (typeof claims.hmac !== 'string' || !sameText(claims.hmac, hmac))
		return 'hmac claim does not match this request';
	return undefined;
}

function hmacSha256(key: string, text: string): Buffer {
	return createHmac('sha256', Buffer.from(key, 'utf8')).update(text, 'utf8').digest();
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		return typeof value === 'object' && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}
