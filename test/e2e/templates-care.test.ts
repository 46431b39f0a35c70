/**
 * Acceptance: template 04 (key-date care) imported as shipped into a real n8n, with only the
 * credentials bound and the Segment Build "as of" date set, run against the sandbox.
 * Birthday care for Zhang Min (warm-up on May 25, greeting and birthday coupon on June 1, nothing
 * twice on a second June 1 run) and unsubscribes respected.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import { BIRTHDAY_COUPON_REWARD_ID, ZHANG_MIN_EMAIL, ZHANG_MIN_ID } from '../../sandbox/fixtures';
import {
	importWorkflow,
	nodeOutput,
	startN8nForTests,
	stopN8n,
	type CredentialRef,
} from './support/n8n';
import {
	importSandboxCredentials,
	loadTemplate,
	runTemplate,
	type TemplateRun,
} from './support/templates';

const TEMPLATE = '04-key-date-care.json';

let sandbox: Sandbox;
let credentials: CredentialRef[];

beforeAll(async () => {
	sandbox = await startSandbox({ members: 0, asOf: '2025-05-25' });
	await startN8nForTests();
	credentials = await importSandboxCredentials(sandbox);
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

async function run(workflowId: string): Promise<TemplateRun> {
	const result = await runTemplate(workflowId);
	if (!result.ok) throw new Error(`run failed in ${result.failedNode}: ${result.error}`);
	await sandbox.state.ometria.whenIdle();
	return result;
}

const careEvents = (email: string) =>
	[...sandbox.state.ometria.events.values()].filter(
		(event) =>
			event.record.identity_email === email && String(event.record.event_type).startsWith('care_'),
	);
const couponsOf = (memberId: string) =>
	sandbox.state.annex.assignments.filter(
		(assignment) =>
			assignment.user_id === memberId && assignment.reward_id === BIRTHDAY_COUPON_REWARD_ID,
	);

describe('04 key-date care', () => {
	it('as of May 25 Zhang Min gets the birthday warm-up, and no coupon yet', async () => {
		const id = await importWorkflow(loadTemplate(TEMPLATE, credentials, { asOf: '2025-05-25' }));
		const result = await run(id);
		const events = careEvents(ZHANG_MIN_EMAIL);
		expect(events.map((event) => event.record.event_type)).toContain('care_birthday_warm_up');
		const warmUp = events.find((event) => event.record.event_type === 'care_birthday_warm_up')!;
		expect(warmUp.record.properties).toMatchObject({
			date: '2025-06-01',
			days_until: 7,
			loyalty_id: ZHANG_MIN_ID,
		});
		expect(couponsOf(ZHANG_MIN_ID)).toHaveLength(0);
		expect(nodeOutput(result.run, 'Assign birthday coupon')).toHaveLength(0);
	});

	let june1: string;
	let firstJune1: TemplateRun;

	it('as of June 1 the greeting is sent with a birthday coupon assigned in Annex Cloud', async () => {
		june1 = await importWorkflow(loadTemplate(TEMPLATE, credentials, { asOf: '2025-06-01' }));
		firstJune1 = await run(june1);
		const coupons = couponsOf(ZHANG_MIN_ID);
		expect(coupons).toHaveLength(1);
		const greeting = careEvents(ZHANG_MIN_EMAIL).find(
			(event) => event.record.event_type === 'care_birthday_greeting',
		);
		expect(greeting).toBeDefined();
		expect(greeting!.record.properties).toMatchObject({
			date: '2025-06-01',
			days_until: 0,
			coupon_code: coupons[0].rewardCode,
		});
	});

	it('running June 1 a second time sends nothing twice and assigns no second coupon', async () => {
		const eventsBefore = sandbox.state.ometria.events.size;
		const duplicatesBefore = [...sandbox.state.ometria.events.values()].reduce(
			(sum, event) => sum + event.duplicates,
			0,
		);
		const assignmentsBefore = sandbox.state.annex.assignments.length;
		const second = await run(june1);
		expect(sandbox.state.ometria.events.size).toBe(eventsBefore);
		expect(sandbox.state.annex.assignments.length).toBe(assignmentsBefore);
		expect(couponsOf(ZHANG_MIN_ID)).toHaveLength(1);
		const duplicatesAfter = [...sandbox.state.ometria.events.values()].reduce(
			(sum, event) => sum + event.duplicates,
			0,
		);
		// The stored one-touch-per-day cap keeps every member out, so nothing is even pushed again.
		expect(nodeOutput(second.run, 'Key dates due today')).toHaveLength(0);
		expect(nodeOutput(second.run, 'Points expiring soon')).toHaveLength(0);
		expect(duplicatesAfter).toBe(duplicatesBefore);
	});

	it('unsubscribed channels are never planned, and fully unsubscribed members get nothing', () => {
		const audience = nodeOutput(firstJune1.run, 'Key dates due today');
		expect(audience.length).toBeGreaterThan(0);
		for (const member of audience) {
			const annexMember = sandbox.state.annex.member(String(member.loyaltyId))!;
			const outreach = member.outreach as { channels: Array<{ channel: string }> };
			for (const { channel } of outreach.channels) {
				expect(annexMember.consent[channel as 'email' | 'sms' | 'push']).toBe(true);
			}
		}
		const excluded = (
			firstJune1.run.data.resultData.runData['Key dates due today'][0].data?.main?.[1] ?? []
		).map((item) => item.json);
		const unsubscribed = excluded.filter(
			(member) =>
				(member.exclusion as { reason?: string } | undefined)?.reason ===
				'unsubscribed_all_channels',
		);
		for (const member of unsubscribed) {
			expect(careEvents(String(member.email))).toHaveLength(0);
			expect(couponsOf(String(member.loyaltyId))).toHaveLength(0);
		}
	});
});
