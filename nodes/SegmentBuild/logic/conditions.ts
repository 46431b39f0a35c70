import type { Feb29Rule, ZoneDay } from '../../shared/dates';
import { parseDay } from '../../shared/dates';
import type { FieldReader, RuleFailure } from '../../shared/memberValues';
import {
	compileFieldPath,
	consentState,
	isBlank,
	isRuleFailure,
	toFiniteNumber,
	toStringList,
} from '../../shared/memberValues';
import type { Cadence } from './keyDates';
import { daysUntilKeyDate } from './keyDates';

export type NumberOperator = 'equals' | 'notEquals' | 'gt' | 'gte' | 'lt' | 'lte';
export type FieldOperator =
	| NumberOperator
	| 'contains'
	| 'notContains'
	| 'exists'
	| 'notExists'
	| 'isIn'
	| 'isNotIn';

/**
 * One rule over a member. `field` is a dot path into the member record.
 * - tier: the tier is (not) one of `tiers`, case-insensitive.
 * - points: a number compared with `value`.
 * - daysSince: days from a date (last purchase or activity) to today; a member with no date
 *   counts as never, so "more than 30 days" matches them.
 * - keyDateWithin: a yearly date (birthday, anniversary) falls within the next `days` days,
 *   today included.
 * - keyDateStep: a cadence step of a yearly date is due today.
 * - pointsExpiringWithin: the expiry date is within the next `days` days (today included) and,
 *   when `pointsField` holds a number, more than 0 points expire.
 * - activityDeclining: the last `weeks` week-on-week changes of a weekly series (oldest first,
 *   numbers, {count, points} or {activityCount, pointsEarned} objects, or a summary with a
 *   `weeks` array) are all declines; `weeks` declines need weeks + 1 entries.
 * - consent: consent for a channel is (not) given.
 * - field: any field compared with `value`; numeric when both sides are numbers, otherwise
 *   text compared case-insensitively.
 */
export type Condition =
	| { type: 'tier'; field: string; operator: 'isIn' | 'isNotIn'; tiers: string[] | string }
	| { type: 'points'; field: string; operator: NumberOperator; value: number | string }
	| { type: 'daysSince'; field: string; operator: NumberOperator; value: number | string }
	| { type: 'keyDateWithin'; field: string; days: number | string }
	| { type: 'keyDateStep'; field: string }
	| { type: 'pointsExpiringWithin'; field: string; days: number | string; pointsField?: string }
	| {
			type: 'activityDeclining';
			field: string;
			weeks: number | string;
			metric?: 'count' | 'points';
	  }
	| { type: 'consent'; field: string; granted: boolean }
	| { type: 'field'; field: string; operator: FieldOperator; value?: unknown };

export type Combinator = 'and' | 'or';

export interface RuleGroup {
	combinator: Combinator;
	conditions: Condition[];
}

/** Groups combined by `combinator`; no groups (or only empty ones) match every member. */
export interface SegmentRules {
	combinator: Combinator;
	groups: RuleGroup[];
}

export interface ConditionContext {
	feb29: Feb29Rule;
	cadence: Cadence;
}

export type MemberPredicate = (member: unknown, zoneDay: ZoneDay) => boolean;

const matchAll: MemberPredicate = () => true;

const compareNumbers = (operator: NumberOperator, left: number, right: number): boolean => {
	switch (operator) {
		case 'equals':
			return left === right;
		case 'notEquals':
			return left !== right;
		case 'gt':
			return left > right;
		case 'gte':
			return left >= right;
		case 'lt':
			return left < right;
		case 'lte':
			return left <= right;
	}
};

const NUMBER_OPERATORS = new Set(['equals', 'notEquals', 'gt', 'gte', 'lt', 'lte']);
const FIELD_OPERATORS = new Set([
	...NUMBER_OPERATORS,
	'contains',
	'notContains',
	'exists',
	'notExists',
	'isIn',
	'isNotIn',
]);

/** A numeric predicate specialised per operator, so the hot path has no switch. */
function numberTest(operator: NumberOperator, target: number): (value: number) => boolean {
	switch (operator) {
		case 'equals':
			return (value) => value === target;
		case 'notEquals':
			return (value) => value !== target;
		case 'gt':
			return (value) => value > target;
		case 'gte':
			return (value) => value >= target;
		case 'lt':
			return (value) => value < target;
		case 'lte':
			return (value) => value <= target;
	}
}

const lowerText = (value: unknown): string =>
	typeof value === 'string' ? value.toLowerCase() : String(value).toLowerCase();

function compileFieldComparison(
	read: FieldReader,
	operator: FieldOperator,
	expected: unknown,
): MemberPredicate {
	const expectedText = isBlank(expected) ? '' : lowerText(expected).trim();
	const expectedNumber = toFiniteNumber(expected);
	const expectedList = toStringList(expected).map((entry) => entry.toLowerCase());
	const contains = (value: unknown): boolean => {
		if (Array.isArray(value)) return value.some((entry) => lowerText(entry) === expectedText);
		return !isBlank(value) && lowerText(value).includes(expectedText);
	};
	const equals = (value: unknown): boolean => {
		if (isBlank(value)) return expectedText === '';
		if (expectedNumber === expectedNumber) {
			const number = toFiniteNumber(value);
			if (number === number) return number === expectedNumber;
		}
		return typeof value !== 'object' && lowerText(value) === expectedText;
	};
	switch (operator) {
		case 'exists':
			return (member) => !isBlank(read(member));
		case 'notExists':
			return (member) => isBlank(read(member));
		case 'contains':
			return (member) => contains(read(member));
		case 'notContains':
			return (member) => !contains(read(member));
		case 'equals':
			return (member) => equals(read(member));
		case 'notEquals':
			return (member) => !equals(read(member));
		case 'isIn':
		case 'isNotIn': {
			const wanted = new Set(expectedList);
			const isIn = (value: unknown): boolean =>
				!isBlank(value) && typeof value !== 'object' && wanted.has(lowerText(value).trim());
			return operator === 'isIn' ? (member) => isIn(read(member)) : (member) => !isIn(read(member));
		}
		default: {
			// Ordering: numbers when both sides are numbers, otherwise text (ISO dates order as text).
			return (member) => {
				const value = read(member);
				if (isBlank(value) || typeof value === 'object') return false;
				if (expectedNumber === expectedNumber) {
					const number = toFiniteNumber(value);
					if (number === number) return compareNumbers(operator, number, expectedNumber);
				}
				const text = lowerText(value);
				return compareNumbers(operator, text < expectedText ? -1 : text > expectedText ? 1 : 0, 0);
			};
		}
	}
}

// The Annex Cloud node's weekly summary names these activityCount and pointsEarned.
const weeklyValue = (entry: unknown, metric: 'count' | 'points'): number => {
	if (entry === null || typeof entry !== 'object') return toFiniteNumber(entry);
	const week = entry as Record<string, unknown>;
	return toFiniteNumber(
		metric === 'count' ? (week.count ?? week.activityCount) : (week.points ?? week.pointsEarned),
	);
};

/**
 * True when the last `weeks` changes of a weekly series (oldest first) are all strict declines.
 * The series is an array of numbers or week objects, or a summary object with a `weeks` array.
 */
export function isDeclining(value: unknown, weeks: number, metric: 'count' | 'points'): boolean {
	const series =
		value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as { weeks?: unknown }).weeks
			: value;
	if (!Array.isArray(series) || series.length < weeks + 1) return false;
	let later = weeklyValue(series[series.length - 1], metric);
	if (later !== later) return false;
	for (let index = series.length - 2; index >= series.length - 1 - weeks; index--) {
		const earlier = weeklyValue(series[index], metric);
		if (!(earlier > later)) return false;
		later = earlier;
	}
	return true;
}

const conditionFailure = (label: string, message: string): RuleFailure => ({
	ok: false,
	field: 'groups',
	message: `${label}: ${message}`,
});

const wholeDays = (value: unknown): number => {
	const days = toFiniteNumber(value);
	return days >= 0 && Number.isInteger(days) ? days : NaN;
};

export function compileCondition(
	condition: Condition,
	context: ConditionContext,
	label = 'Condition',
): MemberPredicate | RuleFailure {
	if (condition.type !== 'field' && !String(condition.field ?? '').trim()) {
		return conditionFailure(label, `no member field for the ${condition.type} rule`);
	}
	const read = compileFieldPath(condition.field ?? '');
	switch (condition.type) {
		case 'tier': {
			const tiers = new Set(toStringList(condition.tiers).map((tier) => tier.toLowerCase()));
			if (tiers.size === 0) return conditionFailure(label, 'no tiers listed');
			const isIn = (value: unknown): boolean =>
				!isBlank(value) && typeof value !== 'object' && tiers.has(lowerText(value).trim());
			return condition.operator === 'isNotIn'
				? (member) => !isIn(read(member))
				: (member) => isIn(read(member));
		}
		case 'points': {
			const target = toFiniteNumber(condition.value);
			if (target !== target) return conditionFailure(label, 'the points value is not a number');
			if (!NUMBER_OPERATORS.has(condition.operator)) {
				return conditionFailure(label, `unknown operator "${condition.operator}"`);
			}
			const test = numberTest(condition.operator, target);
			return (member) => {
				const points = toFiniteNumber(read(member));
				return points === points && test(points);
			};
		}
		case 'daysSince': {
			const target = toFiniteNumber(condition.value);
			if (target !== target) return conditionFailure(label, 'the number of days is not a number');
			if (!NUMBER_OPERATORS.has(condition.operator)) {
				return conditionFailure(label, `unknown operator "${condition.operator}"`);
			}
			const test = numberTest(condition.operator, target);
			return (member, zoneDay) => {
				const raw = read(member);
				if (isBlank(raw)) return test(Infinity);
				const day = parseDay(raw, zoneDay.offsetMinutes);
				return day === day && test(zoneDay.today - day);
			};
		}
		case 'keyDateWithin': {
			const days = wholeDays(condition.days);
			if (days !== days) return conditionFailure(label, 'days must be a whole number, 0 or more');
			const feb29 = context.feb29;
			return (member, zoneDay) => daysUntilKeyDate(read(member), zoneDay, feb29) <= days;
		}
		case 'keyDateStep': {
			const { cadence, feb29 } = context;
			return (member, zoneDay) => {
				const daysUntil = daysUntilKeyDate(read(member), zoneDay, feb29);
				return daysUntil === daysUntil && cadence[daysUntil] !== undefined;
			};
		}
		case 'pointsExpiringWithin': {
			const days = wholeDays(condition.days);
			if (days !== days) return conditionFailure(label, 'days must be a whole number, 0 or more');
			const readPoints = compileFieldPath(condition.pointsField ?? '');
			return (member, zoneDay) => {
				const until = parseDay(read(member), zoneDay.offsetMinutes) - zoneDay.today;
				if (!(until >= 0 && until <= days)) return false;
				const points = toFiniteNumber(readPoints(member));
				return points !== points || points > 0;
			};
		}
		case 'activityDeclining': {
			const weeks = wholeDays(condition.weeks);
			if (!(weeks >= 1)) return conditionFailure(label, 'weeks must be a whole number, 1 or more');
			const metric = condition.metric === 'points' ? 'points' : 'count';
			return (member) => isDeclining(read(member), weeks, metric);
		}
		case 'consent': {
			const wanted = condition.granted !== false;
			return (member) => (consentState(read(member)) === 1) === wanted;
		}
		case 'field': {
			if (!String(condition.field ?? '').trim())
				return conditionFailure(label, 'no field to compare');
			if (!FIELD_OPERATORS.has(condition.operator)) {
				return conditionFailure(label, `unknown operator "${condition.operator}"`);
			}
			return compileFieldComparison(read, condition.operator, condition.value);
		}
		default:
			return conditionFailure(label, `unknown rule type "${(condition as { type: string }).type}"`);
	}
}

function combine(predicates: MemberPredicate[], combinator: Combinator): MemberPredicate {
	if (predicates.length === 0) return matchAll;
	if (predicates.length === 1) return predicates[0];
	const count = predicates.length;
	if (combinator === 'or') {
		return (member, zoneDay) => {
			for (let index = 0; index < count; index++)
				if (predicates[index](member, zoneDay)) return true;
			return false;
		};
	}
	return (member, zoneDay) => {
		for (let index = 0; index < count; index++)
			if (!predicates[index](member, zoneDay)) return false;
		return true;
	};
}

/** Compiles AND/OR groups of conditions into one predicate. Empty groups are ignored. */
/** The member fields the rules read as yearly key dates (birthday, anniversary). */
export function keyDateFields(rules: SegmentRules): string[] {
	const fields = new Set<string>();
	for (const group of rules.groups ?? []) {
		for (const condition of group.conditions ?? []) {
			if (condition.type === 'keyDateWithin' || condition.type === 'keyDateStep')
				fields.add(condition.field);
		}
	}
	return [...fields];
}

export function compileRules(
	rules: SegmentRules,
	context: ConditionContext,
): MemberPredicate | RuleFailure {
	const groupPredicates: MemberPredicate[] = [];
	for (const [groupIndex, group] of (rules.groups ?? []).entries()) {
		const conditions = group.conditions ?? [];
		if (conditions.length === 0) continue;
		const predicates: MemberPredicate[] = [];
		for (const [conditionIndex, condition] of conditions.entries()) {
			const compiled = compileCondition(
				condition,
				context,
				`Group ${groupIndex + 1}, condition ${conditionIndex + 1}`,
			);
			if (isRuleFailure(compiled)) return compiled;
			predicates.push(compiled);
		}
		groupPredicates.push(combine(predicates, group.combinator === 'or' ? 'or' : 'and'));
	}
	return combine(groupPredicates, rules.combinator === 'or' ? 'or' : 'and');
}
