import type { Cadence } from '../../../nodes/SegmentBuild/logic/keyDates';
import { compileCadence, keyDateStepToday } from '../../../nodes/SegmentBuild/logic/keyDates';
import type { Feb29Rule, ZoneDay } from '../../../nodes/shared/dates';
import { createClock, daysFromCivil, formatDay, isClockFailure } from '../../../nodes/shared/dates';
import { isRuleFailure } from '../../../nodes/shared/memberValues';

function cadenceOf(...args: Parameters<typeof compileCadence>): Cadence {
	const cadence = compileCadence(...args);
	if (isRuleFailure(cadence)) throw new Error(cadence.message);
	return cadence;
}

function zone(asOf: string | number, name = 'UTC'): ZoneDay {
	const clock = createClock(asOf, 'UTC');
	if (isClockFailure(clock)) throw new Error(clock.message);
	return clock.zone(name)!;
}

const DEFAULT = cadenceOf();
const stepOn = (birthDate: string, asOf: string, feb29: Feb29Rule = 'feb28', cadence = DEFAULT) =>
	keyDateStepToday('birthday', birthDate, zone(asOf), cadence, feb29)?.step;

describe('birthday care: Zhang Min, born June 1', () => {
	const zhangMin = '1988-06-01';

	it('warms up on May 25 and greets on June 1', () => {
		expect(keyDateStepToday('birthday', zhangMin, zone('2026-05-25'), DEFAULT, 'feb28')).toEqual({
			kind: 'birthday',
			date: '2026-06-01',
			daysUntil: 7,
			step: 'warm-up',
		});
		expect(stepOn(zhangMin, '2026-06-01')).toBe('greeting');
	});

	it('sends each step on exactly one day: reminders on May 29 and May 31, nothing else', () => {
		const steps: Record<string, string | undefined> = {};
		for (let day = daysFromCivil(2026, 5, 20); day <= daysFromCivil(2026, 6, 3); day++) {
			steps[formatDay(day)] = stepOn(zhangMin, formatDay(day));
		}
		expect(steps).toEqual({
			'2026-05-20': undefined,
			'2026-05-21': undefined,
			'2026-05-22': undefined,
			'2026-05-23': undefined,
			'2026-05-24': undefined,
			'2026-05-25': 'warm-up',
			'2026-05-26': undefined,
			'2026-05-27': undefined,
			'2026-05-28': undefined,
			'2026-05-29': 'reminder',
			'2026-05-30': undefined,
			'2026-05-31': 'reminder',
			'2026-06-01': 'greeting',
			'2026-06-02': undefined,
			'2026-06-03': undefined,
		});
	});

	it('follows the member’s own time zone at the day boundary', () => {
		// 18:00 UTC on May 24 is already May 25 in Shanghai, still May 24 in London.
		const instant = Date.UTC(2026, 4, 24, 18);
		expect(
			keyDateStepToday('birthday', zhangMin, zone(instant, 'Asia/Shanghai'), DEFAULT, 'feb28')
				?.step,
		).toBe('warm-up');
		expect(
			keyDateStepToday('birthday', zhangMin, zone(instant, 'Europe/London'), DEFAULT, 'feb28'),
		).toBeUndefined();
	});
});

describe('key date cadence', () => {
	it('crosses the year end', () => {
		expect(stepOn('1990-01-02', '2026-12-26')).toBe('warm-up');
		expect(
			keyDateStepToday('birthday', '1990-01-02', zone('2026-12-30'), DEFAULT, 'feb28'),
		).toMatchObject({
			date: '2027-01-02',
			daysUntil: 3,
			step: 'reminder',
		});
	});

	it('celebrates February 29 birthdays on February 28 (default) or March 1', () => {
		expect(stepOn('2000-02-29', '2026-02-28')).toBe('greeting');
		expect(stepOn('2000-02-29', '2026-02-21')).toBe('warm-up');
		expect(stepOn('2000-02-29', '2026-03-01', 'mar1')).toBe('greeting');
		expect(stepOn('2000-02-29', '2026-02-28', 'mar1')).toBe('reminder');
		expect(stepOn('2000-02-29', '2028-02-29')).toBe('greeting');
		expect(stepOn('2000-02-29', '2028-02-28')).toBe('reminder');
	});

	it('uses custom step names and offsets', () => {
		const custom = cadenceOf([
			{ daysBefore: 14, name: 'save the date' },
			{ daysBefore: '0', name: '' },
		]);
		expect(stepOn('1990-06-08', '2026-05-25', 'feb28', custom)).toBe('save the date');
		expect(stepOn('1990-05-25', '2026-05-25', 'feb28', custom)).toBe('0 days before');
		expect(stepOn('1990-06-01', '2026-05-25', 'feb28', custom)).toBeUndefined();
	});

	it('refuses repeated or impossible offsets', () => {
		expect(
			compileCadence([
				{ daysBefore: 3, name: 'a' },
				{ daysBefore: 3, name: 'b' },
			]),
		).toMatchObject({ ok: false, field: 'keyDateSteps' });
		expect(compileCadence([{ daysBefore: -1, name: 'a' }])).toMatchObject({ ok: false });
		expect(compileCadence([{ daysBefore: 1.5, name: 'a' }])).toMatchObject({ ok: false });
	});

	it('ignores members without a usable key date', () => {
		expect(
			keyDateStepToday('birthday', undefined, zone('2026-05-25'), DEFAULT, 'feb28'),
		).toBeUndefined();
		expect(
			keyDateStepToday('birthday', 'unknown', zone('2026-05-25'), DEFAULT, 'feb28'),
		).toBeUndefined();
		expect(stepOn('06-01', '2026-06-01')).toBe('greeting');
	});
});
