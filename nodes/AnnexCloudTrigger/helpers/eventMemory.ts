import { RecentIds } from '../logic/recentIds';

/**
 * Event IDs this process has accepted, per workflow, node, mode and settings: two deliveries of
 * one event arriving together, or a retry soon after, start the workflow once. The memory is per
 * process and bounded, not shared state: what makes a write happen once is the idempotency key
 * the write itself carries and the templates' Data Table records (docs/security.md,
 * docs/queue-mode.md), so nothing is kept in workflow static data.
 */
const memories = new Map<string, RecentIds>();

export interface EventMemory {
	/** False when the ID was accepted before (a repeated delivery). */
	claim(eventId: string): boolean;
}

export function eventMemory(key: string, capacity: number, forgetAfterMs = 0): EventMemory {
	const memoryKey = `${key}:${capacity}:${forgetAfterMs}`;
	let memory = memories.get(memoryKey);
	if (!memory) {
		memory = new RecentIds(capacity, forgetAfterMs);
		memories.set(memoryKey, memory);
	}
	const current = memory;
	return { claim: (eventId) => current.claim(eventId) };
}
