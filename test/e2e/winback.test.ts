/**
 * Acceptance for template 07 (win-back gift recommendation) in a real n8n against the sandbox,
 * imported as shipped (credentials bound by type; only the Settings a user fills in changed), run
 * inside the server because it keeps its state in Data Tables:
 *
 * - every member of the member feed is evaluated, page by page, and Annex Cloud is asked only for
 *   the candidates' weekly activity; Li Lei, whose activity declined three weeks in a row, gets a
 *   card with the gift package, expected value, target conversion and the conversion rate used;
 * - the card's links are signed per member, offer, campaign and expiry: a tampered, forged or
 *   expired link assigns nothing; the send link assigns once (a second click answers "already
 *   done"); the queue link adds the member to the next campaign (`loyalty_campaign_queue`);
 * - the send is written to the campaign record, its outcomes are read back from Annex Cloud by
 *   the daily branch, and the next recommendation run ranks offers on them.
 */
import { createHmac } from 'crypto';
import { rmSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import { annexDateTime } from '../../sandbox/dates';
import { GIFT_PACKAGE_REWARD_ID, LI_LEI_EMAIL, LI_LEI_ID } from '../../sandbox/fixtures';
import {
	n8n,
	importCredentials,
	nodeOutput,
	publishWebhookWorkflow,
	startN8nForTests,
	stopN8n,
	type RunLike,
	type CredentialRef,
} from './support/n8n';
import {
	importSandboxCredentials,
	loadTemplate,
	n8nFilesFolder,
	runInServer,
	WIN_BACK_LINK_CREDENTIAL,
	WIN_BACK_LINK_SECRET,
} from './support/templates';

const TEMPLATE = '07-win-back-recommendation.json';
const AS_OF = '2025-06-15';
const GENERATED = 60;
const PAGE_SIZE = 50;

let sandbox: Sandbox;
let credentials: CredentialRef[];
let folder: string;
let workflowId: string | undefined;
let cardUrl: string;
const today = new Date().toISOString().slice(0, 10);
const campaignId = `win-back-${today}`;

type Row = Record<string, unknown>;

/** The rows of one of the template's Data Tables, through n8n's REST API (empty before it exists). */
async function tableRows(name: string): Promise<Row[]> {
	const projects = await n8n().rest<Array<{ id: string; type: string }>>(
		'GET',
		'/rest/projects/my-projects',
	);
	const base = `/rest/projects/${projects.find((project) => project.type === 'personal')!.id}/data-tables`;
	const { data: tables } = await n8n().rest<{
		data: Array<{ id: string; name: string }>;
	}>('GET', base);
	const table = tables.find((candidate) => candidate.name === name);
	if (table === undefined) return [];
	return (await n8n().rest<{ data: Row[] }>('GET', `${base}/${table.id}/rows?take=1000`)).data;
}

/** A link as the template signs it (HS256 JWT), with any claims: what someone holding the secret could make. */
function signLink(claims: Record<string, unknown>, secret = WIN_BACK_LINK_SECRET): string {
	const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
	return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const claimsOf = (url: string): Record<string, unknown> =>
	JSON.parse(
		Buffer.from(new URL(url).searchParams.get('token')!.split('.')[1], 'base64url').toString(),
	) as Record<string, unknown>;

async function click(url: string): Promise<{ status: number; text: string; type: string }> {
	const response = await fetch(url);
	return {
		status: response.status,
		text: await response.text(),
		type: response.headers.get('content-type') ?? '',
	};
}

function allRuns(run: RunLike, node: string): Row[] {
	return (run.data.resultData.runData[node] ?? []).flatMap((nodeRun) =>
		(nodeRun.data?.main?.[0] ?? []).map((item) => item.json),
	);
}

async function recommend(): Promise<RunLike> {
	const { status, run } = await runInServer(workflowId!, 'Run manually');
	expect({ status, error: run.data.resultData.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	return run;
}

const liLeiCard = (run: RunLike) =>
	nodeOutput(run, 'Recommendation card').find((card) => card.memberId === LI_LEI_ID)!;

beforeAll(async () => {
	sandbox = await startSandbox({ members: GENERATED, asOf: AS_OF });
	await startN8nForTests();
	credentials = [
		...(await importCredentials([WIN_BACK_LINK_CREDENTIAL])),
		...(await importSandboxCredentials(sandbox)),
	];
	folder = n8nFilesFolder('win-back');
	const feedPath = join(folder, 'member-feed.csv');
	await sandbox.writeMemberFeed(feedPath);
	cardUrl = n8n().productionWebhookUrl('loyalty/win-back/card');
	const template = loadTemplate(TEMPLATE, credentials, {
		settings: { feedPath, pageSize: PAGE_SIZE, cardUrl, asOf: AS_OF },
	});
	// On a loaded machine n8n can answer 503 "Database is not ready" for a while after start.
	for (let attempt = 1; workflowId === undefined; attempt++) {
		try {
			workflowId = (await publishWebhookWorkflow(template)).id;
		} catch (error) {
			if (attempt === 10 || !String(error).includes('503')) throw error;
			await new Promise((resolve) => setTimeout(resolve, 5000));
		}
	}
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
	if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('07 win-back recommendation (C-1): recommend, send or queue, record, learn', () => {
	let card: Row;

	it('evaluates every member of the feed page by page, asking Annex Cloud only about candidates', async () => {
		const before = sandbox.stats().requests as Record<string, number>;
		const run = await recommend();
		const members = sandbox.state.annex.members.size;
		// Every page of the feed was read, never more than a page at once.
		const pages = run.data.resultData.runData['Member Feed'];
		expect(pages).toHaveLength(Math.ceil(members / PAGE_SIZE));
		for (const page of pages)
			expect(page.data?.main?.[0]?.length ?? 0).toBeLessThanOrEqual(PAGE_SIZE);
		expect(allRuns(run, 'Member Feed')).toHaveLength(members);
		// Weekly activity only for candidates (active lately), one summary each.
		const candidates = allRuns(run, 'Win-back candidates');
		expect(candidates.length).toBeGreaterThan(0);
		expect(candidates.length).toBeLessThan(members);
		expect(allRuns(run, 'Weekly activity')).toHaveLength(candidates.length);
		const after = sandbox.stats().requests as Record<string, number>;
		expect((after['annex.users.get'] ?? 0) - (before['annex.users.get'] ?? 0)).toBe(0);
		expect((after['annex.points.get'] ?? 0) - (before['annex.points.get'] ?? 0)).toBe(0);

		card = liLeiCard(run);
		expect(card).toMatchObject({
			campaignId,
			email: LI_LEI_EMAIL,
			offerId: String(GIFT_PACKAGE_REWARD_ID),
			giftPackage: 'Gift package: travel kit',
			expectedValue: 85,
			targetConversion: 18,
			conversionRate: 18,
			recordedSends: 0,
			recordedConversions: 0,
		});
		const text = String(card.card);
		expect(text).toContain('Suggested gift package: Gift package: travel kit');
		expect(text).toContain('Expected value: 85 EUR');
		expect(text).toContain('Target conversion: 18%');
		expect(text).toContain('Conversion rate used: 18% (0 of 0 recorded sends converted');
		expect(text).toContain('3 declining weeks in a row');
		expect(text).toContain(`: ${String(card.sendUrl)}`);
		expect(text).toContain(`Or add to the next lapsed-platinum campaign: ${String(card.queueUrl)}`);
		// Signed per member, offer, campaign and expiry; the secret is in no link.
		expect(String(card.sendUrl)).toMatch(
			new RegExp(`^${cardUrl}\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`),
		);
		const claims = claimsOf(String(card.sendUrl));
		expect(claims).toMatchObject({
			sub: LI_LEI_ID,
			act: 'send',
			offerId: String(GIFT_PACKAGE_REWARD_ID),
			campaignId,
			jti: `${campaignId}:${LI_LEI_ID}`,
		});
		expect(Number(claims.exp) - Date.now() / 1000).toBeGreaterThan(6 * 86_400);
		expect(claimsOf(String(card.queueUrl))).toMatchObject({
			act: 'queue',
			next: 'lapsed-platinum',
		});
		expect(JSON.stringify(run)).not.toContain(WIN_BACK_LINK_SECRET);
		// Nothing is sent before someone clicks; the plan is in the campaign record.
		expect(sandbox.state.annex.assignments).toHaveLength(0);
		expect(await tableRows('loyalty_campaigns')).toEqual([
			expect.objectContaining({
				campaignId,
				campaignSlug: 'win-back',
				status: 'planned',
				eventType: 'winback_gift_sent',
			}),
		]);
		expect(await tableRows('loyalty_campaign_members')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					memberKey: `${campaignId}:${LI_LEI_ID}`,
					group: 'target',
					offerId: String(GIFT_PACKAGE_REWARD_ID),
					segment: 'win-back',
				}),
			]),
		);
		expect(await tableRows('loyalty_campaign_touches')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					touchKey: `${campaignId}:${LI_LEI_ID}:win_back:email`,
					step: 'win_back',
					status: 'planned',
				}),
			]),
		);
	});

	it('refuses a tampered, forged or expired link, or none, and assigns nothing', async () => {
		const token = new URL(String(card.sendUrl)).searchParams.get('token')!;
		const [header, , signature] = token.split('.');
		const otherMember = Buffer.from(
			JSON.stringify({ ...claimsOf(String(card.sendUrl)), sub: 'zhang-min' }),
		).toString('base64url');
		const attempts = [
			`${cardUrl}?token=${header}.${otherMember}.${signature}`,
			`${cardUrl}?token=${signLink(claimsOf(String(card.sendUrl)), 'guessed-secret-0123456789')}`,
			`${cardUrl}?token=${signLink({ ...claimsOf(String(card.sendUrl)), exp: Math.floor(Date.now() / 1000) - 60 })}`,
			`${cardUrl}?token=not-a-token`,
			cardUrl,
		];
		for (const url of attempts) {
			const answer = await click(url);
			expect({ url, status: answer.status }).toEqual({ url, status: 403 });
			expect(answer.type).toContain('text/html');
			expect(answer.text).toContain('not valid or has expired');
		}
		expect(sandbox.state.annex.assignments).toHaveLength(0);
	});

	it('checks the gift stock before assigning: out of stock it assigns nothing, records why and raises an alert; the link still works', async () => {
		const reward = sandbox.state.annex.reward(GIFT_PACKAGE_REWARD_ID)!;
		const stock = reward.stock;
		reward.stock = 0;
		const refused = await click(String(card.sendUrl));
		expect(refused.status).toBe(409);
		expect(refused.text).toContain('Not sent');
		expect(sandbox.state.annex.assignments).toHaveLength(0);
		const touchKey = `${String(claimsOf(String(card.sendUrl)).campaignId)}:${LI_LEI_ID}:win_back:email`;
		expect(
			(await tableRows('loyalty_campaign_touches')).find((row) => row.touchKey === touchKey),
		).toMatchObject({
			status: 'failed',
			reason: 'coupon_out_of_stock',
		});
		const alertKey = `coupon-stock:${GIFT_PACKAGE_REWARD_ID}:${new Date().toISOString().slice(0, 10)}`;
		expect(
			(await tableRows('loyalty_sync_alerts')).filter((row) => row.alertKey === alertKey),
		).toEqual([expect.objectContaining({ checks: 'coupon_stock', severity: 'critical' })]);
		reward.stock = stock;
	});

	it('sends the gift with one click, once: a second click answers "already done" and assigns nothing', async () => {
		const stockBefore = sandbox.state.annex.reward(GIFT_PACKAGE_REWARD_ID)!.issued;
		const first = await click(String(card.sendUrl));
		expect(first.status).toBe(200);
		expect(first.text).toMatch(
			/^<p>Sent: Gift package: travel kit to li-lei \(code RW1005-\d+\)\.<\/p>$/,
		);
		expect(sandbox.state.annex.assignments).toEqual([
			expect.objectContaining({
				user_id: LI_LEI_ID,
				reward_id: GIFT_PACKAGE_REWARD_ID,
			}),
		]);
		expect(sandbox.state.annex.reward(GIFT_PACKAGE_REWARD_ID)!.issued).toBe(stockBefore + 1);

		const second = await click(String(card.sendUrl));
		expect(second.status).toBe(409);
		expect(second.text).toContain('Already done');
		expect(second.text).toContain('gift sent');
		// The card's other link is the same decision: it is used up too.
		expect((await click(String(card.queueUrl))).status).toBe(409);
		expect(sandbox.state.annex.assignments).toHaveLength(1);

		await sandbox.state.ometria.whenIdle();
		const events = [...sandbox.state.ometria.events.values()]
			.map((stored) => (stored as { record: Record<string, unknown> }).record)
			.filter((record) => record.event_type === 'winback_gift_sent');
		expect(events).toEqual([
			expect.objectContaining({
				identity_email: LI_LEI_EMAIL,
				properties: expect.objectContaining({
					member_id: LI_LEI_ID,
					offer_id: String(GIFT_PACKAGE_REWARD_ID),
					campaign_id: campaignId,
				}),
			}),
		]);
		const code = sandbox.state.annex.assignments[0].rewardCode;
		expect(await tableRows('loyalty_campaign_touches')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					touchKey: `${campaignId}:${LI_LEI_ID}:win_back:email`,
					status: 'sent',
					couponCode: code,
					memberLocalDate: today,
				}),
			]),
		);
		expect(
			(await tableRows('loyalty_campaign_members')).find(
				(row) => row.memberKey === `${campaignId}:${LI_LEI_ID}`,
			),
		).toMatchObject({ group: 'target', couponCode: code });
		expect(await tableRows('loyalty_campaign_outcomes')).toEqual([
			expect.objectContaining({
				outcomeKey: `${campaignId}:${LI_LEI_ID}:sent`,
				outcome: 'sent',
				offerId: String(GIFT_PACKAGE_REWARD_ID),
				segment: 'win-back',
			}),
		]);
		expect(
			(await tableRows('loyalty_campaigns')).find((row) => row.campaignId === campaignId),
		).toMatchObject({ status: 'sending', sent: 1, accepted: 1, rejected: 0 });
		const clicks = (await tableRows('loyalty_win_back_links')).map((row) => row.status);
		// The out-of-stock click before (failed), this send, and the two clicks after it.
		expect(clicks.sort()).toEqual(['failed', 'repeat', 'repeat', 'sent']);
	});

	it("adds the member to the next campaign from a card's queue link, once", async () => {
		// A card of an earlier week, not used yet.
		const earlier = `win-back-2025-06-09`;
		const queueUrl = `${cardUrl}?token=${signLink({
			...claimsOf(String(card.queueUrl)),
			campaignId: earlier,
			jti: `${earlier}:${LI_LEI_ID}`,
		})}`;
		const queued = await click(queueUrl);
		expect(queued.status).toBe(200);
		expect(queued.text).toBe('<p>Added li-lei to the next lapsed-platinum campaign.</p>');
		expect(await tableRows('loyalty_campaign_queue')).toEqual([
			expect.objectContaining({
				queueKey: `lapsed-platinum:${LI_LEI_ID}`,
				campaignSlug: 'lapsed-platinum',
				memberId: LI_LEI_ID,
				offerId: String(GIFT_PACKAGE_REWARD_ID),
				queuedBy: 'win-back card',
				status: 'queued',
			}),
		]);
		const again = await click(queueUrl);
		expect(again.status).toBe(409);
		expect(again.text).toContain('added to the next campaign');
		expect(await tableRows('loyalty_campaign_queue')).toHaveLength(1);
		expect(sandbox.state.annex.assignments).toHaveLength(1);
	});

	it('records the outcomes from Annex Cloud, and the next recommendation run learns from them', async () => {
		// After the gift: Li Lei buys twice and writes a review, and uses the gift's code.
		const soon = (seconds: number) => annexDateTime(Date.now() + seconds * 1000);
		const line = (activityId: string, actionId: number, seconds: number) => ({
			activityId,
			actionId,
			activity: 'CREDIT' as const,
			credit: 50,
			debit: 0,
			pointType: 'Standard' as const,
			pointStatus: 'Released' as const,
			displayText: actionId === 109 ? 'Purchase' : 'Product review',
			reason: '',
			orderId: actionId === 109 ? `order-${activityId}` : null,
			rewardCode: null,
			createDate: soon(seconds),
			expireDate: null,
		});
		sandbox.state.annex.ledgers.set(LI_LEI_ID, [
			...(sandbox.state.annex.ledgers.get(LI_LEI_ID) ?? []),
			line('after-1', 109, 2),
			line('after-2', 110, 3),
			line('after-3', 109, 4),
		]);
		const assignment = sandbox.state.annex.assignments[0];
		sandbox.state.annex.redemptions.push({
			memberId: LI_LEI_ID,
			rewardId: GIFT_PACKAGE_REWARD_ID,
			rewardName: 'Gift package: travel kit',
			rewardCode: assignment.rewardCode,
			pointsUsed: 0,
			activityId: 'after-4',
			createDate: soon(5),
		});
		await new Promise((resolve) => setTimeout(resolve, 6000));

		for (let round = 0; round < 2; round++) {
			const { status, run } = await runInServer(workflowId!, 'Every day 07:00');
			expect({ status, error: run.data.resultData.error?.message }).toEqual({
				status: 'success',
				error: undefined,
			});
		}
		const outcomes = await tableRows('loyalty_campaign_outcomes');
		expect(outcomes.map((row) => row.outcome).sort()).toEqual([
			'activity_recovered',
			'purchased',
			'redeemed',
			'sent',
		]);
		for (const row of outcomes) {
			expect(row).toMatchObject({
				campaignId,
				memberId: LI_LEI_ID,
				segment: 'win-back',
				offerId: String(GIFT_PACKAGE_REWARD_ID),
			});
		}
		expect(outcomes.find((row) => row.outcome === 'purchased')!.source).toBe(
			'annex cloud activity',
		);

		const run = await recommend();
		const next = liLeiCard(run);
		const learned = Math.round(((1 + 20 * 0.18) / 21) * 1000) / 10;
		expect(next).toMatchObject({
			recordedSends: 1,
			recordedConversions: 1,
			conversionRate: learned,
		});
		expect(String(next.card)).toContain(
			`Conversion rate used: ${learned}% (1 of 1 recorded sends converted; prior 18%`,
		);
		// The plan of the send is not turned back into "planned".
		expect(
			(await tableRows('loyalty_campaign_touches')).filter(
				(row) => row.touchKey === `${campaignId}:${LI_LEI_ID}:win_back:email`,
			),
		).toEqual([expect.objectContaining({ status: 'sent' })]);
	});
});
