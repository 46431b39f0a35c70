import { createHmac } from 'node:crypto';

import {
	configurationProblem,
	decodeSignature,
	maskHeaders,
	parseTimestampSeconds,
	safeEqual,
	verifyIncomingRequest,
	type IncomingAuth,
} from '../../../nodes/AnnexCloudTrigger/logic/signature';

const NOW = 1_750_000_000;
const body = Buffer.from('{"event":"loy_opt_in","eventId":"evt-1","memberId":"zhang-min"}');
const secret = 'whsec-test-0123456789';

const hmacAuth = (
	overrides: Partial<Extract<IncomingAuth, { type: 'hmac' }>> = {},
): IncomingAuth => ({
	type: 'hmac',
	secret,
	signatureHeader: 'X-Annex-Signature',
	algorithm: 'sha256',
	encoding: 'hex',
	timestampHeader: '',
	toleranceSeconds: 300,
	...overrides,
});

const sign = (content: string | Buffer, encoding: 'hex' | 'base64' = 'hex', key = secret) =>
	createHmac('sha256', key).update(content).digest(encoding);

describe('HMAC signature over the raw body', () => {
	it('accepts a valid hex signature, with or without a sha256= prefix and in any header case', () => {
		expect(
			verifyIncomingRequest(
				hmacAuth(),
				{ headers: { 'x-annex-signature': sign(body) }, rawBody: body },
				NOW,
			),
		).toEqual({ ok: true });
		expect(
			verifyIncomingRequest(
				hmacAuth(),
				{ headers: { 'X-ANNEX-SIGNATURE': `sha256=${sign(body).toUpperCase()}` }, rawBody: body },
				NOW,
			),
		).toEqual({ ok: true });
	});

	it('accepts a valid Base64 (and URL-safe Base64) signature', () => {
		const auth = hmacAuth({ encoding: 'base64' });
		const b64 = sign(body, 'base64');
		expect(
			verifyIncomingRequest(auth, { headers: { 'x-annex-signature': b64 }, rawBody: body }, NOW).ok,
		).toBe(true);
		const urlSafe = b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
		expect(
			verifyIncomingRequest(auth, { headers: { 'x-annex-signature': urlSafe }, rawBody: body }, NOW)
				.ok,
		).toBe(true);
	});

	it('supports SHA-512', () => {
		const signature = createHmac('sha512', secret).update(body).digest('hex');
		expect(
			verifyIncomingRequest(
				hmacAuth({ algorithm: 'sha512' }),
				{ headers: { 'x-annex-signature': signature }, rawBody: body },
				NOW,
			).ok,
		).toBe(true);
	});

	it.each([
		[
			'a wrong secret',
			{ 'x-annex-signature': sign(body, 'hex', 'other') },
			'signature does not match',
		],
		[
			'a tampered body',
			{ 'x-annex-signature': sign(Buffer.from(`${body.toString()} `)) },
			'signature does not match',
		],
		[
			'a truncated signature',
			{ 'x-annex-signature': sign(body).slice(0, 40) },
			'signature does not match',
		],
		['a non-hex signature', { 'x-annex-signature': 'zz-not-hex' }, 'signature is not hex'],
		['no signature', {}, 'missing X-Annex-Signature header'],
	])('refuses %s', (_name, headers, reason) => {
		expect(verifyIncomingRequest(hmacAuth(), { headers, rawBody: body }, NOW)).toEqual({
			ok: false,
			reason,
		});
	});

	it('refuses everything when no secret is configured', () => {
		const signature = createHmac('sha256', '').update(body).digest('hex');
		expect(
			verifyIncomingRequest(
				hmacAuth({ secret: '' }),
				{ headers: { 'x-annex-signature': signature }, rawBody: body },
				NOW,
			).ok,
		).toBe(false);
	});

	describe('with a timestamp header', () => {
		const auth = hmacAuth({ timestampHeader: 'X-Annex-Timestamp' });
		const signed = (t: string | number) => ({
			'x-annex-timestamp': String(t),
			'x-annex-signature': sign(Buffer.concat([Buffer.from(`${t}.`), body])),
		});

		it('accepts a fresh timestamp signed as `${t}.${body}`', () => {
			expect(
				verifyIncomingRequest(auth, { headers: signed(NOW - 60), rawBody: body }, NOW),
			).toEqual({ ok: true });
			expect(
				verifyIncomingRequest(auth, { headers: signed((NOW - 60) * 1000), rawBody: body }, NOW),
			).toEqual({ ok: true });
		});

		it('refuses a stale timestamp (replay) and one from the future', () => {
			expect(
				verifyIncomingRequest(auth, { headers: signed(NOW - 301), rawBody: body }, NOW),
			).toEqual({
				ok: false,
				reason: 'timestamp outside the 300s tolerance',
			});
			expect(
				verifyIncomingRequest(auth, { headers: signed(NOW + 400), rawBody: body }, NOW).ok,
			).toBe(false);
		});

		it('refuses a timestamp swapped after signing', () => {
			const headers = { ...signed(NOW - 10), 'x-annex-timestamp': String(NOW - 5) };
			expect(verifyIncomingRequest(auth, { headers, rawBody: body }, NOW)).toEqual({
				ok: false,
				reason: 'signature does not match',
			});
		});

		it('refuses a missing or unreadable timestamp', () => {
			expect(
				verifyIncomingRequest(
					auth,
					{ headers: { 'x-annex-signature': sign(body) }, rawBody: body },
					NOW,
				),
			).toEqual({
				ok: false,
				reason: 'missing X-Annex-Timestamp header',
			});
			expect(
				verifyIncomingRequest(
					auth,
					{
						headers: { 'x-annex-signature': sign(body), 'x-annex-timestamp': 'soon' },
						rawBody: body,
					},
					NOW,
				).ok,
			).toBe(false);
		});

		it('always signs the timestamp: a body-only signature replayed with a fresh time is refused', () => {
			const headers = {
				'x-annex-timestamp': String(NOW - 30),
				'x-annex-signature': sign(body),
			};
			expect(verifyIncomingRequest(auth, { headers, rawBody: body }, NOW)).toEqual({
				ok: false,
				reason: 'signature does not match',
			});
		});
	});
});

describe('header token and basic auth', () => {
	const token: IncomingAuth = {
		type: 'headerToken',
		headerName: 'X-Annex-Token',
		token: 's3cret-0123456789',
	};

	it('checks a header token, also sent as Bearer', () => {
		expect(
			verifyIncomingRequest(
				token,
				{ headers: { 'x-annex-token': 's3cret-0123456789' }, rawBody: body },
				NOW,
			),
		).toEqual({ ok: true });
		expect(
			verifyIncomingRequest(
				{ ...token, headerName: 'Authorization' },
				{ headers: { authorization: 'Bearer s3cret-0123456789' }, rawBody: body },
				NOW,
			),
		).toEqual({ ok: true });
		expect(
			verifyIncomingRequest(
				token,
				{ headers: { 'x-annex-token': 's3cret-012345678' }, rawBody: body },
				NOW,
			),
		).toEqual({
			ok: false,
			reason: 'token does not match',
		});
		expect(verifyIncomingRequest(token, { headers: {}, rawBody: body }, NOW).ok).toBe(false);
		expect(
			verifyIncomingRequest(
				{ ...token, token: '' },
				{ headers: { 'x-annex-token': '' }, rawBody: body },
				NOW,
			).ok,
		).toBe(false);
	});

	it('checks basic auth', () => {
		const basic: IncomingAuth = {
			type: 'basicAuth',
			username: 'annex',
			password: 'p:ss-0123456789ab',
		};
		const header = (user: string, password: string) => ({
			authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
		});
		expect(
			verifyIncomingRequest(
				basic,
				{ headers: header('annex', 'p:ss-0123456789ab'), rawBody: body },
				NOW,
			),
		).toEqual({ ok: true });
		expect(
			verifyIncomingRequest(basic, { headers: header('annex', 'wrong'), rawBody: body }, NOW).ok,
		).toBe(false);
		expect(
			verifyIncomingRequest(
				basic,
				{ headers: header('other', 'p:ss-0123456789ab'), rawBody: body },
				NOW,
			).ok,
		).toBe(false);
		expect(
			verifyIncomingRequest(basic, { headers: { authorization: 'Bearer x' }, rawBody: body }, NOW)
				.ok,
		).toBe(false);
		expect(verifyIncomingRequest(basic, { headers: {}, rawBody: body }, NOW).ok).toBe(false);
	});

	it('lets everything through with none', () => {
		expect(verifyIncomingRequest({ type: 'none' }, { headers: {}, rawBody: body }, NOW)).toEqual({
			ok: true,
		});
	});
});

describe('configuration', () => {
	it('refuses an empty or short secret before comparing anything', () => {
		expect(configurationProblem(hmacAuth({ secret: 'short' }))).toBe(
			'the signing secret is shorter than 16 characters',
		);
		expect(configurationProblem({ type: 'headerToken', headerName: 'X-Token', token: '' })).toBe(
			'the token is empty',
		);
		expect(
			configurationProblem({ type: 'basicAuth', username: '', password: 'x'.repeat(20) }),
		).toBe('the username is empty');
		expect(configurationProblem(hmacAuth())).toBeUndefined();
		const short = hmacAuth({ secret: 'short' });
		expect(
			verifyIncomingRequest(
				short,
				{ headers: { 'x-annex-signature': sign(body, 'hex', 'short') }, rawBody: body },
				NOW,
			).ok,
		).toBe(false);
	});

	it('masks authorization, cookies, the token header and any header carrying the secret', () => {
		const token: IncomingAuth = {
			type: 'headerToken',
			headerName: 'X-Annex-Token',
			token: 'tok-0123456789abcdef',
		};
		expect(
			maskHeaders(
				{
					'x-annex-token': 'tok-0123456789abcdef',
					authorization: 'Bearer anything',
					cookie: 'session=1',
					'x-forwarded-secret': 'prefix tok-0123456789abcdef',
					'user-agent': 'Annex Cloud',
				},
				token,
			),
		).toEqual({
			'x-annex-token': '***',
			authorization: '***',
			cookie: '***',
			'x-forwarded-secret': '***',
			'user-agent': 'Annex Cloud',
		});
	});
});

describe('helpers', () => {
	it('compares in constant time without leaking length mismatches as equality', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abd')).toBe(false);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual('', '')).toBe(true);
	});

	it('decodes signatures and timestamps', () => {
		expect(decodeSignature('sha256=00ff', 'hex')).toEqual(Buffer.from([0, 255]));
		expect(decodeSignature('abc', 'hex')).toBeUndefined();
		expect(decodeSignature('not base64!', 'base64')).toBeUndefined();
		expect(parseTimestampSeconds('1750000000')).toBe(1_750_000_000);
		expect(parseTimestampSeconds('1750000000000')).toBe(1_750_000_000);
		expect(parseTimestampSeconds('2025-06-15T15:06:40Z')).toBe(1_750_000_000);
		expect(parseTimestampSeconds('later')).toBeUndefined();
	});
});
