/**
 * Calendar arithmetic on UTC "epoch days" (whole days since 1970-01-01). Generated data keeps
 * dates as day numbers and formats them only when a response needs a string.
 */

import { MS_PER_DAY } from '../nodes/shared/dates';

export function dayOfIsoDate(isoDate: string): number {
	const time = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
	if (Number.isNaN(time)) throw new Error(`Not an ISO date: ${isoDate}`);
	return Math.floor(time / MS_PER_DAY);
}

// Generation formats the same few thousand days millions of times: memoise them.
const isoDateCache = new Map<number, string>();

export function isoDateOfDay(day: number): string {
	let text = isoDateCache.get(day);
	if (text === undefined) {
		text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
		if (isoDateCache.size < 100_000) isoDateCache.set(day, text);
	}
	return text;
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

export function todayIsoDate(): string {
	return new Date().toISOString().slice(0, 10);
}

/** Annex Cloud's documented date-time format, `yyyy-MM-dd'T'HH:mm:ssZ`, e.g. `2024-08-08T07:00:12+0000`. */
export function annexDateTime(time: Date | number): string {
	return `${new Date(time).toISOString().slice(0, 19)}+0000`;
}

export function annexDateTimeOfDay(day: number, secondsIntoDay = 0): string {
	const seconds = Math.floor(secondsIntoDay) % 86_400;
	const clock = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
	return `${isoDateOfDay(day + Math.floor(secondsIntoDay / 86_400))}T${clock}+0000`;
}

/** Monday (ISO weekday 1) of the week that contains `day`. 1970-01-01 was a Thursday. */
export function mondayOf(day: number): number {
	const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
	return day - weekday;
}

/** ISO 8601 week label, e.g. `2025-W07`, for the week containing `day`. */
export function isoWeekLabel(day: number): string {
	const thursday = mondayOf(day) + 3;
	const year = new Date(thursday * MS_PER_DAY).getUTCFullYear();
	const firstThursday = mondayOf(dayOfIsoDate(`${year}-01-04`)) + 3;
	const week = 1 + Math.round((thursday - firstThursday) / 7);
	return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Parses the loose date inputs clients send (`2024-08-08`, `2024-08-08T07:00:12+0000`,
 * `2024-08-08T07:00:12Z`, `…+00:00`). Returns epoch milliseconds, or undefined when unparseable.
 * A bare date means the start of that UTC day, or its end when `endOfDay` is set.
 */
export function parseLooseTime(value: unknown, endOfDay = false): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		const start = Date.parse(`${value}T00:00:00Z`);
		if (Number.isNaN(start)) return undefined;
		return endOfDay ? start + MS_PER_DAY - 1 : start;
	}
	const normalised = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
	const time = Date.parse(normalised);
	return Number.isNaN(time) ? undefined : time;
}
