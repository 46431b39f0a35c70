import { createHmac } from 'node:crypto';

import { annexPayloadToSign, annexTokenProblem } from '../../../sandbox/annexAuth';

const site = { siteId: '1234567', secretKey: 'shh-its-a-secret' };
const NOW = 1_700_000_000;

/** A token built by hand from docs/annex-cloud.md, with any claim or secret changed at will. */
function token(
	payload: string,
	claims: Record<string, unknown> = {},
	secret = site.secretKey,
	header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
	const hmac = createHmac('sha256', secret)
		.update(Buffer.from(payload, 'utf8').toString('base64'))
		.digest('base64');
	const head = Buffer.from(JSON.stringify(header)).toString('base64url');
	const body = Buffer.from(
		JSON.stringify({ sub: 'any', exp: NOW + 300, site_id: site.siteId, hmac, ...claims }),
	).toString('base64url');
	const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
	return `${head}.${body}.${signature}`;
}

describe('sandbox: Annex Cloud token check', () => {
	it('accepts a token that signs this request', () => {
		expect(annexTokenProblem(token('{"id":"m-1"}'), site, '{"id":"m-1"}', NOW)).toBeUndefined();
	});

	it.each([
		['another body', token('{"id":"m-2"}'), /hmac claim/],
		['another secret', token('{"id":"m-1"}', {}, 'other-secret'), /signature/],
		['another site', token('{"id":"m-1"}', { site_id: '7' }), /site_id/],
		['a numeric site id', token('{"id":"m-1"}', { site_id: 1234567 }), /site_id/],
		['an expired token', token('{"id":"m-1"}', { exp: NOW - 1 }), /expired/],
		['exp in milliseconds', token('{"id":"m-1"}', { exp: NOW * 1000 }), /seconds/],
		['no exp', token('{"id":"m-1"}', { exp: undefined }), /exp/],
		['alg none', token('{"id":"m-1"}', {}, site.secretKey, { alg: 'none' }), /HS256/],
		['not a JWT', 'abc.def', /not a JWT/],
	])('refuses %s', (_, candidate, reason) => {
		expect(annexTokenProblem(candidate, site, '{"id":"m-1"}', NOW)).toMatch(reason);
	});

	it.each([
		['GET', '/users/jack%40example.com', '', '"jack@example.com"'],
		['GET', '/users/m-1/activity', '', '"m-1"'],
		['GET', '/tierlist/all', '', '"all"'],
		['GET', '/rewards', '', '""'],
		['POST', '/points', '{"id":"m-1", "credit":5}', '{"id":"m-1", "credit":5}'],
		['PATCH', '/users/m-1', '{"optInStatus":"NO"}', '{"optInStatus":"NO"}'],
	])('%s %s must have signed %s', (method, path, body, expected) => {
		expect(annexPayloadToSign(method, path, body)).toBe(expected);
	});
});
