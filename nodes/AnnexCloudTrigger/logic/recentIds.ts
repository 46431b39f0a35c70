/**
 * A bounded memory of recently seen event IDs, so a delivery Annex Cloud repeats starts the
 * workflow once. Oldest IDs are forgotten first. It serialises to a plain array (kept in
 * workflow static data between webhook calls).
 */
export const DEFAULT_CAPACITY = 1000;

export class RecentIds {
	private readonly ids = new Map<string, true>();

	constructor(
		private readonly capacity = DEFAULT_CAPACITY,
		initial: readonly string[] = [],
	) {
		this.merge(initial);
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	get size(): number {
		return this.ids.size;
	}

	/** Records the ID; false when it was already known (a duplicate). */
	claim(id: string): boolean {
		if (this.ids.has(id)) return false;
		this.ids.set(id, true);
		this.trim();
		return true;
	}

	/** Adds IDs known elsewhere (e.g. saved static data) without counting them as new deliveries. */
	merge(ids: readonly string[]): void {
		for (const id of ids) if (typeof id === 'string' && !this.ids.has(id)) this.ids.set(id, true);
		this.trim();
	}

	/** Oldest first, at most `capacity` IDs. */
	toArray(): string[] {
		return [...this.ids.keys()];
	}

	private trim(): void {
		const limit = Math.max(1, this.capacity);
		while (this.ids.size > limit) {
			const oldest = this.ids.keys().next().value as string;
			this.ids.delete(oldest);
		}
	}
}
