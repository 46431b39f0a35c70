import { createHmac } from 'node:crypto';

import { AnnexCloudApi } from '../../../credentials/AnnexCloudApi.credentials';
import { annexSignedPayload, signAnnexJwt, verifyAnnexJwt } from '../../../nodes/shared/annexJwt';

const key = { secretKey: 'shh-its-a-secret', siteId: '1234567', siteName: 'socialannextestsite' };
const NOW = 1_700_000_000;

/** The documented algorithm, spelled out independently of the module under test. */
function expectedToken(signedPayload: string, exp: number): string {
	const payloadB64 = Buffer.from(signedPayload, 'utf8').toString('base64');
	const hmac = createHmac('sha256', key.secretKey).update(payloadB64).digest('base64');
	const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
	const claims = Buffer.from(
		`{"sub":"socialannextestsite","exp":${exp},"site_id":"1234567","hmac":"${hmac}"}`,
	).toString('base64url');
	const signature = createHmac('sha256', key.secretKey)
		.update(`${header}.${claims}`)
		.digest('base64url');
	return `${header}.${claims}.${signature}`;
}

describe('Annex Cloud JWT signing', () => {
	it('signs a POST body exactly as the vendor documents (HMAC over Base64 of the raw body)', () => {
		const body = '{"id":"jack@example.com","firstName":"Jack","optInStatus":"YES"}';
		expect(signAnnexJwt(key, body, NOW)).toBe(expectedToken(body, NOW + 300));
	});

	it('signs a GET by the JSON-quoted member id', () => {
		const payload = annexSignedPayload(
			'GET',
			'https://s15.socialannex.net/api/3.0/users/jack%40example.com',
			undefined,
		);
		expect(payload).toBe('"jack@example.com"');
		expect(signAnnexJwt(key, payload, NOW)).toBe(expectedToken('"jack@example.com"', NOW + 300));
	});

	it.each([
		['GET', '/users/m-1/activity?page=2', undefined, '"m-1"'],
		['GET', 'http://127.0.0.1:4010/annex/api/3.0/points/m-1', undefined, '"m-1"'],
		['GET', '/tierlist/all', undefined, '"all"'],
		['GET', '/rewards', undefined, '""'],
		['POST', '/points', '{"id":"m-1","credit":5}', '{"id":"m-1","credit":5}'],
		['PATCH', '/users/m-1', '{"optInStatus":"NO"}', '{"optInStatus":"NO"}'],
	])('%s %s signs %s', (method, url, body, expected) => {
		expect(annexSignedPayload(method, url, body)).toBe(expected);
	});

	it('verifies its own tokens and refuses tampered, expired or foreign ones', () => {
		const body = '{"id":"m-1"}';
		const token = signAnnexJwt(key, body, NOW);
		expect(verifyAnnexJwt(token, key, body, NOW).valid).toBe(true);
		expect(verifyAnnexJwt(token, key, '{"id":"m-2"}', NOW)).toMatchObject({
			valid: false,
			reason: expect.stringMatching(/hmac/),
		});
		expect(verifyAnnexJwt(token, { ...key, secretKey: 'other' }, body, NOW)).toMatchObject({
			valid: false,
		});
		expect(verifyAnnexJwt(token, key, body, NOW + 301)).toMatchObject({
			valid: false,
			reason: 'JWT expired',
		});
		expect(verifyAnnexJwt(token, { ...key, siteId: '1' }, body, NOW)).toMatchObject({
			valid: false,
		});
		expect(verifyAnnexJwt('not-a-jwt', key, body, NOW)).toMatchObject({ valid: false });
	});
});

describe('AnnexCloudApi credential', () => {
	const credentials = { baseUrl: 'https://s15.socialannex.net/api/3.0', ...key };

	it('serialises an object body once and signs exactly the string it sends', async () => {
		const options = await new AnnexCloudApi().authenticate(credentials, {
			method: 'POST',
			url: '/users',
			body: { id: 'm-1', email: 'm1@example.com' },
		});
		expect(options.body).toBe('{"id":"m-1","email":"m1@example.com"}');
		const token = String(options.headers?.Authorization).replace(/^Bearer /, '');
		expect(verifyAnnexJwt(token, key, options.body as string).valid).toBe(true);
		expect(options.headers).toMatchObject({
			'X-AnnexCloud-Site': '1234567',
			'Content-Type': 'application/json',
		});
	});

	it('signs a GET without adding a body', async () => {
		const options = await new AnnexCloudApi().authenticate(credentials, {
			method: 'GET',
			url: '/users/m-1',
		});
		expect(options.body).toBeUndefined();
		const token = String(options.headers?.Authorization).replace(/^Bearer /, '');
		expect(verifyAnnexJwt(token, key, '"m-1"').valid).toBe(true);
	});

	it("signs requests from n8n's HTTP Request node, which pass the legacy `uri`", async () => {
		const legacy = { method: 'GET', uri: 'https://s15.socialannex.net/api/3.0/points/m-7' };
		const options = await new AnnexCloudApi().authenticate(credentials, legacy as never);
		const token = String(options.headers?.Authorization).replace(/^Bearer /, '');
		expect(verifyAnnexJwt(token, key, '"m-7"').valid).toBe(true);
	});
});
