import { RecentIds } from '../logic/recentIds';

/**
 * Event IDs this process has accepted, per workflow, node and mode: two deliveries of one event
 * arriving together, or a retry minutes later, start the workflow once. The memory is per
 * process and bounded, not shared state: what makes a write happen once is the idempotency key
 * the write itself carries (docs/security.md), so nothing is kept in workflow static data.
 */
const memories = new Map<string, RecentIds>();

export interface EventMemory {
	/** False when the ID was accepted before (a repeated delivery). */
	claim(eventId: string): boolean;
}

export function eventMemory(key: string, capacity: number): EventMemory {
	let memory = memories.get(key);
	if (!memory) {
		memory = new RecentIds(capacity);
		memories.set(key, memory);
	}
	const current = memory;
	return { claim: (eventId) => current.claim(eventId) };
}
