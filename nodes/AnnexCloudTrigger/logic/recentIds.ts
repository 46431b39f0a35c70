/**
 * A bounded memory of recently seen event IDs, so a delivery Annex Cloud repeats starts the
 * workflow once. Oldest IDs are forgotten first, and, with a time limit, any ID older than it: a
 * redelivery after the limit starts the workflow again, so an event whose run failed is not lost
 * (the workflow's own record of what it sent stops a second send).
 */
export const DEFAULT_CAPACITY = 1000;

export class RecentIds {
	/** Each ID with when it was claimed (ms), oldest first. */
	private readonly ids = new Map<string, number>();

	constructor(
		private readonly capacity = DEFAULT_CAPACITY,
		/** Forget an ID this long after it was claimed; 0 keeps it until capacity pushes it out. */
		private readonly forgetAfterMs = 0,
	) {}

	has(id: string, now = Date.now()): boolean {
		this.forgetExpired(now);
		return this.ids.has(id);
	}

	get size(): number {
		return this.ids.size;
	}

	/** Records the ID; false when it was already known (a duplicate). */
	claim(id: string, now = Date.now()): boolean {
		this.forgetExpired(now);
		if (this.ids.has(id)) return false;
		this.ids.set(id, now);
		const limit = Math.max(1, this.capacity);
		while (this.ids.size > limit) this.ids.delete(this.ids.keys().next().value as string);
		return true;
	}

	private forgetExpired(now: number): void {
		if (this.forgetAfterMs <= 0) return;
		for (const [id, claimedAt] of this.ids) {
			if (now - claimedAt < this.forgetAfterMs) break;
			this.ids.delete(id);
		}
	}
}
