import type { Clock, ZoneDay } from '../../nodes/shared/dates';
import {
	civilFromDays,
	createClock,
	daysFromCivil,
	daysUntilAnnual,
	firstAnniversary,
	formatDay,
	isClockFailure,
	isLeapYear,
	parseDay,
	parseInstant,
	parseMonthDay,
	toAsOfInput,
} from '../../nodes/shared/dates';

const day = (text: string): number => parseDay(text);

function clockAt(asOf: Parameters<typeof createClock>[0], zone = 'UTC'): Clock {
	const clock = createClock(asOf, zone);
	if (isClockFailure(clock)) throw new Error(clock.message);
	return clock;
}

function zoneDay(asOf: string, zone = 'UTC'): ZoneDay {
	const found = clockAt(asOf).zone(zone);
	if (found === undefined) throw new Error(`unknown zone ${zone}`);
	return found;
}

describe('civil calendar arithmetic', () => {
	it('puts 1970-01-01 at day 0 and agrees with Date.UTC', () => {
		expect(daysFromCivil(1970, 1, 1)).toBe(0);
		for (const [y, m, d] of [
			[2000, 2, 29],
			[1900, 3, 1],
			[2024, 12, 31],
			[1969, 12, 31],
			[1601, 1, 1],
		]) {
			expect(daysFromCivil(y, m, d)).toBe(Date.UTC(y, m - 1, d) / 86_400_000);
		}
	});

	it('round-trips every day from 1899 to 2101', () => {
		for (
			let epochDay = daysFromCivil(1899, 1, 1);
			epochDay <= daysFromCivil(2101, 1, 1);
			epochDay++
		) {
			const { year, month, day: dayOfMonth } = civilFromDays(epochDay);
			expect(daysFromCivil(year, month, dayOfMonth)).toBe(epochDay);
		}
	});

	it('knows leap years, including century rules', () => {
		expect([2024, 2000, 1996].map(isLeapYear)).toEqual([true, true, true]);
		expect([2026, 1900, 2100].map(isLeapYear)).toEqual([false, false, false]);
	});

	it('formats epoch days as YYYY-MM-DD', () => {
		expect(formatDay(daysFromCivil(2026, 6, 1))).toBe('2026-06-01');
		expect(formatDay(daysFromCivil(2028, 2, 29))).toBe('2028-02-29');
	});
});

describe('parseDay', () => {
	it('reads calendar dates as written', () => {
		expect(day('2026-06-01')).toBe(daysFromCivil(2026, 6, 1));
		expect(day('2024-02-29')).toBe(daysFromCivil(2024, 2, 29));
	});

	it('refuses impossible and malformed dates', () => {
		for (const bad of [
			'2025-02-29',
			'2026-13-01',
			'2026-00-10',
			'2026-04-31',
			'2026-6-1',
			'June 1',
			'',
			'2026-06-01X',
		]) {
			expect(parseDay(bad)).toBeNaN();
		}
		expect(parseDay(null)).toBeNaN();
		expect(parseDay(undefined)).toBeNaN();
		expect(parseDay({})).toBeNaN();
		expect(parseDay(Number.NaN)).toBeNaN();
		expect(parseDay('2026-06-01T25:00:00Z')).toBeNaN();
		expect(parseDay('2026-06-01T10:00:00+2')).toBeNaN();
	});

	it('keeps the written date of a date-time without an offset', () => {
		expect(parseDay('2026-05-31T23:30:00', 480)).toBe(daysFromCivil(2026, 5, 31));
		expect(parseDay('2026-05-31 08:00', -420)).toBe(daysFromCivil(2026, 5, 31));
	});

	it('converts instants into the zone (time zone boundaries)', () => {
		// 20:00 UTC on May 31 is already June 1 in Shanghai (+08:00), still May 31 in Los Angeles.
		expect(parseDay('2026-05-31T20:00:00Z', 480)).toBe(daysFromCivil(2026, 6, 1));
		expect(parseDay('2026-05-31T20:00:00Z', -420)).toBe(daysFromCivil(2026, 5, 31));
		expect(parseDay('2026-06-01T01:00:00+02:00', 0)).toBe(daysFromCivil(2026, 5, 31));
		expect(parseDay('2026-06-01T01:00:00.123456+0200', 0)).toBe(daysFromCivil(2026, 5, 31));
		expect(parseDay('2026-06-01T01:00:00-05', 0)).toBe(daysFromCivil(2026, 6, 1));
		expect(parseDay(Date.UTC(2026, 4, 31, 20), 480)).toBe(daysFromCivil(2026, 6, 1));
		expect(parseDay(new Date(Date.UTC(2026, 4, 31, 20)), 0)).toBe(daysFromCivil(2026, 5, 31));
	});
});

describe('parseInstant', () => {
	it('reads offsets, Z, and treats offset-less text as UTC', () => {
		expect(parseInstant('2026-05-31T20:00:00Z')).toBe(Date.UTC(2026, 4, 31, 20));
		expect(parseInstant('2026-05-31T22:00:00+02:00')).toBe(Date.UTC(2026, 4, 31, 20));
		expect(parseInstant('2026-05-31T20:00:00.250')).toBe(Date.UTC(2026, 4, 31, 20, 0, 0, 250));
		expect(parseInstant('2026-05-31')).toBe(Date.UTC(2026, 4, 31));
		expect(parseInstant(42)).toBe(42);
		expect(parseInstant('soon')).toBeNaN();
	});
});

describe('parseMonthDay', () => {
	it('reads full dates, MM-DD and --MM-DD', () => {
		expect(parseMonthDay('1990-06-01')).toBe(601);
		expect(parseMonthDay('06-01')).toBe(601);
		expect(parseMonthDay('--12-31')).toBe(1231);
		expect(parseMonthDay('02-29')).toBe(229);
		expect(parseMonthDay('2000-02-29T00:00:00Z')).toBe(229);
	});

	it('refuses what is not a month and day', () => {
		expect(parseMonthDay('02-30')).toBeNaN();
		expect(parseMonthDay('13-01')).toBeNaN();
		expect(parseMonthDay('0601')).toBeNaN();
		expect(parseMonthDay(undefined)).toBeNaN();
	});
});

describe('createClock', () => {
	it('makes a floating as-of date the same calendar day in every zone', () => {
		const clock = clockAt('2026-05-25');
		for (const zone of ['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
			expect(formatDay(clock.zone(zone)!.today)).toBe('2026-05-25');
		}
		expect(clock.zone('Asia/Shanghai')!.offsetMinutes).toBe(480);
	});

	it('sees an instant on different days across zones', () => {
		const clock = clockAt('2026-05-31T20:00:00Z');
		expect(formatDay(clock.zone('UTC')!.today)).toBe('2026-05-31');
		expect(formatDay(clock.zone('Asia/Shanghai')!.today)).toBe('2026-06-01');
		expect(formatDay(clock.zone('America/Los_Angeles')!.today)).toBe('2026-05-31');
		expect(formatDay(clockAt(Date.UTC(2026, 4, 31, 20)).zone('Asia/Tokyo')!.today)).toBe(
			'2026-06-01',
		);
	});

	it('uses the default zone for blank member zones and caches zones', () => {
		const clock = clockAt('2026-05-25', 'Europe/London');
		expect(clock.zone('')).toBe(clock.defaultZone);
		expect(clock.zone(undefined)).toBe(clock.defaultZone);
		expect(clock.zone('Asia/Shanghai')).toBe(clock.zone('Asia/Shanghai'));
		expect(clock.zone('Mars/Olympus')).toBeUndefined();
		expect(clock.zone(42)).toBeUndefined();
	});

	it('defaults to now', () => {
		const clock = clockAt(undefined);
		expect(Math.abs(clock.asOfMs - Date.now())).toBeLessThan(5000);
	});

	it('reports a bad as-of date or default zone as a failure naming the parameter', () => {
		expect(createClock('next tuesday', 'UTC')).toMatchObject({ ok: false, field: 'asOf' });
		expect(createClock(Number.NaN, 'UTC')).toMatchObject({ ok: false, field: 'asOf' });
		expect(createClock('2026-05-25', 'Nowhere/Land')).toMatchObject({
			ok: false,
			field: 'timeZone',
		});
	});
});

describe('daysUntilAnnual', () => {
	it('counts days to this year’s date, and 0 on the day', () => {
		expect(daysUntilAnnual(601, zoneDay('2026-05-25'), 'feb28')).toBe(7);
		expect(daysUntilAnnual(601, zoneDay('2026-06-01'), 'feb28')).toBe(0);
	});

	it('crosses the year end', () => {
		expect(daysUntilAnnual(102, zoneDay('2026-12-30'), 'feb28')).toBe(3);
		expect(daysUntilAnnual(1230, zoneDay('2026-12-31'), 'feb28')).toBe(364);
	});

	it('moves February 29 to February 28 or March 1 in common years', () => {
		expect(daysUntilAnnual(229, zoneDay('2026-02-28'), 'feb28')).toBe(0);
		expect(daysUntilAnnual(229, zoneDay('2026-02-28'), 'mar1')).toBe(1);
		expect(daysUntilAnnual(229, zoneDay('2028-02-28'), 'feb28')).toBe(1);
		// Seen from a common year, next year's leap day is the real February 29.
		expect(daysUntilAnnual(229, zoneDay('2027-03-01'), 'feb28')).toBe(365);
	});
});

describe('firstAnniversary', () => {
	it('is one calendar year later, with the February 29 rule', () => {
		expect(formatDay(firstAnniversary(day('2025-05-25'), 'feb28'))).toBe('2026-05-25');
		expect(formatDay(firstAnniversary(day('2024-02-29'), 'feb28'))).toBe('2025-02-28');
		expect(formatDay(firstAnniversary(day('2024-02-29'), 'mar1'))).toBe('2025-03-01');
	});
});

describe('toAsOfInput', () => {
	it('treats blanks as now and reads date objects from expressions', () => {
		expect(toAsOfInput('')).toBeUndefined();
		expect(toAsOfInput(null)).toBeUndefined();
		expect(toAsOfInput('2026-05-25')).toBe('2026-05-25');
		expect(toAsOfInput({ toISO: () => '2026-05-25T10:00:00.000+02:00' })).toBe(
			'2026-05-25T10:00:00.000+02:00',
		);
	});
});
