import { createHash, createHmac, timingSafeEqual } from 'crypto';

/**
 * Incoming-request authentication for the Annex Cloud webhook module. Annex Cloud lets admins
 * "configure authentication" but publishes no scheme (docs/annex-cloud.md, "Webhooks"), so every
 * part of it is a setting. All secrets are compared in constant time.
 */

export type HeaderBag = Record<string, string | string[] | undefined>;

export type IncomingAuth =
	| { type: 'none' }
	| { type: 'headerToken'; headerName: string; token: string }
	| { type: 'basicAuth'; username: string; password: string }
	| {
			type: 'hmac';
			secret: string;
			signatureHeader: string;
			algorithm: 'sha256' | 'sha1' | 'sha512';
			encoding: 'hex' | 'base64';
			/** Empty: no timestamp is required. */
			timestampHeader: string;
			/** Oldest (and most future) accepted timestamp, in seconds. */
			toleranceSeconds: number;
			/** What the signature covers when a timestamp header is set. */
			signedContent: 'timestampDotBody' | 'body';
	  };

export type AuthResult = { ok: true } | { ok: false; reason: string };

/** The header's value, case-insensitively; the first one when it was sent more than once. */
export function header(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return first === undefined ? undefined : String(first);
	}
	return undefined;
}

/** Constant time whatever the lengths: both sides are hashed to the same size first. */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const left = createHash('sha256').update(a).digest();
	const right = createHash('sha256').update(b).digest();
	return timingSafeEqual(left, right) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

/** Seconds or milliseconds since the epoch, or an ISO date; undefined if unreadable. */
export function parseTimestampSeconds(value: string): number | undefined {
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) {
		const number = Number(text);
		return number > 1e12 ? number / 1000 : number;
	}
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? undefined : parsed / 1000;
}

/** Decodes a sent signature: hex, or Base64 (standard or URL-safe), after an optional `sha256=` prefix. */
export function decodeSignature(value: string, encoding: 'hex' | 'base64'): Buffer | undefined {
	const text = value.trim().replace(/^(sha1|sha256|sha512|v1)=/i, '');
	if (encoding === 'hex') {
		return /^([0-9a-f]{2})+$/i.test(text) ? Buffer.from(text, 'hex') : undefined;
	}
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
	return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function computeSignature(
	secret: string,
	algorithm: 'sha256' | 'sha1' | 'sha512',
	content: Buffer,
): Buffer {
	return createHmac(algorithm, secret).update(content).digest();
}

/** The bytes the sender signs: the raw body, or `${timestamp}.${rawBody}`. */
export function signedBytes(rawBody: Buffer, timestamp: string | undefined): Buffer {
	return timestamp === undefined ? rawBody : Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
}

function checkHeaderToken(
	auth: Extract<IncomingAuth, { type: 'headerToken' }>,
	headers: HeaderBag,
): AuthResult {
	if (auth.token === '') return { ok: false, reason: 'no token is configured on the trigger' };
	const sent = header(headers, auth.headerName);
	if (sent === undefined || sent === '')
		return { ok: false, reason: `missing ${auth.headerName} header` };
	// A token sent as `Bearer <token>` in Authorization matches the bare token too.
	const value =
		/^bearer\s+/i.test(sent) && !/^bearer\s+/i.test(auth.token)
			? sent.replace(/^bearer\s+/i, '')
			: sent;
	return safeEqual(value.trim(), auth.token)
		? { ok: true }
		: { ok: false, reason: 'token does not match' };
}

function checkBasicAuth(
	auth: Extract<IncomingAuth, { type: 'basicAuth' }>,
	headers: HeaderBag,
): AuthResult {
	if (auth.username === '' && auth.password === '') {
		return { ok: false, reason: 'no credentials are configured on the trigger' };
	}
	const sent = header(headers, 'authorization');
	const match = sent ? /^basic\s+(\S+)$/i.exec(sent.trim()) : null;
	if (!match) return { ok: false, reason: 'missing Basic authorization' };
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	const username = colon < 0 ? decoded : decoded.slice(0, colon);
	const password = colon < 0 ? '' : decoded.slice(colon + 1);
	// Both halves are always compared, so timing does not reveal which one was wrong.
	const userOk = safeEqual(username, auth.username);
	const passwordOk = safeEqual(password, auth.password);
	return userOk && passwordOk ? { ok: true } : { ok: false, reason: 'wrong username or password' };
}

function checkHmac(
	auth: Extract<IncomingAuth, { type: 'hmac' }>,
	headers: HeaderBag,
	rawBody: Buffer,
	nowSeconds: number,
): AuthResult {
	if (auth.secret === '')
		return { ok: false, reason: 'no signing secret is configured on the trigger' };
	const sent = header(headers, auth.signatureHeader);
	if (!sent) return { ok: false, reason: `missing ${auth.signatureHeader} header` };
	let timestamp: string | undefined;
	if (auth.timestampHeader) {
		timestamp = header(headers, auth.timestampHeader);
		if (!timestamp) return { ok: false, reason: `missing ${auth.timestampHeader} header` };
		const seconds = parseTimestampSeconds(timestamp);
		if (seconds === undefined) return { ok: false, reason: 'timestamp is not readable' };
		if (Math.abs(nowSeconds - seconds) > auth.toleranceSeconds) {
			return { ok: false, reason: `timestamp outside the ${auth.toleranceSeconds}s tolerance` };
		}
	}
	const signature = decodeSignature(sent, auth.encoding);
	if (!signature) return { ok: false, reason: `signature is not ${auth.encoding}` };
	const content = signedBytes(
		rawBody,
		auth.signedContent === 'timestampDotBody' ? timestamp : undefined,
	);
	const expected = computeSignature(auth.secret, auth.algorithm, content);
	const matches = signature.length === expected.length && timingSafeEqual(signature, expected);
	return matches ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

export function verifyIncomingRequest(
	auth: IncomingAuth,
	request: { headers: HeaderBag; rawBody: Buffer },
	nowSeconds: number,
): AuthResult {
	switch (auth.type) {
		case 'none':
			return { ok: true };
		case 'headerToken':
			return checkHeaderToken(auth, request.headers);
		case 'basicAuth':
			return checkBasicAuth(auth, request.headers);
		case 'hmac':
			return checkHmac(auth, request.headers, request.rawBody, nowSeconds);
	}
}
