/**
 * A bounded memory of recently seen event IDs, so a delivery Annex Cloud repeats starts the
 * workflow once. Oldest IDs are forgotten first.
 */
export const DEFAULT_CAPACITY = 1000;

export class RecentIds {
	private readonly ids = new Set<string>();

	constructor(private readonly capacity = DEFAULT_CAPACITY) {}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	get size(): number {
		return this.ids.size;
	}

	/** Records the ID; false when it was already known (a duplicate). */
	claim(id: string): boolean {
		if (this.ids.has(id)) return false;
		this.ids.add(id);
		const limit = Math.max(1, this.capacity);
		while (this.ids.size > limit) this.ids.delete(this.ids.values().next().value as string);
		return true;
	}
}
