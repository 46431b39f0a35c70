/**
 * The security suite: what someone who found a template's webhook URL would try, against a real
 * n8n with the templates imported as shipped (only credentials bound) and the sandbox standing in
 * for Annex Cloud and Ometria. Each attack is followed by what the sandbox holds afterwards: the
 * points, rewards and events that must not have moved. At the end, the execution data and the
 * n8n log of every run are searched for each secret the runs used.
 */
import { createHmac } from 'crypto';
import { readFileSync } from 'fs';

import { startSandbox, type Sandbox } from '../../sandbox';
import { readRows } from '../e2e/support/dataTables';
import {
	importCredentials,
	listExecutions,
	n8n,
	postWebhook,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	waitForExecutions,
	type CredentialImport,
	type CredentialRef,
} from '../e2e/support/n8n';
import {
	importSandboxCredentials,
	loadTemplate,
	REDEEM_JWT_SECRET,
	redeemHeaders,
	runInServer,
	SANDBOX_WEBHOOK_TOKEN_HEADERS,
	WIN_BACK_LINK_CREDENTIAL,
	WIN_BACK_LINK_SECRET,
} from '../e2e/support/templates';

const HMAC_SECRET = 'security-suite-hmac-secret-5f2a9c';
const HMAC_CREDENTIAL: CredentialImport = {
	id: 'securityHmac0001',
	name: 'Annex Cloud webhook (HMAC)',
	type: 'annexCloudWebhookApi',
	data: {
		scheme: 'hmac',
		secret: HMAC_SECRET,
		signatureHeader: 'X-AnnexCloud-Signature',
		algorithm: 'sha256',
		encoding: 'hex',
		timestampHeader: 'X-AnnexCloud-Timestamp',
		toleranceSeconds: 300,
	},
};
/** Every secret a run in this suite could leak; none may appear in execution data or logs. */
const SECRETS = [
	HMAC_SECRET,
	SANDBOX_WEBHOOK_TOKEN_HEADERS['X-Webhook-Token'],
	REDEEM_JWT_SECRET,
	WIN_BACK_LINK_SECRET,
	'sandbox-secret',
	'sandbox-ometria-key',
];
const SCRIPT = '<script>alert(document.cookie)</script>';

let sandbox: Sandbox;
let credentials: CredentialRef[];
const workflowIds: string[] = [];

interface Node {
	name: string;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

async function publish(
	file: string,
	refs: CredentialRef[] = credentials,
): Promise<{ id: string; url: (path: string) => string; nodes: Node[] }> {
	const template = loadTemplate(file, refs);
	const { id, productionUrl } = await publishWebhookWorkflow(template);
	workflowIds.push(id);
	return { id, url: productionUrl, nodes: template.nodes as Node[] };
}

const webhookPath = (nodes: Node[], name: string) =>
	`${nodes.find((node) => node.name === name)!.webhookId}/webhook`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function hmacHeaders(body: string, timestamp: number, signedTimestamp = timestamp) {
	return {
		'X-AnnexCloud-Timestamp': String(timestamp),
		'X-AnnexCloud-Signature': createHmac('sha256', HMAC_SECRET)
			.update(`${signedTimestamp}.${body}`)
			.digest('hex'),
	};
}

beforeAll(async () => {
	sandbox = await startSandbox();
	await startN8nForTests({ name: 'security' });
	credentials = [
		...(await importSandboxCredentials(sandbox)),
		...(await importCredentials([HMAC_CREDENTIAL])),
	];
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

describe('06 benefit redemption', () => {
	let redeemUrl: string;

	beforeAll(async () => {
		// n8n publishes 06 only once the survey it calls (16) is published.
		await publish('16-benefit-feedback-survey.json');
		redeemUrl = (await publish('06-benefit-redemption.json')).url('loyalty/redeem');
	});

	it('refuses a call without a token, or with one signed by another secret: nothing is redeemed', async () => {
		const request = { memberId: 'plat-010', rewardId: '1001', orderId: 'attack-1' };
		const before = sandbox.state.annex.member('plat-010')!.availablePoints;
		expect((await postWebhook(redeemUrl, request)).status).toBe(401);
		expect(
			(await postWebhook(redeemUrl, request, redeemHeaders('guessed-secret-0123456789abcdef')))
				.status,
		).toBe(403);
		expect(sandbox.state.annex.member('plat-010')!.availablePoints).toBe(before);
		expect(sandbox.state.annex.redemptions).toHaveLength(0);
	});

	it('20 simultaneous redemptions with the same order id debit once; the others are told "already redeemed"', async () => {
		const member = sandbox.state.annex.member('plat-011')!;
		member.availablePoints = 100_000;
		const answers = await Promise.all(
			Array.from({ length: 20 }, () =>
				postWebhook(
					redeemUrl,
					{ memberId: 'plat-011', rewardId: '1001', orderId: 'shop-order-20-at-once' },
					redeemHeaders(),
				),
			),
		);
		const redeemed = answers.filter((answer) => answer.status === 200);
		expect(redeemed).toHaveLength(1);
		expect(answers.filter((answer) => answer.status === 422).map((answer) => answer.body)).toEqual(
			Array(19).fill({ status: 'refused', reason: 'already_redeemed' }),
		);
		expect(sandbox.state.annex.redemptions.filter((r) => r.memberId === 'plat-011')).toHaveLength(
			1,
		);
		expect(member.availablePoints).toBe(100_000 - 500);
		// A later retry of the same order is refused too.
		const retry = await postWebhook(
			redeemUrl,
			{ memberId: 'plat-011', rewardId: '1001', orderId: 'shop-order-20-at-once' },
			redeemHeaders(),
		);
		expect(retry.body).toEqual({ status: 'refused', reason: 'already_redeemed' });
		expect(member.availablePoints).toBe(100_000 - 500);
	});

	it('a refusal never tells the caller the balance, and script in the request is not echoed', async () => {
		const member = sandbox.state.annex.member('plat-012')!;
		member.availablePoints = 123;
		const answer = await postWebhook(
			redeemUrl,
			{ memberId: 'plat-012', rewardId: '1003', orderId: SCRIPT },
			redeemHeaders(),
		);
		expect(answer).toEqual({ status: 422, body: { status: 'refused', reason: 'not_eligible' } });
		const unknown = await postWebhook(
			redeemUrl,
			{ memberId: SCRIPT, rewardId: SCRIPT, orderId: 'o-1' },
			redeemHeaders(),
		);
		expect(unknown.status).toBe(422);
		expect(JSON.stringify(unknown.body)).not.toContain('<script>');
	});
});

describe('Annex Cloud Trigger (01 real-time loyalty sync, HMAC)', () => {
	let url: string;
	let id: string;

	beforeAll(async () => {
		const hmac = credentials.map((ref) =>
			ref.type === 'annexCloudWebhookApi'
				? { ...ref, id: HMAC_CREDENTIAL.id, name: HMAC_CREDENTIAL.name }
				: ref,
		);
		const published = await publish('01-real-time-loyalty-sync.json', hmac);
		id = published.id;
		url = published.url(webhookPath(published.nodes, 'Annex Cloud Trigger'));
	});

	it('refuses unsigned, forged, re-timed and stale deliveries; a replay within tolerance starts nothing', async () => {
		const body = JSON.stringify({
			eventId: 'sec-evt-1',
			eventName: 'loy_point_accrual',
			member: { id: 'plat-013', email: 'plat.013@example.com' },
			data: { points: 50 },
		});
		const now = Math.floor(Date.now() / 1000);
		const unsigned = await postWebhook(url, body);
		const forged = await postWebhook(url, body, {
			'X-AnnexCloud-Timestamp': String(now),
			'X-AnnexCloud-Signature': createHmac('sha256', 'not-the-secret')
				.update(`${now}.${body}`)
				.digest('hex'),
		});
		// A signature captured earlier, sent again with a fresh timestamp: the time is signed.
		const retimed = await postWebhook(url, body, hmacHeaders(body, now, now - 600));
		const stale = await postWebhook(url, body, hmacHeaders(body, now - 600));
		expect([unsigned, forged, retimed, stale].map((answer) => answer.status)).toEqual([
			401, 401, 401, 401,
		]);
		await sleep(1500);
		expect(await listExecutions(id)).toHaveLength(0);

		const genuine = await postWebhook(url, body, hmacHeaders(body, now));
		expect(genuine.status).toBe(200);
		const replay = await postWebhook(url, body, hmacHeaders(body, now));
		expect(replay.body).toMatchObject({ status: 'ignored', repeated: 1 });
		await waitForExecutions(id, 1);
		await sleep(1500);
		expect(await listExecutions(id)).toHaveLength(1);
	});

	it('recognises a replayed event that carries no id', async () => {
		const body = JSON.stringify({
			eventName: 'loy_opt_in',
			member: { id: 'plat-014', email: 'plat.014@example.com' },
		});
		const before = (await listExecutions(id)).length;
		const now = Math.floor(Date.now() / 1000);
		expect((await postWebhook(url, body, hmacHeaders(body, now))).status).toBe(200);
		const again = await postWebhook(url, body, hmacHeaders(body, now + 1));
		expect(again.body).toMatchObject({ status: 'ignored', repeated: 1 });
		await waitForExecutions(id, before + 1);
		await sleep(1500);
		expect(await listExecutions(id)).toHaveLength(before + 1);
	});
});

describe('05 tier change and entitlements', () => {
	let url: string;
	let id: string;

	beforeAll(async () => {
		const published = await publish('05-tier-change-entitlements.json');
		id = published.id;
		url = published.url(webhookPath(published.nodes, 'Annex Cloud Trigger'));
	});

	const assignedTo = (memberId: string) =>
		sandbox.state.annex.assignments.filter((assignment) => assignment.user_id === memberId);
	/** Annex Cloud's own record: the member moved from Gold to Platinum today. */
	const upgradedTodayInAnnexCloud = (memberId: string) => {
		const member = sandbox.state.annex.member(memberId)!;
		member.previousTier = 'Gold';
		member.tier = 'Platinum';
		member.lifetimePoints = Math.max(member.lifetimePoints, 11_000);
		member.earnedPoints = Math.max(member.earnedPoints, 11_000);
		member.tierAchievedDate = new Date().toISOString().slice(0, 10);
	};

	it('refuses an unauthenticated tier event', async () => {
		const answer = await postWebhook(url, {
			eventName: 'tier_upgrade',
			eventId: 'forged-1',
			member: { id: 'plat-015' },
		});
		expect(answer.status).toBe(401);
	});

	it('ignores what a (token-bearing) forged event claims: no blank or invented previous tier grants anything', async () => {
		// plat-016 reached Platinum long ago in Annex Cloud's record.
		const member = sandbox.state.annex.member('plat-016')!;
		expect(member.tier).toBe('Platinum');
		for (const [eventId, previousTier] of [
			['forged-blank', ''],
			['forged-bronze', 'Bronze'],
		]) {
			const answer = await postWebhook(
				url,
				{
					eventName: 'tier_upgrade',
					eventId,
					member: { id: 'plat-016', email: member.email, tier: 'Platinum' },
					data: { previousTier, tier: 'Platinum' },
					previousTier,
				},
				SANDBOX_WEBHOOK_TOKEN_HEADERS,
			);
			expect(answer.status).toBe(200);
		}
		await waitForExecutions(id, 2);
		await sandbox.state.ometria.whenIdle();
		expect(assignedTo('plat-016')).toHaveLength(0);
	});

	it('a genuine upgrade grants once; the same change announced again under a new event id grants nothing', async () => {
		upgradedTodayInAnnexCloud('zhang-min');
		const before = (await listExecutions(id)).length;
		for (const eventId of ['upgrade-zhang-1', 'upgrade-zhang-2']) {
			await postWebhook(
				url,
				{ eventName: 'tier_upgrade', eventId, member: { id: 'zhang-min' } },
				SANDBOX_WEBHOOK_TOKEN_HEADERS,
			);
			await waitForExecutions(id, before + (eventId.endsWith('1') ? 1 : 2));
		}
		await sandbox.state.ometria.whenIdle();
		expect(assignedTo('zhang-min').map((assignment) => assignment.reward_id)).toEqual([1003]);
	});

	it('one genuine upgrade delivered 12 times at once under 12 event ids grants once; the others are recorded as repeats', async () => {
		upgradedTodayInAnnexCloud('plat-017');
		const before = (await listExecutions(id)).length;
		const deliveries = Array.from({ length: 12 }, (_, index) => `upgrade-plat-017-${index}`);
		const answers = await Promise.all(
			deliveries.map(async (eventId) => {
				const answer = await postWebhook(
					url,
					{ eventName: 'tier_upgrade', eventId, member: { id: 'plat-017' } },
					SANDBOX_WEBHOOK_TOKEN_HEADERS,
				);
				return answer.status;
			}),
		);
		expect(answers).toEqual(deliveries.map(() => 200));
		const runs = (await waitForExecutions(id, before + deliveries.length)).slice(
			0,
			deliveries.length,
		);
		expect(runs.map((run) => run.status)).toEqual(deliveries.map(() => 'success'));
		await sandbox.state.ometria.whenIdle();
		expect(assignedTo('plat-017').map((assignment) => assignment.reward_id)).toEqual([1003]);
		const claims = (await readRows('loyalty_tier_grants')).filter(
			(row) => row.memberId === 'plat-017',
		);
		expect(claims.map((row) => row.eventId).sort()).toEqual([...deliveries].sort());
		const granted = claims.filter((row) => row.status === 'claimed');
		expect(granted).toHaveLength(1);
		expect(claims.filter((row) => row.status === 'repeat')).toEqual(
			Array.from({ length: 11 }, () =>
				expect.objectContaining({
					reason: `granted once already, by event ${granted[0].eventId} (execution ${granted[0].executionId})`,
				}),
			),
		);
	});
});

describe('07 win-back one-click link', () => {
	let cardUrl: string;
	let workflowId: string;
	const link = (claims: Record<string, unknown>, secret = WIN_BACK_LINK_SECRET) => {
		const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
		const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
		const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
		return `${cardUrl}?token=${unsigned}.${signature}`;
	};
	/** The claims of a card's link, as the template signs them. */
	const card = (memberId: string, offerId: string, act = 'send', extra = {}) => ({
		jti: `win-back-2026-01-05:${memberId}`,
		sub: memberId,
		act,
		offerId,
		campaignId: 'win-back-2026-01-05',
		segment: 'win-back',
		next: 'lapsed-platinum',
		exp: Math.floor(Date.now() / 1000) + 3600,
		...extra,
	});
	const assignedTo = (memberId: string) =>
		sandbox.state.annex.assignments.filter((assignment) => assignment.user_id === memberId);

	beforeAll(async () => {
		const published = await publish('07-win-back-recommendation.json', [
			...(await importCredentials([WIN_BACK_LINK_CREDENTIAL])),
			...credentials,
		]);
		cardUrl = published.url('loyalty/win-back/card');
		workflowId = published.id;
	});

	it('refuses tampered, forged and expired links: nothing is assigned', async () => {
		const genuine = new URL(link(card('plat-020', '1001'))).searchParams.get('token')!;
		const [header, , signature] = genuine.split('.');
		const otherMember = Buffer.from(JSON.stringify(card('plat-021', '1001'))).toString('base64url');
		const otherOffer = Buffer.from(JSON.stringify(card('plat-020', '1003'))).toString('base64url');
		const unsignedNone = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${otherMember}.`;
		for (const url of [
			`${cardUrl}?token=${header}.${otherMember}.${signature}`,
			`${cardUrl}?token=${header}.${otherOffer}.${signature}`,
			`${cardUrl}?token=${unsignedNone}`,
			link(card('plat-020', '1001'), 'replace-with-a-long-random-string'),
			link(card('plat-020', '1001', 'send', { exp: Math.floor(Date.now() / 1000) - 1 })),
			`${cardUrl}?memberId=plat-020&offerId=1001&key=replace-with-a-long-random-string`,
		]) {
			const answer = await fetch(url);
			expect({ url, status: answer.status }).toEqual({ url, status: 403 });
		}
		expect(assignedTo('plat-020')).toHaveLength(0);
		expect(assignedTo('plat-021')).toHaveLength(0);
	});

	it('a reused link, even clicked 10 times at once, assigns once', async () => {
		// A first card used once creates the link table (as the weekly run does in real life).
		expect((await fetch(link(card('plat-025', '1001')))).status).toBe(200);
		const url = link(card('plat-022', '1001'));
		const answers = await Promise.all(
			Array.from({ length: 10 }, async () => (await fetch(url)).status),
		);
		expect(answers.sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
		expect((await fetch(url)).status).toBe(409);
		expect(assignedTo('plat-022')).toHaveLength(1);
		// The card's other action is the same decision.
		expect((await fetch(link(card('plat-022', '1001', 'queue')))).status).toBe(409);
	});

	it('shows no script from the link or the vendor in its HTML answers', async () => {
		const answers: string[] = [];
		// Member id, campaign slug and offer from the link; reward name and code from Annex Cloud.
		const notFound = await fetch(link(card(SCRIPT, '1001')));
		expect(notFound.status).toBe(409);
		answers.push(await notFound.text());
		const queued = await fetch(
			link(card(SCRIPT, SCRIPT, 'queue', { next: SCRIPT, jti: `queue:${SCRIPT}` })),
		);
		expect(queued.status).toBe(200);
		answers.push(await queued.text());
		const reward = sandbox.state.annex.reward(1002)!;
		const name = reward.displayText;
		reward.displayText = SCRIPT;
		try {
			const sent = await fetch(link(card('plat-023', '1002')));
			expect(sent.status).toBe(200);
			const text = await sent.text();
			expect(text).toContain('&lt;script&gt;alert(document.cookie)&lt;/script&gt;');
			answers.push(text);
		} finally {
			reward.displayText = name;
		}
		for (const text of answers) {
			expect(text).not.toContain('<script');
			expect(text).not.toContain('alert(document.cookie)</');
		}
		expect(answers[1]).toBe(
			'<p>Added &lt;script&gt;alert(document.cookie)&lt;/script&gt; to the next &lt;script&gt;alert(document.cookie)&lt;/script&gt; campaign.</p>',
		);
	});

	it('refuses to run, and to serve links, while the secret is the shipped placeholder', async () => {
		await importCredentials([
			{
				...WIN_BACK_LINK_CREDENTIAL,
				data: { ...WIN_BACK_LINK_CREDENTIAL.data, secret: 'replace-with-a-long-random-string' },
			},
		]);
		try {
			const forged = await fetch(
				link(card('plat-024', '1001'), 'replace-with-a-long-random-string'),
			);
			expect(forged.status).toBe(500);
			expect(await forged.text()).toContain("the workflow's link secret is not set");
			expect(assignedTo('plat-024')).toHaveLength(0);
			const { status, run } = await runInServer(workflowId, 'Run manually');
			expect(status).toBe('error');
			expect(run.data.resultData.error?.message).toContain('openssl rand -hex 32');
		} finally {
			await importCredentials([WIN_BACK_LINK_CREDENTIAL]);
		}
	});
});

describe('Loyalty Report', () => {
	it('a __proto__ payload merged in "All Items" mode does not pollute the n8n process', async () => {
		const webhookId = '7b2e4c10-5ec0-4a11-9000-000000000001';
		const { id, productionUrl } = await publishWebhookWorkflow({
			name: 'Security: report from posted campaign data',
			nodes: [
				{
					id: 'hook',
					name: 'Campaign data',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId,
					parameters: {
						httpMethod: 'POST',
						path: 'security/report',
						responseMode: 'lastNode',
						options: {},
					},
				},
				{
					id: 'report',
					name: 'Loyalty Report',
					type: 'n8n-nodes-loyalty-sync.loyaltyReport',
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						reportType: 'campaignReview',
						inputMode: 'allItems',
						formats: ['html'],
						options: { dataField: 'body' },
					},
				},
				{
					id: 'check',
					name: 'Prototype check',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [440, 0],
					parameters: {
						assignments: {
							assignments: [
								{
									id: 'polluted',
									name: 'polluted',
									value: '={{ $json.polluted ?? "clean" }}',
									type: 'string',
								},
							],
						},
						options: {},
					},
				},
			],
			connections: {
				'Campaign data': { main: [[{ node: 'Loyalty Report', type: 'main', index: 0 }]] },
				'Loyalty Report': { main: [[{ node: 'Prototype check', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});
		workflowIds.push(id);
		const url = productionUrl('security/report');
		const hostile =
			'{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "campaign": {"name": "Spring"}}';
		const first = await postWebhook(url, hostile);
		expect(first.status).toBe(200);
		// A second, harmless request: a polluted process would show it here.
		const second = await postWebhook(url, { campaign: { name: 'Summer' } });
		expect([first.body, second.body]).toEqual([{ polluted: 'clean' }, { polluted: 'clean' }]);
	});
});

describe('secrets', () => {
	it('appear in no execution data and no n8n log line of any run above', async () => {
		let executions = 0;
		for (const id of workflowIds) {
			for (const summary of await listExecutions(id)) {
				const execution = await n8n().getExecution(summary.id);
				const text = JSON.stringify(execution);
				executions++;
				for (const secret of SECRETS)
					expect({ id, secret, found: text.includes(secret) }).toEqual({
						id,
						secret,
						found: false,
					});
			}
		}
		expect(executions).toBeGreaterThan(25);
		const log = readFileSync(n8n().logFile, 'utf8');
		for (const secret of SECRETS)
			expect({ secret, inLog: log.includes(secret) }).toEqual({ secret, inLog: false });
	});
});
