/**
 * Acceptance: templates 03 (segment sync) and 04 (key-date care) imported as shipped into a real
 * n8n, with only the credentials bound and the Settings filled in (feed path, run date), run
 * inside the server (they use Data Tables) against the sandbox and its member feed.
 * The segment sync runs first: its touches count toward the shared frequency cap of later runs.
 * - 04: birthday care for Zhang Min (warm-up on May 25, a reminder on May 31, greeting and
 *   birthday coupon on June 1 the day after a touch, nothing twice on a second June 1 run), the
 *   campaign record, a coupon out of stock recorded with its reason and alerted, and two runs of
 *   one greeting day started at once assigning one coupon (the first claim wins).
 * - 03: the lapsed Platinum audience into the Ometria segment, outreach at the configured times,
 *   a member operations queued picked up, the campaign record and the segment membership in Data
 *   Tables, and the cap on calendar days the next day.
 * Members come from the member feed: only the members the rules may pick get an Annex Cloud call.
 */
import { rmSync } from 'fs';
import { join } from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	BIRTHDAY_COUPON_REWARD_ID,
	FIXTURE_MEMBER_COUNT,
	LI_LEI_ID,
	OUT_OF_STOCK_REWARD_ID,
	PLATINUM_LAPSED_COUNT,
	PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS,
	PLATINUM_LAPSED_IDS,
	PLATINUM_LAPSED_PUSH_DISABLED_IDS,
	PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS,
	ZHANG_MIN_EMAIL,
	ZHANG_MIN_ID,
} from '../../sandbox/fixtures';
import {
	importWorkflow,
	n8n,
	startN8nForTests,
	stopN8n,
	type CredentialRef,
	type RunLike,
} from './support/n8n';
import {
	importSandboxCredentials,
	loadTemplate,
	n8nFilesFolder,
	runInServer,
} from './support/templates';

const CARE = '04-key-date-care.json';
const SEGMENT = '03-segment-sync.json';
const LAPSED_LIST = '8406';

let sandbox: Sandbox;
let credentials: CredentialRef[];
let folder: string;
let feedPath: string;
let projectId: string;

beforeAll(async () => {
	sandbox = await startSandbox({ members: 0, asOf: '2025-05-25' });
	await startN8nForTests();
	credentials = await importSandboxCredentials(sandbox);
	folder = n8nFilesFolder('care');
	feedPath = join(folder, 'member-feed.csv');
	await sandbox.writeMemberFeed(feedPath);
	const projects = await n8n().rest<Array<{ id: string; type: string }>>(
		'GET',
		'/rest/projects/my-projects',
	);
	projectId = projects.find((project) => project.type === 'personal')!.id;
}, 600_000);

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
	if (folder) rmSync(folder, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

async function tableId(name: string): Promise<string | undefined> {
	const tables = await n8n().rest<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		`/rest/projects/${projectId}/data-tables`,
	);
	return tables.data.find((candidate) => candidate.name === name)?.id;
}

async function rows(name: string): Promise<Row[]> {
	const id = await tableId(name);
	if (!id) return [];
	const answer = await n8n().rest<{ data: Row[] }>(
		'GET',
		`/rest/projects/${projectId}/data-tables/${id}/rows?take=1000`,
	);
	return answer.data;
}

/** Every run's items of a node's output (a node inside the feed loop runs once per page). */
function allRuns(run: RunLike, node: string, output = 0): Row[] {
	return (run.data.resultData.runData[node] ?? []).flatMap((nodeRun) =>
		(nodeRun.data?.main?.[output] ?? []).map((item) => item.json as Row),
	);
}

const output = (run: RunLike, node: string, index = 0): Row[] => {
	const runs = run.data.resultData.runData[node] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[index] ?? []).map((item) => item.json as Row);
};

/** Imports a template with these Settings and runs it from its Manual Trigger inside n8n. */
async function runWith(file: string, settings: Record<string, string | number>) {
	const id = await importWorkflow(
		loadTemplate(file, credentials, { settings: { feedPath, pageSize: 40, ...settings } }),
	);
	return await runAgain(id);
}

async function runAgain(id: string) {
	const { status, run } = await runInServer(id, 'Run now (manual)', 600_000);
	const failed = Object.entries(run.data.resultData.runData).find(([, runs]) =>
		runs.some((nodeRun) => nodeRun.error !== undefined),
	);
	if (status !== 'success' || failed) {
		throw new Error(
			`run ${status}: ${failed?.[0]} ${failed?.[1].find((nodeRun) => nodeRun.error)?.error?.message ?? run.data.resultData.error?.message}`,
		);
	}
	await sandbox.state.ometria.whenIdle();
	return { id, run };
}

const careEvents = (email: string) =>
	[...sandbox.state.ometria.events.values()].filter(
		(event) =>
			event.record.identity_email === email && String(event.record.event_type).startsWith('care_'),
	);
const couponsOf = (memberId: string, rewardId = BIRTHDAY_COUPON_REWARD_ID) =>
	sandbox.state.annex.assignments.filter(
		(assignment) => assignment.user_id === memberId && assignment.reward_id === rewardId,
	);
const touchesOf = async (memberId: string) =>
	(await rows('loyalty_campaign_touches')).filter((row) => row.memberId === memberId);

describe('03 segment sync', () => {
	const RUN_DATE = '2025-05-25';
	const CAMPAIGN = `lapsed-platinum-${RUN_DATE}`;
	// Unsubscribed from email through a link in an Ometria email: Annex Cloud still says yes.
	const ometriaUnsubscribed = PLATINUM_LAPSED_IDS.find(
		(id) =>
			!PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS.includes(id) &&
			!PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(id) &&
			!PLATINUM_LAPSED_PUSH_DISABLED_IDS.includes(id),
	)!;
	let id: string;
	let run: RunLike;

	beforeAll(async () => {
		sandbox.state.ometria.addUnsubscribe({
			email_address: sandbox.state.annex.member(ometriaUnsubscribed)!.email,
			type: 'link_unsubscribe',
		});
		// Operations queued Li Lei (Silver, not lapsed Platinum) for the next lapsed-platinum send.
		await queueMember(LI_LEI_ID, 'lapsed-platinum', '1005');
		({ id, run } = await runWith(SEGMENT, { runDate: RUN_DATE }));
	}, 900_000);

	async function queueMember(memberId: string, campaignSlug: string, offerId: string) {
		let table = await tableId('loyalty_campaign_queue');
		if (!table) {
			const created = await n8n().rest<{ id: string }>(
				'POST',
				`/rest/projects/${projectId}/data-tables`,
				{
					name: 'loyalty_campaign_queue',
					columns: [
						{ name: 'queueKey', type: 'string' },
						{ name: 'campaignSlug', type: 'string' },
						{ name: 'memberId', type: 'string' },
						{ name: 'offerId', type: 'string' },
						{ name: 'queuedBy', type: 'string' },
						{ name: 'queuedAt', type: 'date' },
						{ name: 'status', type: 'string' },
						{ name: 'pickedBy', type: 'string' },
					],
				},
			);
			table = created.id;
		}
		await n8n().rest('POST', `/rest/projects/${projectId}/data-tables/${table}/insert`, {
			data: [
				{
					queueKey: `${campaignSlug}:${memberId}`,
					campaignSlug,
					memberId,
					offerId,
					queuedBy: 'win-back card',
					queuedAt: new Date().toISOString(),
					status: 'queued',
					pickedBy: null,
				},
			],
			returnType: 'count',
		});
	}

	it('the lapsed Platinum audience and the queued member fill the Ometria segment; only candidates are read from Annex Cloud', () => {
		const log = output(run, 'Campaign log')[0];
		expect(log.matched).toBe(PLATINUM_LAPSED_COUNT + 1);
		const audience = output(run, 'Lapsed Platinum').map((member) => String(member.loyaltyId));
		expect(audience).toContain(LI_LEI_ID);
		const listed = sandbox.state.ometria
			.listMembers(LAPSED_LIST)
			.map((member) => member.id)
			.sort();
		expect(listed).toEqual([...audience].sort());
		const unreachable = PLATINUM_LAPSED_IDS.filter(
			(member) =>
				PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS.includes(member) &&
				PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(member) &&
				PLATINUM_LAPSED_PUSH_DISABLED_IDS.includes(member),
		);
		expect(audience.filter((member) => member !== LI_LEI_ID).sort()).toEqual(
			PLATINUM_LAPSED_IDS.filter((member) => !unreachable.includes(member)).sort(),
		);
		expect(allRuns(run, 'Get loyalty profile').length).toBeLessThanOrEqual(
			PLATINUM_LAPSED_COUNT + 2,
		);
	});

	it('outreach goes out at the configured local times, and not by email to the member who unsubscribed in Ometria', () => {
		for (const member of output(run, 'Lapsed Platinum')) {
			const outreach = member.outreach as {
				channels: Array<{ channel: string; sendAt: string }>;
				suppressedChannels: string[];
			};
			for (const { channel, sendAt } of outreach.channels) {
				const time = { email: '10:00', sms: '12:00', push: '18:00' }[channel];
				expect(sendAt.slice(0, 10)).toBe(RUN_DATE);
				expect(sendAt).toContain(`T${time}`);
			}
			if (member.loyaltyId === ometriaUnsubscribed) {
				expect(outreach.channels.map((entry) => entry.channel)).toEqual(['sms', 'push']);
				expect(outreach.suppressedChannels).toEqual(['email']);
			}
		}
	});

	it('writes the campaign record: one member row per selected member, touches per channel, the campaign row, the queued member picked', async () => {
		const audience = output(run, 'Lapsed Platinum').map((member) => String(member.loyaltyId));
		const members = (await rows('loyalty_campaign_members')).filter(
			(row) => row.campaignId === CAMPAIGN,
		);
		expect(members).toHaveLength(PLATINUM_LAPSED_COUNT + 1);
		expect(
			members
				.filter((row) => row.group === 'target')
				.map((row) => row.memberId)
				.sort(),
		).toEqual([...audience].sort());
		for (const row of members.filter((candidate) => candidate.group === 'excluded')) {
			expect(row.reason).toBe('unsubscribed_all_channels');
		}
		expect(members.find((row) => row.memberId === LI_LEI_ID)).toMatchObject({
			group: 'target',
			source: 'queued',
			offerId: '1005',
		});
		const touches = (await rows('loyalty_campaign_touches')).filter(
			(row) => row.campaignId === CAMPAIGN,
		);
		const planned = output(run, 'Lapsed Platinum').reduce(
			(sum, member) => sum + (member.outreach as { channels: unknown[] }).channels.length,
			0,
		);
		expect(touches).toHaveLength(planned);
		expect(touches.every((row) => row.status === 'sent' && row.memberLocalDate === RUN_DATE)).toBe(
			true,
		);
		const campaign = (await rows('loyalty_campaigns')).find((row) => row.campaignId === CAMPAIGN);
		expect(campaign).toMatchObject({
			campaignSlug: 'lapsed-platinum',
			segment: 'lapsed platinum',
			status: 'sent',
			audience: audience.length,
			excluded: PLATINUM_LAPSED_COUNT + 1 - audience.length,
			sent: planned,
			accepted: planned,
			rejected: 0,
			costPerSms: 0.04,
			conversionDays: 14,
		});
		const queue = await rows('loyalty_campaign_queue');
		expect(queue.find((row) => row.memberId === LI_LEI_ID)).toMatchObject({
			status: 'picked',
			pickedBy: CAMPAIGN,
		});
		const membership = (await rows('loyalty_segment_membership')).filter(
			(row) => row.segmentKey === 'lapsed-platinum',
		);
		expect(membership.map((row) => row.memberId).sort()).toEqual(
			[...PLATINUM_LAPSED_IDS, LI_LEI_ID].sort(),
		);
	});

	it('the next day nobody is touched again within the 7-day cap, nobody re-enters, and the member no longer queued exits', async () => {
		const eventsBefore = sandbox.state.ometria.events.size;
		const next = await runWith(SEGMENT, { runDate: '2025-05-26' });
		expect(sandbox.state.ometria.events.size).toBe(eventsBefore);
		expect(output(next.run, 'Lapsed Platinum')).toHaveLength(0);
		const log = output(next.run, 'Campaign log')[0];
		expect(log.entered).toBe(0);
		expect(log.exited).toEqual([LI_LEI_ID]);
		expect(sandbox.state.ometria.listMembers(LAPSED_LIST).map((member) => member.id)).not.toContain(
			LI_LEI_ID,
		);
		const reasons = output(next.run, 'Lapsed Platinum', 1)
			.filter((member) => member.exclusion)
			.map((member) => (member.exclusion as { reason: string }).reason);
		const contacted = output(run, 'Lapsed Platinum').filter(
			(member) => member.loyaltyId !== LI_LEI_ID,
		);
		expect(reasons.filter((reason) => reason === 'frequency_cap')).toHaveLength(contacted.length);
		expect(
			reasons.every((reason) => ['frequency_cap', 'unsubscribed_all_channels'].includes(reason)),
		).toBe(true);
		const membership = (await rows('loyalty_segment_membership')).filter(
			(row) => row.segmentKey === 'lapsed-platinum',
		);
		expect(membership.map((row) => row.memberId)).not.toContain(LI_LEI_ID);
		expect(id).toBeDefined();
	});
});

describe('04 key-date care', () => {
	let june1: string;

	it('May 25: Zhang Min gets the birthday warm-up, recorded as a touch on her calendar day; only candidates are read from Annex Cloud', async () => {
		const { run } = await runWith(CARE, { runDate: '2025-05-25' });
		const warmUp = careEvents(ZHANG_MIN_EMAIL).find(
			(event) => event.record.event_type === 'care_birthday_warm_up',
		)!;
		expect(warmUp.record.properties).toMatchObject({
			date: '2025-06-01',
			days_until: 7,
			loyalty_id: ZHANG_MIN_ID,
		});
		expect(couponsOf(ZHANG_MIN_ID)).toHaveLength(0);
		const touches = await touchesOf(ZHANG_MIN_ID);
		expect(touches.map((row) => [row.step, row.status, row.memberLocalDate])).toEqual(
			expect.arrayContaining([['birthday_warm_up', 'sent', '2025-05-25']]),
		);
		expect(touches.find((row) => row.step === 'birthday_warm_up')).toMatchObject({
			campaignId: 'key-date-care-2025-05-25',
			touchKey: expect.stringMatching(/^key-date-care-2025-05-25:zhang-min:birthday_warm_up:/),
			ometriaEventId: `${ZHANG_MIN_ID}-birthday-warm_up-2025-06-01-d7`,
		});
		// The feed was read in pages of 40 rows; only members near a key date got a profile call.
		expect(run.data.resultData.runData['Read a page of the feed'].length).toBe(
			Math.ceil(FIXTURE_MEMBER_COUNT / 40),
		);
		const profiled = allRuns(run, 'Get loyalty profile');
		expect(profiled.map((member) => member.loyaltyId)).toContain(ZHANG_MIN_ID);
		expect(profiled.length).toBeLessThan(FIXTURE_MEMBER_COUNT / 2);
		expect(profiled.find((member) => member.loyaltyId === ZHANG_MIN_ID)).toMatchObject({
			timeZone: 'Asia/Shanghai',
		});
	});

	it('May 31 then June 1: yesterday’s reminder does not block the greeting; the coupon is assigned and recorded', async () => {
		await runWith(CARE, { runDate: '2025-05-31' });
		expect(careEvents(ZHANG_MIN_EMAIL).map((event) => event.record.event_type)).toContain(
			'care_birthday_reminder',
		);
		const { id, run } = await runWith(CARE, { runDate: '2025-06-01' });
		june1 = id;
		const coupons = couponsOf(ZHANG_MIN_ID);
		expect(coupons).toHaveLength(1);
		const greeting = careEvents(ZHANG_MIN_EMAIL).find(
			(event) => event.record.event_type === 'care_birthday_greeting',
		)!;
		expect(greeting.record.properties).toMatchObject({
			date: '2025-06-01',
			days_until: 0,
			coupon_code: coupons[0].rewardCode,
		});
		expect(output(run, 'Key dates due today').map((member) => member.loyaltyId)).toContain(
			ZHANG_MIN_ID,
		);
		const greetingTouches = (await touchesOf(ZHANG_MIN_ID)).filter(
			(row) => row.step === 'birthday_greeting',
		);
		expect(greetingTouches.length).toBeGreaterThan(0);
		expect(greetingTouches.every((row) => row.status === 'sent')).toBe(true);
		expect(greetingTouches.some((row) => row.couponCode === coupons[0].rewardCode)).toBe(true);
		const member = (await rows('loyalty_campaign_members')).find(
			(row) => row.memberKey === `key-date-care-2025-06-01:${ZHANG_MIN_ID}`,
		);
		expect(member).toMatchObject({
			group: 'target',
			reason: '',
			offerId: String(BIRTHDAY_COUPON_REWARD_ID),
			couponCode: coupons[0].rewardCode,
			source: 'rules',
		});
	});

	it('the campaign row counts what the member and touch rows hold, with the cost settings', async () => {
		const members = (await rows('loyalty_campaign_members')).filter(
			(row) => row.campaignId === 'key-date-care-2025-06-01',
		);
		const touches = (await rows('loyalty_campaign_touches')).filter(
			(row) => row.campaignId === 'key-date-care-2025-06-01',
		);
		const campaign = (await rows('loyalty_campaigns')).find(
			(row) => row.campaignId === 'key-date-care-2025-06-01',
		);
		expect(campaign).toMatchObject({
			campaignSlug: 'key-date-care',
			status: 'sent',
			audience: members.filter((row) => row.group !== 'excluded').length,
			holdout: members.filter((row) => row.group === 'holdout').length,
			excluded: members.filter((row) => row.group === 'excluded').length,
			sent: touches.length,
			accepted: touches.filter((row) => row.status === 'sent').length,
			rejected: touches.filter((row) => row.status === 'rejected').length,
			costPerEmail: 0.002,
			costPerSms: 0.04,
			costPerOffer: 5,
			conversionDays: 14,
			offerId: String(BIRTHDAY_COUPON_REWARD_ID),
		});
		expect(campaign!.audience).toBeGreaterThan(0);
		const excluded = members.filter((row) => row.group === 'excluded');
		expect(excluded.every((row) => typeof row.reason === 'string' && row.reason !== '')).toBe(true);
	});

	it('running June 1 again sends nothing twice and assigns no second coupon: the cap counts today’s touches', async () => {
		const eventsBefore = sandbox.state.ometria.events.size;
		const assignmentsBefore = sandbox.state.annex.assignments.length;
		const { run } = await runAgain(june1);
		expect(sandbox.state.ometria.events.size).toBe(eventsBefore);
		expect(sandbox.state.annex.assignments.length).toBe(assignmentsBefore);
		expect(couponsOf(ZHANG_MIN_ID)).toHaveLength(1);
		expect(output(run, 'Key dates due today')).toHaveLength(0);
		const zhang = output(run, 'Key dates due today', 1).find(
			(member) => member.loyaltyId === ZHANG_MIN_ID,
		);
		expect(zhang?.exclusion).toMatchObject({ reason: 'frequency_cap' });
		// The first run's record of her stands: contacted, with her coupon.
		const member = (await rows('loyalty_campaign_members')).find(
			(row) => row.memberKey === `key-date-care-2025-06-01:${ZHANG_MIN_ID}`,
		);
		expect(member).toMatchObject({
			group: 'target',
			couponCode: couponsOf(ZHANG_MIN_ID)[0].rewardCode,
		});
	});

	it('a greeting whose coupon cannot be issued is recorded with the reason, and the low stock raises an alert row', async () => {
		expect(sandbox.state.annex.reward(OUT_OF_STOCK_REWARD_ID)!.stock).toBe(0);
		await runWith(CARE, {
			runDate: '2026-06-01',
			birthdayRewardId: String(OUT_OF_STOCK_REWARD_ID),
		});
		expect(couponsOf(ZHANG_MIN_ID, OUT_OF_STOCK_REWARD_ID)).toHaveLength(0);
		const member = (await rows('loyalty_campaign_members')).find(
			(row) => row.memberKey === `key-date-care-2026-06-01:${ZHANG_MIN_ID}`,
		);
		expect(member).toMatchObject({
			reason: 'coupon_out_of_stock',
			offerId: String(OUT_OF_STOCK_REWARD_ID),
		});
		// The refused claim does not hold the day: a later run may assign once the stock is back.
		expect(
			(await rows('loyalty_coupon_claims')).filter(
				(row) => row.claimKey === `${ZHANG_MIN_ID}:birthday_greeting:2026-06-01`,
			),
		).toEqual([
			expect.objectContaining({
				status: 'failed',
				reason: 'coupon_out_of_stock',
				rewardId: String(OUT_OF_STOCK_REWARD_ID),
			}),
		]);
		// The greeting still went out, without a coupon.
		const greeting = careEvents(ZHANG_MIN_EMAIL).find(
			(event) =>
				event.record.event_type === 'care_birthday_greeting' &&
				(event.record.properties as Row).date === '2026-06-01',
		);
		expect(greeting?.record.properties).toMatchObject({ coupon_code: '' });
		const alerts = await rows('loyalty_sync_alerts');
		expect(
			alerts.find((row) => row.alertKey === `coupon-stock:${OUT_OF_STOCK_REWARD_ID}:2026-06-01`),
		).toMatchObject({
			checks: 'coupon_stock',
			severity: 'critical',
		});
	});

	it('two runs of one greeting day started at once assign one coupon and send one greeting with it; a third run assigns none', async () => {
		const id = await importWorkflow(
			loadTemplate(CARE, credentials, {
				settings: { feedPath, pageSize: 40, runDate: '2027-06-01' },
			}),
		);
		const before = couponsOf(ZHANG_MIN_ID).length;
		await Promise.all([runAgain(id), runAgain(id)]);
		const coupons = couponsOf(ZHANG_MIN_ID).slice(before);
		expect(coupons).toHaveLength(1);
		const greetings = careEvents(ZHANG_MIN_EMAIL).filter(
			(event) =>
				event.record.event_type === 'care_birthday_greeting' &&
				(event.record.properties as Row).date === '2027-06-01',
		);
		expect(greetings.map((event) => (event.record.properties as Row).coupon_code)).toEqual([
			coupons[0].rewardCode,
		]);
		// Both runs passed the frequency cap (neither had recorded a touch yet) and claimed the
		// coupon; the later claim is kept as a repeat, with the run that holds the coupon.
		const claims = (await rows('loyalty_coupon_claims')).filter(
			(row) => row.claimKey === `${ZHANG_MIN_ID}:birthday_greeting:2027-06-01`,
		);
		const assigned = claims.find((row) => row.status === 'assigned');
		expect(assigned).toMatchObject({
			memberId: ZHANG_MIN_ID,
			rewardId: String(BIRTHDAY_COUPON_REWARD_ID),
			couponCode: coupons[0].rewardCode,
		});
		expect(claims.filter((row) => row !== assigned)).toEqual([
			expect.objectContaining({
				status: 'repeat',
				reason: expect.stringMatching(
					`^claimed first by execution ${assigned!.executionId}, (still assigning|which assigned ${coupons[0].rewardCode})$`,
				),
			}),
		]);
		expect(
			(await rows('loyalty_campaign_members')).find(
				(row) => row.memberKey === `key-date-care-2027-06-01:${ZHANG_MIN_ID}`,
			),
		).toMatchObject({
			group: 'target',
			reason: '',
			offerId: String(BIRTHDAY_COUPON_REWARD_ID),
			couponCode: coupons[0].rewardCode,
		});
		const assignmentsBefore = sandbox.state.annex.assignments.length;
		await runAgain(id);
		expect(sandbox.state.annex.assignments.length).toBe(assignmentsBefore);
	});
});
