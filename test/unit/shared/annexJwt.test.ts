import { createHmac } from 'node:crypto';

import { AnnexCloudApi } from '../../../credentials/AnnexCloudApi.credentials';
import { annexSignedPayload, signAnnexJwt } from '../../../nodes/shared/annexJwt';
import { annexTokenProblem } from '../../../sandbox/annexAuth';

const key = { secretKey: 'shh-its-a-secret', siteId: '1234567', siteName: 'socialannextestsite' };
const NOW = 1_700_000_000;

/**
 * Known answers for docs/annex-cloud.md "Request signing", secret `shh-its-a-secret`, site
 * `1234567`, `exp` 1700000300. Each step's literal was computed outside this code base (Python's
 * hmac and base64 modules); the steps below recompute them by hand to show where each comes from.
 */
describe('Annex Cloud request signing: known answers', () => {
	const header = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';

	function claimsPart(hmac: string): string {
		return Buffer.from(
			`{"sub":"socialannextestsite","exp":1700000300,"site_id":"1234567","hmac":"${hmac}"}`,
		).toString('base64url');
	}

	function signaturePart(signingInput: string): string {
		return createHmac('sha256', 'shh-its-a-secret').update(signingInput).digest('base64url');
	}

	it('signs a POST body: HMAC over Base64 of the exact body, then an HS256 JWT', () => {
		const body = '{"id":"jack@example.com","firstName":"Jack","optInStatus":"YES"}';
		const payloadBase64 = Buffer.from(body, 'utf8').toString('base64');
		expect(payloadBase64).toBe(
			'eyJpZCI6ImphY2tAZXhhbXBsZS5jb20iLCJmaXJzdE5hbWUiOiJKYWNrIiwib3B0SW5TdGF0dXMiOiJZRVMifQ==',
		);
		const hmac = createHmac('sha256', 'shh-its-a-secret').update(payloadBase64).digest('base64');
		expect(hmac).toBe('i33IoUQJ6gkjJe36rKzd6RNjmcomubacSl7SMnBb4fc=');
		expect(Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')).toBe(header);
		const claims = claimsPart(hmac);
		expect(claims).toBe(
			'eyJzdWIiOiJzb2NpYWxhbm5leHRlc3RzaXRlIiwiZXhwIjoxNzAwMDAwMzAwLCJzaXRlX2lkIjoiMTIzNDU2NyIsImhtYWMiOiJpMzNJb1VRSjZna2pKZTM2ckt6ZDZSTmptY29tdWJhY1NsN1NNbkJiNGZjPSJ9',
		);
		expect(signaturePart(`${header}.${claims}`)).toBe(
			'6KNAhna6IFI18Yn5P8g0UofswIFb-2zjWQBJsPZbjIU',
		);

		expect(signAnnexJwt(key, body, NOW)).toBe(
			`${header}.${claims}.6KNAhna6IFI18Yn5P8g0UofswIFb-2zjWQBJsPZbjIU`,
		);
	});

	it('signs a GET by the JSON-quoted member id', () => {
		const payload = annexSignedPayload(
			'GET',
			'https://s15.socialannex.net/api/3.0/users/jack%40example.com',
			undefined,
		);
		expect(payload).toBe('"jack@example.com"');
		expect(Buffer.from(payload, 'utf8').toString('base64')).toBe('ImphY2tAZXhhbXBsZS5jb20i');
		const hmac = 'CslZX+FcrB9PusNWF4Gi869F+Fm0B4GXgNBGYV8Z1do=';
		expect(
			createHmac('sha256', 'shh-its-a-secret').update('ImphY2tAZXhhbXBsZS5jb20i').digest('base64'),
		).toBe(hmac);
		const claims = claimsPart(hmac);
		expect(signaturePart(`${header}.${claims}`)).toBe(
			'j8hqvkm9X7r_sXvJ9EkofsMOII7gfaQhrCVUpZ-ftLY',
		);

		expect(signAnnexJwt(key, payload, NOW)).toBe(
			`${header}.${claims}.j8hqvkm9X7r_sXvJ9EkofsMOII7gfaQhrCVUpZ-ftLY`,
		);
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
});

describe('AnnexCloudApi credential, checked by the sandbox verifier', () => {
	const credentials = { baseUrl: 'https://s15.socialannex.net/api/3.0', ...key };
	const bearer = (headers: unknown) =>
		String((headers as Record<string, unknown>).Authorization).replace(/^Bearer /, '');

	it('serialises an object body once and signs exactly the string it sends', async () => {
		const options = await new AnnexCloudApi().authenticate(credentials, {
			method: 'POST',
			url: '/users',
			body: { id: 'm-1', email: 'm1@example.com' },
		});
		expect(options.body).toBe('{"id":"m-1","email":"m1@example.com"}');
		expect(annexTokenProblem(bearer(options.headers), key, options.body as string)).toBeUndefined();
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
		expect(annexTokenProblem(bearer(options.headers), key, '"m-1"')).toBeUndefined();
	});

	it("signs requests from n8n's HTTP Request node, which pass the legacy `uri`", async () => {
		const legacy = { method: 'GET', uri: 'https://s15.socialannex.net/api/3.0/points/m-7' };
		const options = await new AnnexCloudApi().authenticate(credentials, legacy as never);
		expect(annexTokenProblem(bearer(options.headers), key, '"m-7"')).toBeUndefined();
	});
});
