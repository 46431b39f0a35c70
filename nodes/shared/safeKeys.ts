/**
 * Keys that must never be copied from input JSON into another object: assigning `__proto__`
 * replaces the target's prototype (and merging into it reaches `Object.prototype`, polluting the
 * whole n8n process), and `constructor` / `prototype` lead to the same objects.
 */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isSafeKey(key: string): boolean {
	return !UNSAFE_KEYS.has(key);
}

/** `Object.entries` without the unsafe keys: what to iterate when copying input into a target. */
export function safeEntries(value: object): Array<[string, unknown]> {
	return Object.entries(value).filter(([key]) => isSafeKey(key));
}
