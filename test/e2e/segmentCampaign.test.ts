/**
 * Acceptance of the member campaigns in a real n8n with the built package installed: members come
 * from the sandbox (HTTP Request on its inspection endpoint, split into one item per member) into
 * Segment Build.
 * - Lapsed Platinum campaign: Platinum members with no purchase in the last 30 days are exactly the fixture's 40, each
 *   with an outreach plan on email, SMS and app push at the configured local times; the
 *   SMS-unsubscribed ones get no SMS, and the campaign log counts them.
 * - Birthday care: Zhang Min (birthday June 1, warm-up 7 days early) gets the warm-up as of May 25 and the
 *   greeting as of June 1; the days between bring the reminders on their own days and never the
 *   warm-up again, and no member gets any step twice.
 */
import { DateTime } from 'luxon';

import { startSandbox, type Sandbox } from '../../sandbox';
import {
	PLATINUM_LAPSED_COUNT,
	PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS,
	PLATINUM_LAPSED_IDS,
	PLATINUM_LAPSED_PUSH_DISABLED_IDS,
	PLATINUM_LAPSED_SMS_REACHABLE_COUNT,
	PLATINUM_LAPSED_SMS_UNSUBSCRIBED_COUNT,
	PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS,
	ZHANG_MIN_ID,
} from '../../sandbox/fixtures';
import {
	executeWorkflow,
	importWorkflow,
	loadFixture,
	startN8nForTests,
	stopN8n,
	type RunLike,
} from './support/n8n';

const AS_OF = '2026-05-25';

type Item = { json: Record<string, unknown>; pairedItem?: unknown };
interface PlannedChannel {
	channel: string;
	address: string;
	sendAt: string;
}
interface Outreach {
	channels: PlannedChannel[];
	suppressedChannels: string[];
	keyDates: Array<{ kind: string; date: string; daysUntil: number; step: string }>;
	offer: { offerId: string } | null;
}

function outputOf(run: RunLike, node: string, output: number): Item[] {
	const runs = run.data.resultData.runData[node] ?? [];
	const main = (runs[runs.length - 1]?.data?.main ?? []) as Array<Item[] | null>;
	return main[output] ?? [];
}

const localTime = (zone: string, day: string, time: string): string =>
	DateTime.fromISO(`${day}T${time}`, { zone }).toISO({ suppressMilliseconds: true }) as string;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ asOf: AS_OF });
	await startN8nForTests();
});

afterAll(async () => {
	await stopN8n();
	await sandbox?.close();
});

describe('member campaigns in a real n8n', () => {
	it('schedules the lapsed Platinum campaign on email, SMS and push at the configured times', async () => {
		const id = await importWorkflow(
			loadFixture('tier-segment/lapsed-platinum.workflow.json', {
				SANDBOX_URL: sandbox.url,
				AS_OF,
			}),
		);
		const result = await executeWorkflow(id);
		expect(result).toMatchObject({ ok: true, status: 'success' });
		const members = outputOf(result.run, 'One item per member', 0);
		expect(members).toHaveLength(102);

		const audience = outputOf(result.run, 'Lapsed Platinum', 0);
		expect(audience).toHaveLength(PLATINUM_LAPSED_COUNT);
		expect(audience.map((item) => item.json.id).sort()).toEqual([...PLATINUM_LAPSED_IDS].sort());
		for (const item of audience) {
			const paired = (item.pairedItem as { item: number }).item;
			expect(members[paired].json.id).toBe(item.json.id);

			const id = item.json.id as string;
			const zone = item.json.timeZone as string;
			const outreach = item.json.outreach as Outreach;
			const expected: PlannedChannel[] = [];
			if (!PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS.includes(id)) {
				expected.push({
					channel: 'email',
					address: item.json.email as string,
					sendAt: localTime(zone, AS_OF, '09:30'),
				});
			}
			if (!PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(id)) {
				expected.push({
					channel: 'sms',
					address: item.json.phone as string,
					sendAt: localTime(zone, '2026-05-26', '12:00'),
				});
			}
			if (!PLATINUM_LAPSED_PUSH_DISABLED_IDS.includes(id)) {
				expected.push({ channel: 'push', address: '', sendAt: localTime(zone, AS_OF, '18:00') });
			}
			expect(outreach.channels).toEqual(expected);
			expect(outreach.suppressedChannels.includes('sms')).toBe(
				PLATINUM_LAPSED_SMS_UNSUBSCRIBED_IDS.includes(id),
			);
		}

		// The campaign log (summary item, last on Excluded) counts the members kept off SMS.
		const excluded = outputOf(result.run, 'Lapsed Platinum', 1);
		expect(excluded).toHaveLength(1);
		expect(excluded[0].json.summary).toMatchObject({
			input: 102,
			invalid: 0,
			matched: PLATINUM_LAPSED_COUNT,
			audience: PLATINUM_LAPSED_COUNT,
			excluded: 0,
			plannedByChannel: {
				email: PLATINUM_LAPSED_COUNT - PLATINUM_LAPSED_EMAIL_UNSUBSCRIBED_IDS.length,
				sms: PLATINUM_LAPSED_SMS_REACHABLE_COUNT,
				push: PLATINUM_LAPSED_COUNT - PLATINUM_LAPSED_PUSH_DISABLED_IDS.length,
			},
			suppressedByChannel: { sms: PLATINUM_LAPSED_SMS_UNSUBSCRIBED_COUNT },
		});
	});

	it('birthday care: the warm-up as of May 25, the greeting as of June 1, and no step twice on the days between', async () => {
		const days = Array.from(
			{ length: 8 },
			(_, offset) =>
				DateTime.fromISO(AS_OF, { zone: 'utc' }).plus({ days: offset }).toISODate() as string,
		);
		const zhangMin: Record<string, Outreach | undefined> = {};
		const stepsByMember = new Map<string, number[]>();
		for (const day of days) {
			const id = await importWorkflow(
				loadFixture('tier-segment/birthday-care.workflow.json', {
					SANDBOX_URL: sandbox.url,
					AS_OF: day,
				}),
			);
			const result = await executeWorkflow(id);
			expect(result).toMatchObject({ ok: true, status: 'success' });
			const audience = outputOf(result.run, 'Birthday care', 0);
			for (const item of audience) {
				const outreach = item.json.outreach as Outreach;
				expect(outreach.keyDates).toHaveLength(1);
				const seen = stepsByMember.get(item.json.id as string) ?? [];
				seen.push(outreach.keyDates[0].daysUntil);
				stepsByMember.set(item.json.id as string, seen);
			}
			zhangMin[day] = audience.find((item) => item.json.id === ZHANG_MIN_ID)?.json.outreach as
				| Outreach
				| undefined;
		}

		const steps = Object.fromEntries(
			days.map((day) => [day, zhangMin[day]?.keyDates.map((step) => step.step) ?? []]),
		);
		expect(steps).toEqual({
			'2026-05-25': ['warm-up'],
			'2026-05-26': [],
			'2026-05-27': [],
			'2026-05-28': [],
			'2026-05-29': ['reminder'],
			'2026-05-30': [],
			'2026-05-31': ['reminder'],
			'2026-06-01': ['greeting'],
		});
		expect(zhangMin['2026-05-25']).toMatchObject({
			keyDates: [{ kind: 'birthday', date: '2026-06-01', daysUntil: 7, step: 'warm-up' }],
			channels: expect.arrayContaining([
				{ channel: 'email', address: 'zhang.min@example.com', sendAt: '2026-05-25T10:00:00+08:00' },
			]),
			offer: { offerId: '1004' },
		});
		expect(zhangMin['2026-06-01']).toMatchObject({
			keyDates: [{ kind: 'birthday', date: '2026-06-01', daysUntil: 0, step: 'greeting' }],
			channels: expect.arrayContaining([
				{ channel: 'email', address: 'zhang.min@example.com', sendAt: '2026-06-01T10:00:00+08:00' },
			]),
			offer: { offerId: '1004' },
		});
		// Over the eight days no member gets the same step (days before the birthday) twice.
		for (const [member, daysUntil] of stepsByMember) {
			expect([member, new Set(daysUntil).size]).toEqual([member, daysUntil.length]);
		}
	});
});
