/**
 * Annex Cloud writes dates as `yyyy-MM-dd'T'HH:mm:ssZ` (`2024-08-08T07:00:12+0000`), as
 * `yyyy-MM-dd HH:mm:ss` (no zone: read as UTC) or as plain dates. These helpers turn them into
 * epoch milliseconds and ISO strings without any I/O.
 */

import { MS_PER_DAY } from '../../shared/dates';

export function parseAnnexDate(value: unknown): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value <= 0) return undefined;
		// Unix seconds are below 1e12 until the year 33658.
		return value < 1e12 ? value * 1000 : value;
	}
	if (typeof value !== 'string') return undefined;
	let text = value.trim();
	if (text === '' || /^0{4}-0{2}-0{2}/.test(text)) return undefined;
	if (/^\d+$/.test(text)) return parseAnnexDate(Number(text));
	text = text.replace(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)/, '$1T$2');
	// `+0000` → `+00:00`, which Date.parse reads everywhere.
	text = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00Z';
	else if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? undefined : parsed;
}

export function toIso(value: unknown): string | null {
	const ms = parseAnnexDate(value);
	return ms === undefined ? null : new Date(ms).toISOString();
}

/** The format Annex Cloud's search and expiry filters take: `yyyy-MM-dd'T'HH:mm:ss+0000`. */
export function formatAnnexDate(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export interface IsoWeek {
	/** `2024-W05` */
	isoWeek: string;
	/** The Monday the week starts on, `yyyy-MM-dd` (UTC). */
	weekStart: string;
	/** Epoch ms of that Monday 00:00 UTC. */
	weekStartMs: number;
}

/** The ISO-8601 week (Monday start; week 1 holds the year's first Thursday) of an instant, in UTC. */
export function isoWeekOf(ms: number): IsoWeek {
	const date = new Date(ms);
	const dayMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
	const weekday = (new Date(dayMs).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
	const weekStartMs = dayMs - weekday * MS_PER_DAY;
	const thursday = new Date(weekStartMs + 3 * MS_PER_DAY);
	const year = thursday.getUTCFullYear();
	const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * MS_PER_DAY)) + 1;
	return {
		isoWeek: `${year}-W${String(week).padStart(2, '0')}`,
		weekStart: new Date(weekStartMs).toISOString().slice(0, 10),
		weekStartMs,
	};
}

export const WEEK_MS = 7 * MS_PER_DAY;
