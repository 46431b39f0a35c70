import { deterministicEventId } from '../../../../nodes/Ometria/logic/eventMapping';
import { startSandbox, type Sandbox } from '../../../../sandbox';
import { OMETRIA_NODE, runOperation } from '../support';

/**
 * 20,000 contacts and 20,000 events through a push endpoint that answers 10% of requests 429,
 * 5% 503 and drops 2% of connections: every contact and every event arrives, no event twice.
 * The sandbox's rate limit is raised to 50/s so the suite stays quick; the fault shares are as
 * specified.
 */

const COUNT = 20_000;
const RATE = 50;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ ometria: { pushRatePerSecond: RATE } });
	sandbox.setFaults({ 'ometria.push': { rate429: 0.1, rate5xx: 0.05, rateDrop: 0.02 } });
});
afterAll(async () => await sandbox.close());

const options = { maxRequestsPerSecond: RATE, includeSummary: true, verifyWaitSeconds: 0.5 };

function summaryOf(run: Awaited<ReturnType<typeof runOperation>>) {
	const success = run.output(OMETRIA_NODE, 0);
	return {
		delivered: success.length - 1,
		summary: success.at(-1)?.summary as Record<string, number>,
	};
}

describe('Ometria push under faults (workflow)', () => {
	it(`delivers ${COUNT} contacts and ${COUNT} events exactly once`, async () => {
		const members = Array.from({ length: COUNT }, (_, index) => ({
			loyaltyId: `m-${index}`,
			email: `m${index}@example.com`,
			availablePoints: index,
			currentTier: 'Silver',
		}));
		const contacts = await runOperation(sandbox, 'contact/upsert', { options }, members);
		expect(contacts.error).toBeUndefined();
		const contactRun = summaryOf(contacts);
		expect(contactRun.delivered).toBe(COUNT);
		expect(contacts.output(OMETRIA_NODE, 1)).toEqual([]);

		const events = await runOperation(
			sandbox,
			'customEvent/send',
			{
				sourceEventId: '={{ "act-" + $json.loyaltyId }}',
				timestamp: '2025-01-10T12:00:00Z',
				options,
			},
			members,
		);
		expect(events.error).toBeUndefined();
		const eventRun = summaryOf(events);
		expect(eventRun.delivered).toBe(COUNT);
		expect(events.output(OMETRIA_NODE, 1)).toEqual([]);

		await sandbox.state.ometria.whenIdle();
		const ometria = sandbox.state.ometria;
		expect(ometria.contactsIn('loyalty')).toHaveLength(COUNT);
		for (const member of members)
			expect(ometria.contact(member.loyaltyId, 'loyalty')).toBeDefined();
		expect(ometria.events.size).toBe(COUNT);
		for (const member of members) {
			const id = deterministicEventId({
				eventType: 'annex_loy_point_accrual',
				sourceEventId: `act-${member.loyaltyId}`,
			});
			expect(ometria.events.get(id)?.duplicates).toBe(0);
		}
		expect(ometria.counters.duplicateEvents).toBe(0);
		expect(ometria.errors).toHaveLength(0);

		const injected = sandbox.stats().faultsInjected as Record<string, Record<string, number>>;
		for (const { summary } of [contactRun, eventRun]) {
			expect(summary).toMatchObject({
				sent: COUNT,
				accepted: COUNT,
				rejected: 0,
				requests: COUNT / 100,
			});
			expect(summary.retries).toBeGreaterThan(0);
		}
		const retries = contactRun.summary.retries + eventRun.summary.retries;
		const faults = injected['ometria.push'];
		// Every injected fault (and every real 429) cost exactly one retry.
		expect(retries).toBe(
			faults['429'] + faults['5xx'] + faults.drop + ometria.counters.rateLimited429,
		);
		console.log(
			JSON.stringify({
				injected: faults,
				sandbox429: ometria.counters.rateLimited429,
				contacts: contactRun.summary,
				events: eventRun.summary,
			}),
		);
	}, 600_000);
});
