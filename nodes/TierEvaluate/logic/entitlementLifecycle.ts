import {
	createClock,
	formatDay,
	isClockFailure,
	parseDay,
	type AsOfInput,
} from '../../shared/dates';
import {
	isBlank,
	isPlainObject,
	type PlainObject,
	type RuleFailure,
} from '../../shared/memberValues';

/**
 * The daily entitlement lifecycle (docs/entitlements.md): from the active rows of
 * `loyalty_entitlements`, the members' loyalty profiles and their Annex Cloud reward history,
 * decides which entitlements were used, which expire today, and which notices go out:
 *
 * - `entitlement_expired`: the entitlement's last day is before today;
 * - `expiry_reminder`: its last day is within `reminderDays` from today (today included) and it
 *   was not reminded before;
 * - `unused_benefits`: granted `unusedAfterDays` or more days ago, never used, never told;
 * - `points_expiry_reminder`: Annex Cloud says points expire within `pointsReminderDays`.
 *
 * One notice per member and step, whatever the number of entitlements it names. Days are
 * calendar days in the run's time zone: a date is the date as written, a timestamp is converted.
 */

export type LifecycleStep =
	| 'entitlement_expired'
	| 'expiry_reminder'
	| 'unused_benefits'
	| 'points_expiry_reminder';

export interface LifecycleSettings {
	/** Today; blank means now in `timeZone`. */
	asOf: AsOfInput;
	timeZone: string;
	reminderDays: number;
	unusedAfterDays: number;
	pointsReminderDays: number;
	/** The day's campaign in the campaign record is `<campaignSlug>-<today>`. */
	campaignSlug: string;
	eventTypes: Record<LifecycleStep, string>;
}

interface Planned {
	/** Positions of the input rows the action comes from. */
	rows: number[];
}

export interface MarkUsed extends Planned {
	action: 'mark_used';
	entitlementKey: string;
	usedAt: string;
}

export interface Expire extends Planned {
	action: 'expire';
	entitlementKey: string;
	expiredAt: string;
}

export interface NoticedEntitlement {
	entitlementKey: string;
	step: LifecycleStep;
	remindedAt: string;
	unusedNoticeAt: string;
}

export interface Notice extends Planned {
	action: 'notify';
	memberId: string;
	email: string;
	step: LifecycleStep;
	eventType: string;
	campaignId: string;
	touchKey: string;
	/** At most once per member and step: the key the sent-notice check looks up. */
	eventId: string;
	asOf: string;
	/** The earliest date the notice is about. */
	expiresOn: string;
	dates: string[];
	benefits: string[];
	benefitIds: string[];
	entitlements: NoticedEntitlement[];
	points: string;
}

export type LifecycleAction = MarkUsed | Expire | Notice;

/** Annex Cloud reward statuses that do not mean the reward was used. */
const NOT_USED = new Set(['ASSIGNED', 'ISSUED', 'EXPIRED', 'CANCELLED', 'REVOKED']);

const text = (value: unknown): string => (isBlank(value) ? '' : String(value).trim());

interface Entitlement {
	row: PlainObject;
	index: number;
}
interface HistoryLine {
	rewardCode: string;
	rewardName: string;
	day: number;
	at: string;
}
interface Profile {
	email: string;
	points: number;
	pointsDay: number;
	index: number;
}

/**
 * Plans the day's lifecycle steps from all input rows at once; rows are told apart by their
 * columns (`entitlementKey`: an entitlement, `loyaltyId`: a loyalty profile, `memberId` with
 * `rewardStatus`, `rewardCode` or `rewardName`: a reward history line). Other rows, such as the
 * empty item of a member without history, are ignored.
 */
export function planEntitlementLifecycle(
	rows: readonly unknown[],
	settings: LifecycleSettings,
): LifecycleAction[] | RuleFailure {
	const clock = createClock(settings.asOf, settings.timeZone);
	if (isClockFailure(clock)) return { ok: false, field: clock.field, message: clock.message };
	for (const name of ['reminderDays', 'unusedAfterDays', 'pointsReminderDays'] as const) {
		if (!Number.isInteger(settings[name]) || settings[name] < 0) {
			return {
				ok: false,
				field: name,
				message: `${name} must be a whole number of days, 0 or more`,
			};
		}
	}
	const { today, offsetMinutes } = clock.defaultZone;
	const dayOf = (value: unknown): number => parseDay(value, offsetMinutes);
	const asOf = formatDay(today);
	const campaignId = `${settings.campaignSlug}-${asOf}`;

	const entitlements: Entitlement[] = [];
	const profiles = new Map<string, Profile>();
	const history = new Map<string, HistoryLine[]>();
	const seenLines = new Set<string>();
	for (const [index, row] of rows.entries()) {
		if (!isPlainObject(row)) continue;
		if ('entitlementKey' in row) {
			if (text(row.entitlementKey) !== '') entitlements.push({ row, index });
		} else if ('loyaltyId' in row) {
			const memberId = text(row.loyaltyId);
			if (memberId === '' || profiles.has(memberId)) continue;
			profiles.set(memberId, {
				email: text(row.email),
				points: Number(row.nextExpiringPoints ?? 0) || 0,
				pointsDay: dayOf(row.pointsExpirationDate),
				index,
			});
		} else if (
			'memberId' in row &&
			('rewardStatus' in row || 'rewardCode' in row || 'rewardName' in row)
		) {
			// A member with two entitlements has their history read twice.
			const lineKey = JSON.stringify(row);
			if (seenLines.has(lineKey)) continue;
			seenLines.add(lineKey);
			if (NOT_USED.has(text(row.rewardStatus).toUpperCase())) continue;
			const at = isBlank(row.updateDate) ? row.createDate : row.updateDate;
			const memberId = text(row.memberId);
			const lines = history.get(memberId) ?? [];
			lines.push({
				rewardCode: text(row.rewardCode),
				rewardName: text(row.rewardName),
				day: dayOf(at),
				at: text(at),
			});
			history.set(memberId, lines);
		}
	}

	const useOf = (row: PlainObject): HistoryLine | undefined => {
		const grantedDay = dayOf(row.grantedAt);
		const code = text(row.rewardCode);
		const name = text(row.rewardName);
		return (history.get(text(row.memberId)) ?? []).find(
			(line) =>
				line.day <= today &&
				!(line.day < grantedDay) &&
				((code !== '' && line.rewardCode === code) || (name !== '' && line.rewardName === name)),
		);
	};

	const actions: LifecycleAction[] = [];
	const notices = new Map<string, Notice>();
	const notice = (memberId: string, step: LifecycleStep, day: number, rowIndex: number) => {
		const profile = profiles.get(memberId);
		if (!profile || profile.email === '') return undefined;
		const key = `${memberId}:${step}`;
		let entry = notices.get(key);
		if (!entry) {
			entry = {
				action: 'notify',
				memberId,
				email: profile.email,
				step,
				eventType: settings.eventTypes[step],
				campaignId,
				touchKey: `${campaignId}:${memberId}:${step}:email`,
				eventId: '',
				asOf,
				expiresOn: '',
				dates: [],
				benefits: [],
				benefitIds: [],
				entitlements: [],
				points: '',
				rows: [profile.index],
			};
			notices.set(key, entry);
		}
		const date = day === day ? formatDay(day) : '';
		if (date !== '' && !entry.dates.includes(date)) entry.dates.push(date);
		if (!entry.rows.includes(rowIndex)) entry.rows.push(rowIndex);
		return entry;
	};
	const noticeOf = (entitlement: Entitlement, step: LifecycleStep, expiresDay: number) => {
		const { row, index } = entitlement;
		const entry = notice(text(row.memberId), step, expiresDay, index);
		if (!entry) return;
		entry.benefits.push(text(row.benefitName));
		entry.benefitIds.push(text(row.benefitId));
		entry.entitlements.push({
			entitlementKey: text(row.entitlementKey),
			step,
			remindedAt: text(row.remindedAt),
			unusedNoticeAt: text(row.unusedNoticeAt),
		});
	};

	for (const entitlement of entitlements) {
		const { row, index } = entitlement;
		const entitlementKey = text(row.entitlementKey);
		const used = useOf(row);
		if (used) {
			actions.push({ action: 'mark_used', entitlementKey, usedAt: used.at, rows: [index] });
			continue;
		}
		// No expiry date: the entitlement never expires (NaN compares false).
		const expiresDay = dayOf(row.expiresAt);
		if (expiresDay < today) {
			actions.push({ action: 'expire', entitlementKey, expiredAt: asOf, rows: [index] });
			noticeOf(entitlement, 'entitlement_expired', expiresDay);
		} else if (expiresDay <= today + settings.reminderDays && isBlank(row.remindedAt)) {
			noticeOf(entitlement, 'expiry_reminder', expiresDay);
		} else if (
			dayOf(row.grantedAt) <= today - settings.unusedAfterDays &&
			isBlank(row.unusedNoticeAt)
		) {
			noticeOf(entitlement, 'unused_benefits', expiresDay);
		}
	}
	for (const [memberId, profile] of profiles) {
		const { points, pointsDay } = profile;
		if (points > 0 && pointsDay >= today && pointsDay <= today + settings.pointsReminderDays) {
			const entry = notice(memberId, 'points_expiry_reminder', pointsDay, profile.index);
			if (entry) entry.points = String(points);
		}
	}
	for (const entry of notices.values()) {
		entry.dates.sort();
		entry.expiresOn = entry.dates[0] ?? '';
		// Points reminders are keyed by the expiry date, so the next days' runs find them sent;
		// entitlement notices by today (the entitlement row remembers them across days).
		const date = entry.step === 'points_expiry_reminder' ? entry.expiresOn : asOf;
		entry.eventId = `${entry.memberId}:${entry.step}:${date}`;
		entry.rows.sort((a, b) => a - b);
		actions.push(entry);
	}
	return actions;
}
