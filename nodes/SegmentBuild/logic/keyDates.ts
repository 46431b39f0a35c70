import type { Feb29Rule, ZoneDay } from '../../shared/dates';
import { daysUntilAnnual, formatDay, parseMonthDay } from '../../shared/dates';
import type { RuleFailure } from '../../shared/memberValues';
import { toFiniteNumber } from '../../shared/memberValues';

/** One step of a key-date cadence: what to send this many days before the date. */
export interface CadenceStep {
	daysBefore: number | string;
	name: string;
}

/** Default key-date cadence: warm-up a week ahead, reminders, the greeting. */
export const DEFAULT_CADENCE: CadenceStep[] = [
	{ daysBefore: 7, name: 'warm-up' },
	{ daysBefore: 3, name: 'reminder' },
	{ daysBefore: 1, name: 'reminder' },
	{ daysBefore: 0, name: 'greeting' },
];

/** Step names by days-before; each step fires on exactly one day, so nothing is sent twice. */
export type Cadence = Array<string | undefined>;

export function compileCadence(steps: CadenceStep[] = DEFAULT_CADENCE): Cadence | RuleFailure {
	const cadence: Cadence = [];
	for (const [position, step] of steps.entries()) {
		const daysBefore = toFiniteNumber(step.daysBefore);
		const name = String(step.name ?? '').trim();
		if (!(daysBefore >= 0 && daysBefore <= 365 && Number.isInteger(daysBefore))) {
			return {
				ok: false,
				field: 'keyDateSteps',
				message: `Key date step ${position + 1}: days before must be a whole number from 0 to 365`,
			};
		}
		if (cadence[daysBefore] !== undefined) {
			return {
				ok: false,
				field: 'keyDateSteps',
				message: `Key date step ${position + 1}: ${daysBefore} days before is listed twice`,
			};
		}
		cadence[daysBefore] = name || `${daysBefore} days before`;
	}
	return cadence;
}

export interface KeyDateStep {
	/** What the date is, e.g. 'birthday' or 'anniversary'. */
	kind: string;
	/** This year's (or next year's) occurrence, 'YYYY-MM-DD', after the Feb 29 rule. */
	date: string;
	daysUntil: number;
	step: string;
}

/** Days until a member's next key date in their zone, or NaN when the field is not a date. */
export function daysUntilKeyDate(value: unknown, zoneDay: ZoneDay, feb29: Feb29Rule): number {
	const monthDay = parseMonthDay(value);
	return monthDay === monthDay ? daysUntilAnnual(monthDay, zoneDay, feb29) : NaN;
}

/** The cadence step due today for one key date, or undefined when none is. */
export function keyDateStepToday(
	kind: string,
	value: unknown,
	zoneDay: ZoneDay,
	cadence: Cadence,
	feb29: Feb29Rule,
): KeyDateStep | undefined {
	const daysUntil = daysUntilKeyDate(value, zoneDay, feb29);
	if (daysUntil !== daysUntil) return undefined;
	const step = cadence[daysUntil];
	if (step === undefined) return undefined;
	return { kind, date: formatDay(zoneDay.today + daysUntil), daysUntil, step };
}
