import { DateTime } from 'luxon';

/**
 * Calendar arithmetic on epoch days (days since 1970-01-01) for the rule modules.
 * Member dates are parsed by hand into day numbers so that rules evaluated over millions of
 * members allocate nothing per member; luxon is used once per time zone to find "today".
 */

export const MS_PER_DAY = 86_400_000;

/** How a February 29 key date is celebrated in a year without one. */
export type Feb29Rule = 'feb28' | 'mar1';

/** An "as of" moment: an instant (number, Date, ISO text with offset) or floating ISO text. */
export type AsOfInput = string | number | Date | undefined | null;

export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
	return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month];
}

/** Epoch day of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const shiftedMonth = month > 2 ? month - 3 : month + 9;
	const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
	const dayOfEra =
		yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146097 + dayOfEra - 719468;
}

export interface CivilDate {
	year: number;
	month: number;
	day: number;
}

// The last civil() result. Module-level scratch values keep per-member date maths
// allocation-free; they are read right after the call that set them.
let civilYear = 0;
let civilMonth = 0;
let civilDay = 0;

/** H. Hinnant's civil_from_days, into civilYear, civilMonth and civilDay. */
function civil(epochDay: number): void {
	const z = epochDay + 719468;
	const era = Math.floor(z / 146097);
	const dayOfEra = z - era * 146097;
	const yearOfEra = Math.floor(
		(dayOfEra -
			Math.floor(dayOfEra / 1460) +
			Math.floor(dayOfEra / 36524) -
			Math.floor(dayOfEra / 146096)) /
			365,
	);
	const dayOfYear =
		dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
	const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
	civilDay = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
	civilMonth = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
	civilYear = yearOfEra + era * 400 + (civilMonth <= 2 ? 1 : 0);
}

export function civilFromDays(epochDay: number): CivilDate {
	civil(epochDay);
	return { year: civilYear, month: civilMonth, day: civilDay };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** 'YYYY-MM-DD' of an epoch day. */
export function formatDay(epochDay: number): string {
	const { year, month, day } = civilFromDays(epochDay);
	return `${year}-${pad2(month)}-${pad2(day)}`;
}

const digit = (text: string, at: number): number => {
	const code = text.charCodeAt(at) - 48;
	return code >= 0 && code <= 9 ? code : NaN;
};

const twoDigits = (text: string, at: number): number => digit(text, at) * 10 + digit(text, at + 1);

// The last parse's zone offset in minutes, or NaN when the text had none. A module-level scratch
// value keeps the hot parse allocation-free; it is read right after the call that set it.
let parsedZoneOffset = NaN;

/**
 * Parses 'YYYY-MM-DD' or an ISO date-time ('T' or space, optional seconds and fraction, optional
 * 'Z' or ±HH[:MM] offset) into the milliseconds of the written wall time read as UTC.
 * Sets parsedZoneOffset. Returns NaN for anything else, including impossible dates (2025-02-29).
 */
function parseWallTime(text: string): number {
	parsedZoneOffset = NaN;
	const length = text.length;
	if (length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
	const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
	const month = twoDigits(text, 5);
	const day = twoDigits(text, 8);
	if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
	const dayMs = daysFromCivil(year, month, day) * MS_PER_DAY;
	if (length === 10) return dayMs;
	const separator = text.charCodeAt(10);
	if (separator !== 84 && separator !== 116 && separator !== 32) return NaN;
	if (length < 16 || text.charCodeAt(13) !== 58) return NaN;
	const hours = twoDigits(text, 11);
	const minutes = twoDigits(text, 14);
	if (!(hours <= 24 && minutes <= 59)) return NaN;
	let timeMs = (hours * 60 + minutes) * 60_000;
	let at = 16;
	if (at < length && text.charCodeAt(at) === 58) {
		const seconds = twoDigits(text, at + 1);
		if (!(seconds <= 60)) return NaN;
		timeMs += seconds * 1000;
		at += 3;
		const mark = text.charCodeAt(at);
		if (at < length && (mark === 46 || mark === 44)) {
			at++;
			let scale = 100;
			while (at < length && digit(text, at) >= 0) {
				timeMs += digit(text, at) * scale;
				scale /= 10;
				at++;
			}
			timeMs = Math.floor(timeMs);
		}
	}
	if (at === length) return dayMs + timeMs;
	const zone = text.charCodeAt(at);
	if ((zone === 90 || zone === 122) && at + 1 === length) {
		parsedZoneOffset = 0;
		return dayMs + timeMs;
	}
	if (zone !== 43 && zone !== 45) return NaN;
	const offsetHours = twoDigits(text, at + 1);
	let offsetMinutes = 0;
	if (at + 3 === length) offsetMinutes = 0;
	else if (at + 6 === length && text.charCodeAt(at + 3) === 58)
		offsetMinutes = twoDigits(text, at + 4);
	else if (at + 5 === length) offsetMinutes = twoDigits(text, at + 3);
	else return NaN;
	const offset = offsetHours * 60 + offsetMinutes;
	if (!(offset <= 18 * 60)) return NaN;
	parsedZoneOffset = zone === 45 ? -offset : offset;
	return dayMs + timeMs;
}

/**
 * The epoch day a member date falls on, seen from a zone with the given UTC offset.
 * A date or a date-time without an offset is a calendar date as written; a date-time with an
 * offset, an epoch-millisecond number or a Date is an instant, converted with the offset.
 * NaN when the value is not a date.
 */
export function parseDay(value: unknown, zoneOffsetMinutes = 0): number {
	if (typeof value === 'string') {
		const wallMs = parseWallTime(value);
		if (wallMs !== wallMs) return NaN;
		if (parsedZoneOffset !== parsedZoneOffset) return Math.floor(wallMs / MS_PER_DAY);
		return Math.floor((wallMs + (zoneOffsetMinutes - parsedZoneOffset) * 60_000) / MS_PER_DAY);
	}
	if (typeof value === 'number') {
		return Number.isFinite(value)
			? Math.floor((value + zoneOffsetMinutes * 60_000) / MS_PER_DAY)
			: NaN;
	}
	if (value instanceof Date) return parseDay(value.getTime(), zoneOffsetMinutes);
	return NaN;
}

/** Epoch milliseconds of a timestamp; text without an offset is read as UTC. NaN if not one. */
export function parseInstant(value: unknown): number {
	if (typeof value === 'string') {
		const wallMs = parseWallTime(value);
		if (wallMs !== wallMs) return NaN;
		return parsedZoneOffset === parsedZoneOffset ? wallMs - parsedZoneOffset * 60_000 : wallMs;
	}
	if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
	if (value instanceof Date) return value.getTime();
	return NaN;
}

/**
 * Month and day of a recurring key date as month * 100 + day (601 for June 1), or NaN.
 * Accepts full dates (the written calendar date, the year ignored), 'MM-DD' and '--MM-DD'.
 */
export function parseMonthDay(value: unknown): number {
	if (typeof value === 'string') {
		const length = value.length;
		let at = -1;
		if (length === 5) at = 0;
		else if (length === 7 && value.charCodeAt(0) === 45 && value.charCodeAt(1) === 45) at = 2;
		if (at >= 0) {
			if (value.charCodeAt(at + 2) !== 45) return NaN;
			const month = twoDigits(value, at);
			const day = twoDigits(value, at + 3);
			return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(2000, month)
				? month * 100 + day
				: NaN;
		}
	}
	const epochDay = parseDay(value);
	if (epochDay !== epochDay) return NaN;
	civil(epochDay);
	return civilMonth * 100 + civilDay;
}

/** "Today" as seen in one time zone. */
export interface ZoneDay {
	zone: string;
	/** The as-of moment in this zone, epoch milliseconds. */
	asOfMs: number;
	/** Epoch day of the as-of moment in this zone. */
	today: number;
	year: number;
	month: number;
	day: number;
	/** UTC offset at the as-of moment, minutes. */
	offsetMinutes: number;
	/** Epoch day of the 1st of each month: index month for this year, 13 + month for next year. */
	monthStarts: Int32Array;
	leapThisYear: boolean;
	leapNextYear: boolean;
}

export interface Clock {
	/** The as-of moment in the default zone, epoch milliseconds. */
	asOfMs: number;
	defaultZone: ZoneDay;
	/** The zone day for a member's zone value; default zone when empty; undefined if unknown. */
	zone(name: unknown): ZoneDay | undefined;
}

export interface ClockFailure {
	ok: false;
	field: 'asOf' | 'timeZone';
	message: string;
}

function zoneDayFrom(moment: DateTime, zone: string): ZoneDay {
	const monthStarts = new Int32Array(26);
	for (let month = 1; month <= 12; month++) {
		monthStarts[month] = daysFromCivil(moment.year, month, 1);
		monthStarts[13 + month] = daysFromCivil(moment.year + 1, month, 1);
	}
	return {
		zone,
		asOfMs: moment.toMillis(),
		today: daysFromCivil(moment.year, moment.month, moment.day),
		year: moment.year,
		month: moment.month,
		day: moment.day,
		offsetMinutes: moment.offset,
		monthStarts,
		leapThisYear: isLeapYear(moment.year),
		leapNextYear: isLeapYear(moment.year + 1),
	};
}

/**
 * A clock fixed at "as of" (default now). Floating text such as '2026-05-25' or
 * '2026-05-25T09:00' means that wall time in every member's own zone, so moving the clock to
 * May 25 makes it May 25 for everybody; text with an offset, a number or a Date is one instant.
 * Zones are resolved with luxon once each and cached.
 */
export function createClock(asOf: AsOfInput, defaultZoneName: string): Clock | ClockFailure {
	const floatingText = typeof asOf === 'string' && asOf.trim() !== '' ? asOf.trim() : undefined;
	let instantMs = Date.now();
	if (asOf instanceof Date) instantMs = asOf.getTime();
	else if (typeof asOf === 'number') instantMs = asOf;
	if (!Number.isFinite(instantMs)) {
		return { ok: false, field: 'asOf', message: `"As Of" is not a valid date: ${String(asOf)}` };
	}
	if (floatingText !== undefined && !DateTime.fromISO(floatingText, { zone: 'UTC' }).isValid) {
		return {
			ok: false,
			field: 'asOf',
			message: `"As Of" is not an ISO date or date-time: ${floatingText}`,
		};
	}
	const cache = new Map<string, ZoneDay | null>();
	const resolve = (zone: string): ZoneDay | undefined => {
		const cached = cache.get(zone);
		if (cached !== undefined) return cached ?? undefined;
		const moment =
			floatingText !== undefined
				? DateTime.fromISO(floatingText, { zone })
				: DateTime.fromMillis(instantMs, { zone });
		const zoneDay = moment.isValid ? zoneDayFrom(moment, zone) : null;
		cache.set(zone, zoneDay);
		return zoneDay ?? undefined;
	};
	const defaultZoneValue = defaultZoneName.trim() === '' ? 'UTC' : defaultZoneName.trim();
	const defaultZone = resolve(defaultZoneValue);
	if (defaultZone === undefined) {
		return {
			ok: false,
			field: 'timeZone',
			message: `Unknown time zone "${defaultZoneName}" (use an IANA name such as Europe/London)`,
		};
	}
	return {
		asOfMs: defaultZone.asOfMs,
		defaultZone,
		zone(name: unknown): ZoneDay | undefined {
			if (name === undefined || name === null || name === '') return defaultZone;
			return typeof name === 'string' ? resolve(name) : undefined;
		},
	};
}

export function isClockFailure(clock: Clock | ClockFailure): clock is ClockFailure {
	return (clock as ClockFailure).ok === false;
}

function occurrenceInYear(
	zoneDay: ZoneDay,
	nextYear: boolean,
	month: number,
	day: number,
	feb29: Feb29Rule,
): number {
	const base = nextYear ? 13 : 0;
	if (month === 2 && day === 29 && !(nextYear ? zoneDay.leapNextYear : zoneDay.leapThisYear)) {
		return feb29 === 'mar1' ? zoneDay.monthStarts[base + 3] : zoneDay.monthStarts[base + 2] + 27;
	}
	return zoneDay.monthStarts[base + month] + day - 1;
}

/**
 * Days from today until the next occurrence of a yearly key date (0 = today, up to 365).
 * The next occurrence may fall in the next year (a Jan 2 birthday seen on Dec 30 is 3 days
 * away). A Feb 29 date falls on Feb 28 or Mar 1 of a common year, per `feb29`.
 */
export function daysUntilAnnual(monthDay: number, zoneDay: ZoneDay, feb29: Feb29Rule): number {
	const month = Math.floor(monthDay / 100);
	const day = monthDay - month * 100;
	const thisYear = occurrenceInYear(zoneDay, false, month, day, feb29);
	if (thisYear >= zoneDay.today) return thisYear - zoneDay.today;
	return occurrenceInYear(zoneDay, true, month, day, feb29) - zoneDay.today;
}

/** Epoch day of the first yearly recurrence of a date, e.g. a tier year's end. */
export function firstAnniversary(epochDay: number, feb29: Feb29Rule): number {
	const { year, month, day } = civilFromDays(epochDay);
	if (month === 2 && day === 29 && !isLeapYear(year + 1)) {
		return feb29 === 'mar1' ? daysFromCivil(year + 1, 3, 1) : daysFromCivil(year + 1, 2, 28);
	}
	return daysFromCivil(year + 1, month, day);
}

/**
 * Whether a yearly date that started on `startDay` recurs today (not on the start day itself),
 * with the February 29 rule.
 */
export function isAnniversaryToday(startDay: number, zoneDay: ZoneDay, feb29: Feb29Rule): boolean {
	if (!(startDay < zoneDay.today)) return false;
	civil(startDay);
	if (civilMonth === zoneDay.month && civilDay === zoneDay.day) return true;
	if (civilMonth !== 2 || civilDay !== 29 || zoneDay.leapThisYear) return false;
	return feb29 === 'mar1'
		? zoneDay.month === 3 && zoneDay.day === 1
		: zoneDay.month === 2 && zoneDay.day === 28;
}

/**
 * An "as of" parameter as the rule modules take it: blank means now; text, numbers and Dates
 * pass through; a date object from an expression ($now, luxon) is read through its ISO text.
 */
export function toAsOfInput(value: unknown): AsOfInput {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
	const toISO = (value as { toISO?: unknown }).toISO;
	if (typeof toISO === 'function') return String(toISO.call(value));
	return String(value);
}
