import type { IDataObject } from 'n8n-workflow';

import { RecentIds } from '../logic/recentIds';

/**
 * Event IDs this process has accepted, per workflow, node and mode. Static data is written back
 * only after an execution, so two deliveries of one event arriving together would both miss it
 * there; this map closes that gap within the process, and static data carries the memory across
 * restarts and to other main processes.
 */
const memories = new Map<string, RecentIds>();

export interface EventMemory {
	/** False when the ID was accepted before (a repeated delivery). */
	claim(eventId: string): boolean;
	/** Writes the memory back to static data, so it survives the process. */
	persist(): void;
}

export function eventMemory(
	key: string,
	capacity: number,
	staticData: IDataObject | undefined,
): EventMemory {
	let memory = memories.get(key);
	if (!memory) {
		memory = new RecentIds(capacity);
		memories.set(key, memory);
	}
	const saved = staticData?.recentEventIds;
	if (Array.isArray(saved)) memory.merge(saved.map(String));
	const current = memory;
	return {
		claim: (eventId) => current.claim(eventId),
		persist: () => {
			if (staticData) staticData.recentEventIds = current.toArray();
		},
	};
}
