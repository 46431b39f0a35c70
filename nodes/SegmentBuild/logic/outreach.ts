import { DateTime } from 'luxon';

import type { ZoneDay } from '../../shared/dates';
import type { LearnedConversion, OfferEvidence, OfferRecords } from './offerLearning';
import { learnConversion, learnedScore } from './offerLearning';
import type { RuleFailure } from '../../shared/memberValues';
import {
	compileFieldPath,
	consentState,
	isBlank,
	toFiniteNumber,
	toStringList,
} from '../../shared/memberValues';

export type Channel = 'email' | 'sms' | 'push';
export const CHANNELS: Channel[] = ['email', 'sms', 'push'];

/** When to send on a channel: `dayOffset` days after today, at `time` (HH:mm) member time. */
export interface ChannelRhythm {
	channel: Channel;
	time?: string;
	dayOffset?: number | string;
}

/** Where a channel's address and consent live in the member record. */
export interface ChannelFields {
	address?: string;
	consent?: string;
}

export interface OutreachConfig {
	/** The channels to use, in the user's order of preference. */
	rhythm?: ChannelRhythm[];
	/** 'all' plans every usable channel; 'first' only the most preferred one. */
	mode?: 'all' | 'first';
	/** Only channels with explicit consent; otherwise only an explicit opt-out blocks a channel. */
	requireOptIn?: boolean;
	/** A list (array or comma text) of channels the member unsubscribed from; 'all' for every one. */
	unsubscribedChannelsField?: string;
	channels?: Partial<Record<Channel, ChannelFields>>;
}

export const DEFAULT_RHYTHM: ChannelRhythm[] = [
	{ channel: 'email', time: '10:00', dayOffset: 0 },
	{ channel: 'sms', time: '10:00', dayOffset: 0 },
	{ channel: 'push', time: '10:00', dayOffset: 0 },
];

export const DEFAULT_CHANNEL_FIELDS: Record<Channel, ChannelFields> = {
	email: { address: 'email', consent: 'consent.email' },
	sms: { address: 'phone', consent: 'consent.sms' },
	push: { address: '', consent: 'consent.push' },
};

export interface PlannedChannel {
	channel: Channel;
	address: string;
	/** ISO 8601 with the member's offset. */
	sendAt: string;
}

export interface ChannelPlan {
	channels: PlannedChannel[];
	/** Channels dropped because the member unsubscribed or opted out. */
	suppressed: Channel[];
}

export type ChannelPlanner = (member: unknown, zoneDay: ZoneDay) => ChannelPlan;

const CHANNEL_ALIASES = new Map<string, Channel | 'all'>([
	['email', 'email'],
	['e-mail', 'email'],
	['mail', 'email'],
	['sms', 'sms'],
	['text', 'sms'],
	['push', 'push'],
	['app', 'push'],
	['app_push', 'push'],
	['apppush', 'push'],
	['all', 'all'],
]);

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export function compileChannelPlanner(config: OutreachConfig = {}): ChannelPlanner | RuleFailure {
	const rhythm = config.rhythm && config.rhythm.length > 0 ? config.rhythm : DEFAULT_RHYTHM;
	const entries: Array<{
		channel: Channel;
		hour: number;
		minute: number;
		dayOffset: number;
		readAddress: (record: unknown) => unknown;
		/**
		 * Without an address field (push sent by member ID) there is no sign the member can be
		 * reached except their consent, so the channel then needs explicit consent.
		 */
		needsAddress: boolean;
		readConsent: (record: unknown) => unknown;
	}> = [];
	for (const [position, entry] of rhythm.entries()) {
		const label = `Channel ${position + 1}`;
		if (!CHANNELS.includes(entry.channel)) {
			return {
				ok: false,
				field: 'channels',
				message: `${label}: unknown channel "${entry.channel}"`,
			};
		}
		if (entries.some((planned) => planned.channel === entry.channel)) {
			return {
				ok: false,
				field: 'channels',
				message: `${label}: ${entry.channel} is listed twice`,
			};
		}
		const time = TIME.exec((entry.time ?? '10:00').trim());
		const dayOffset = entry.dayOffset === undefined ? 0 : toFiniteNumber(entry.dayOffset);
		if (time === null) {
			return { ok: false, field: 'channels', message: `${label}: send time must be HH:mm` };
		}
		if (!(dayOffset >= 0 && Number.isInteger(dayOffset))) {
			return { ok: false, field: 'channels', message: `${label}: day offset must be 0 or more` };
		}
		const fields = {
			...DEFAULT_CHANNEL_FIELDS[entry.channel],
			...config.channels?.[entry.channel],
		};
		entries.push({
			channel: entry.channel,
			hour: Number(time[1]),
			minute: Number(time[2]),
			dayOffset,
			readAddress: compileFieldPath(fields.address ?? ''),
			needsAddress: (fields.address ?? '').trim() !== '',
			readConsent: compileFieldPath(fields.consent ?? ''),
		});
	}
	const readUnsubscribed = compileFieldPath(config.unsubscribedChannelsField ?? '');
	const requireOptIn = config.requireOptIn === true;
	const firstOnly = config.mode === 'first';

	// Send times depend only on the zone and the rhythm, so they are formatted once per zone.
	const sendTimesByZone = new Map<string, string[]>();
	const sendTimes = (zoneDay: ZoneDay): string[] => {
		let times = sendTimesByZone.get(zoneDay.zone);
		if (times === undefined) {
			times = entries.map(
				(entry) =>
					DateTime.fromObject(
						{
							year: zoneDay.year,
							month: zoneDay.month,
							day: zoneDay.day,
							hour: entry.hour,
							minute: entry.minute,
						},
						{ zone: zoneDay.zone },
					)
						.plus({ days: entry.dayOffset })
						.toISO({ suppressMilliseconds: true }) ?? '',
			);
			sendTimesByZone.set(zoneDay.zone, times);
		}
		return times;
	};

	return (member, zoneDay) => {
		const unsubscribed = new Set<Channel | 'all'>();
		for (const name of toStringList(readUnsubscribed(member))) {
			const channel = CHANNEL_ALIASES.get(name.toLowerCase());
			if (channel !== undefined) unsubscribed.add(channel);
		}
		const channels: PlannedChannel[] = [];
		const suppressed: Channel[] = [];
		for (let index = 0; index < entries.length; index++) {
			const entry = entries[index];
			const consent = consentState(entry.readConsent(member));
			if (unsubscribed.has('all') || unsubscribed.has(entry.channel) || consent === -1) {
				suppressed.push(entry.channel);
				continue;
			}
			if ((requireOptIn || !entry.needsAddress) && consent !== 1) continue;
			const address = entry.readAddress(member);
			if (entry.needsAddress && (isBlank(address) || typeof address === 'object')) continue;
			if (firstOnly && channels.length > 0) continue;
			channels.push({
				channel: entry.channel,
				address: isBlank(address) ? '' : String(address),
				sendAt: sendTimes(zoneDay)[index],
			});
		}
		return { channels, suppressed };
	};
}

/** A gift or offer in the catalog. Blank inventory means unlimited; blank tiers mean all. */
export interface OfferDefinition {
	offerId: string;
	name?: string;
	eligibleTiers?: string[] | string;
	cost?: number | string;
	expectedValue?: number | string;
	inventory?: number | string | null;
	interestTags?: string[] | string;
	/** Target conversion, percent. */
	targetConversion?: number | string;
}

export interface RecommendedOffer {
	offerId: string;
	name: string;
	cost: number;
	expectedValue: number;
	/** Expected value less cost. */
	expectedNet: number;
	targetConversion: number;
	/** The conversion the ranking used, when recorded outcomes were given. */
	learnedConversion?: LearnedConversion;
	/** The earlier campaigns of the segment with this offer that the ranking learned from. */
	offerEvidence?: OfferEvidence[];
	matchedInterests: string[];
}

export interface OfferPicker {
	/** The best eligible offer in stock for a member, reserving one unit; null if none. */
	pick(tier: unknown, interests: unknown): RecommendedOffer | null;
	/** Units handed out per offer, and members for whom an eligible offer was out of stock. */
	stats(): { assigned: Record<string, number>; skippedOutOfStock: Record<string, number> };
}

interface CompiledOffer {
	offer: Omit<RecommendedOffer, 'matchedInterests'>;
	tiers: Set<string> | undefined;
	tags: string[];
	remaining: number;
	/** What the ranking sorts on: expected net, or the learned score with recorded outcomes. */
	score: number;
}

/**
 * Ranks eligible offers by interest tags matched, then expected net value (with recorded outcomes:
 * the learned score, see offerLearning.ts), then catalog order; skips offers out of stock, and
 * counts down inventory as offers are handed out.
 */
export function compileOfferPicker(
	catalog: OfferDefinition[],
	defaultTargetConversion = 0,
	outcomes?: OfferRecords,
): OfferPicker | RuleFailure {
	const offers: CompiledOffer[] = [];
	for (const [position, definition] of catalog.entries()) {
		const label = `Offer ${position + 1}`;
		const offerId = String(definition.offerId ?? '').trim();
		if (offerId === '') return { ok: false, field: 'offers', message: `${label} has no offer ID` };
		const number = (value: unknown, fallback: number): number =>
			isBlank(value) ? fallback : toFiniteNumber(value);
		const cost = number(definition.cost, 0);
		const expectedValue = number(definition.expectedValue, 0);
		const inventory = number(definition.inventory, Infinity);
		const targetConversion = number(definition.targetConversion, defaultTargetConversion);
		if ([cost, expectedValue, inventory, targetConversion].some((value) => value !== value)) {
			return {
				ok: false,
				field: 'offers',
				message: `${label}: cost, expected value, inventory and target conversion must be numbers`,
			};
		}
		const tiers = toStringList(definition.eligibleTiers).map((tier) => tier.toLowerCase());
		const offer: CompiledOffer['offer'] = {
			offerId,
			name: String(definition.name ?? '').trim() || offerId,
			cost,
			expectedValue,
			expectedNet: Math.round((expectedValue - cost) * 100) / 100,
			targetConversion,
		};
		let score = offer.expectedNet;
		if (outcomes !== undefined) {
			const record = outcomes.get(offerId);
			offer.learnedConversion = learnConversion(record, targetConversion);
			if (record?.evidence) offer.offerEvidence = record.evidence;
			score = learnedScore(offer.learnedConversion, expectedValue, cost);
		}
		offers.push({
			offer,
			tiers: tiers.length > 0 ? new Set(tiers) : undefined,
			tags: toStringList(definition.interestTags).map((tag) => tag.toLowerCase()),
			remaining: inventory,
			score,
		});
	}
	const ranked = offers
		.map((offer, position) => ({ offer, position }))
		.sort((a, b) => b.offer.score - a.offer.score || a.position - b.position)
		.map(({ offer }) => offer);
	const assigned: Record<string, number> = {};
	const skippedOutOfStock: Record<string, number> = {};
	for (const offer of offers) {
		assigned[offer.offer.offerId] = 0;
		skippedOutOfStock[offer.offer.offerId] = 0;
	}
	return {
		pick(tier, interests) {
			const memberTier = isBlank(tier) ? '' : String(tier).trim().toLowerCase();
			const memberInterests = toStringList(interests).map((tag) => tag.toLowerCase());
			let best: CompiledOffer | undefined;
			let bestMatches: string[] = [];
			for (const candidate of ranked) {
				if (candidate.tiers !== undefined && !candidate.tiers.has(memberTier)) continue;
				if (candidate.remaining <= 0) {
					skippedOutOfStock[candidate.offer.offerId]++;
					continue;
				}
				const matches = candidate.tags.filter((tag) => memberInterests.includes(tag));
				if (best === undefined || matches.length > bestMatches.length) {
					best = candidate;
					bestMatches = matches;
				}
			}
			if (best === undefined) return null;
			best.remaining--;
			assigned[best.offer.offerId]++;
			return { ...best.offer, matchedInterests: bestMatches };
		},
		stats: () => ({ assigned: { ...assigned }, skippedOutOfStock: { ...skippedOutOfStock } }),
	};
}
