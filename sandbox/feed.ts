import { createWriteStream } from 'fs';
import { mkdir } from 'fs/promises';
import { dirname } from 'path';

import { dayOfIsoDate, isoDateOfDay, todayIsoDate } from './dates';
import { iterateMembers, nextTierOf, tierForPoints, type LoyaltyMember } from './generator';
import { hashString, mixSeed, mulberry32, randomInt } from './random';

/**
 * The member feed Annex Cloud's Data Feed (or the admin Member Report) would deliver for the
 * sandbox's members: the Member Report's columns plus the loyalty fields a Data Feed can be mapped
 * to carry, one row per member, with the values the sandbox's API answers for that member. A
 * "next day" turns a given share of members into changed, opted-out and new ones, the same way in
 * the sandbox's API and in the feed.
 */

export const FEED_COLUMNS = [
	'Create Date',
	'Name',
	'User ID',
	'Email',
	'Phone',
	'Tier',
	'Opt in Status',
	'Opt-in Date',
	'Opt-Out Date',
	'Anniversary Date',
	'Last Activity Date',
	'Last Purchase Date',
	'Current Balance',
	'Birthday',
	'Zipcode',
	'Source',
	'Active Status',
	'Earned Points',
	'Used Points',
	'Expired Points',
	'Hold Points',
	'Next Expiring Points',
	'Points Expiration Date',
	'Next Tier',
	'Points To Next Tier',
	'Tier Achieved Date',
	'First Activity Date',
	'First Purchase Date',
] as const;

function csvValue(value: string): string {
	return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `2024-08-08T07:00:12+0000` as the report prints it: `2024-08-08 07:00:12` (UTC). */
function reportDateTime(annexDateTime: string): string {
	return `${annexDateTime.slice(0, 10)} ${annexDateTime.slice(11, 19)}`;
}

export function feedRow(member: LoyaltyMember): string {
	const next = nextTierOf(member.tier);
	const values = [
		reportDateTime(member.createDate),
		`${member.firstName} ${member.lastName}`,
		member.id,
		member.email,
		member.phone,
		member.tier,
		member.optInStatus,
		reportDateTime(member.optInDate),
		member.optInStatus === 'NO' ? member.updateDate.slice(0, 10) : '',
		member.anniversaryDate,
		member.lastActivityDate,
		member.lastPurchaseDate ?? '',
		String(member.availablePoints),
		member.birthDate,
		member.zipCode,
		'sandbox',
		member.status,
		String(member.earnedPoints),
		String(member.usedPoints),
		String(member.expiredPoints),
		String(member.holdPoints),
		String(member.pointsToExpire),
		member.pointsToExpireDate ?? '',
		next?.tierName ?? '',
		next ? String(Math.max(0, next.pointsRequired - member.lifetimePoints)) : '',
		member.tierAchievedDate,
		member.firstActivityDate,
		member.firstPurchaseDate ?? '',
	];
	return values.map(csvValue).join(',');
}

export interface NextDayShares {
	/** Share of members whose points (and maybe tier) moved; default 0.02. */
	changed?: number;
	/** Share of opted-in members who opt out; default 0.005. */
	optedOut?: number;
	/** New members, as a share of the existing ones; default 0.01. */
	new?: number;
	/** Share of members whose phone number is removed in Annex Cloud; default 0. */
	cleared?: number;
}

export type NextDayKind = 'changed' | 'opted_out' | 'cleared' | undefined;

/** Whether a member changes on the next day: fixed by seed and member id. */
export function nextDayKind(id: string, seed: number, shares: NextDayShares): NextDayKind {
	const roll = mulberry32(mixSeed(seed ^ 0x5eed, hashString(id)))();
	const changed = shares.changed ?? 0.02;
	if (roll < changed) return 'changed';
	const optedOut = changed + (shares.optedOut ?? 0.005);
	if (roll < optedOut) return 'opted_out';
	if (roll < optedOut + (shares.cleared ?? 0)) return 'cleared';
	return undefined;
}

/**
 * Applies a next-day change in place: points earned (tier up where they reach it), an opt-out, or
 * a phone number removed (the feed's Phone cell turns empty).
 */
export function applyNextDay(
	member: LoyaltyMember,
	kind: NextDayKind,
	asOf: string,
	seed: number,
): void {
	if (!kind) return;
	const day = dayOfIsoDate(asOf);
	if (kind === 'opted_out' && member.optInStatus === 'YES') {
		member.optInStatus = 'NO';
		member.updateDate = `${asOf}T12:00:00+0000`;
		return;
	}
	if (kind === 'cleared') {
		member.phone = '';
		member.updateDate = `${asOf}T12:00:00+0000`;
		return;
	}
	const earned = randomInt(mulberry32(mixSeed(seed, hashString(`${member.id}:earn`))), 2, 60) * 5;
	member.availablePoints += earned;
	member.earnedPoints += earned;
	member.lifetimePoints += earned;
	member.lastActivityDate = isoDateOfDay(day);
	member.lastPurchaseDate = isoDateOfDay(day);
	member.updateDate = `${asOf}T12:00:00+0000`;
	const tier = tierForPoints(member.lifetimePoints);
	if (tier.tierName !== member.tier) {
		member.previousTier = member.tier;
		member.tier = tier.tierName;
		member.tierAchievedDate = isoDateOfDay(day);
	}
}

export interface FeedCounts {
	rows: number;
	changed: number;
	optedOut: number;
	new: number;
	/** Members whose phone number was removed. */
	cleared: number;
}

/** Writes rows to a file with back-pressure, so a million members never sit in memory. */
export async function writeFeed(path: string, members: Iterable<LoyaltyMember>): Promise<number> {
	await mkdir(dirname(path), { recursive: true });
	const out = createWriteStream(path, { encoding: 'utf8' });
	const failed = new Promise<never>((_, reject) => out.on('error', reject));
	const write = async (text: string) => {
		if (!out.write(text))
			await Promise.race([
				new Promise<void>((resolve) => out.once('drain', () => resolve())),
				failed,
			]);
	};
	await write(`${FEED_COLUMNS.join(',')}\n`);
	let rows = 0;
	let batch: string[] = [];
	for (const member of members) {
		batch.push(feedRow(member));
		rows++;
		if (batch.length === 1000) {
			await write(`${batch.join('\n')}\n`);
			batch = [];
		}
	}
	if (batch.length) await write(`${batch.join('\n')}\n`);
	await Promise.race([new Promise<void>((resolve) => out.end(() => resolve())), failed]);
	return rows;
}

export interface GeneratedFeedOptions {
	members: number;
	seed?: number;
	asOf?: string;
	/** Write the next day's feed instead of the first. */
	nextDay?: NextDayShares;
}

/**
 * A feed of generated members without a running sandbox (members 0…n-1 of the generator, as a
 * sandbox started with `--members n` holds them, fixtures aside).
 */
export async function writeGeneratedFeed(
	path: string,
	options: GeneratedFeedOptions,
): Promise<FeedCounts> {
	const seed = options.seed ?? 42;
	const asOf = options.asOf ?? todayIsoDate();
	const counts: FeedCounts = { rows: 0, changed: 0, optedOut: 0, new: 0, cleared: 0 };
	const shares = options.nextDay;
	function* members(): Generator<LoyaltyMember> {
		for (const member of iterateMembers(options.members, { seed, asOf })) {
			if (shares) countChange(counts, member, nextDayKind(member.id, seed, shares), asOf, seed);
			yield member;
		}
		if (!shares) return;
		const added = Math.round(options.members * (shares.new ?? 0.01));
		counts.new = added;
		yield* iterateMembers(added, { seed, asOf, startIndex: options.members });
	}
	counts.rows = await writeFeed(path, members());
	return counts;
}

function countChange(
	counts: FeedCounts,
	member: LoyaltyMember,
	kind: NextDayKind,
	asOf: string,
	seed: number,
): void {
	const optedIn = member.optInStatus === 'YES';
	const hadPhone = member.phone !== '';
	applyNextDay(member, kind, asOf, seed);
	if (kind === 'changed' || (kind === 'opted_out' && !optedIn)) counts.changed++;
	else if (kind === 'opted_out') counts.optedOut++;
	else if (kind === 'cleared' && hadPhone) counts.cleared++;
}

/**
 * The next day inside a running sandbox: the chosen members change in its Annex Cloud state (so
 * the API answers what the feed says) and new members join.
 */
export function applyNextDayToMembers(
	members: Iterable<LoyaltyMember>,
	options: {
		seed: number;
		asOf: string;
		shares: NextDayShares;
		newCount: number;
		startIndex: number;
	},
	add: (member: LoyaltyMember) => void,
): Omit<FeedCounts, 'rows'> {
	const counts: FeedCounts = {
		rows: 0,
		changed: 0,
		optedOut: 0,
		new: options.newCount,
		cleared: 0,
	};
	for (const member of members)
		countChange(
			counts,
			member,
			nextDayKind(member.id, options.seed, options.shares),
			options.asOf,
			options.seed,
		);
	// New ids continue after the generated ones, as in a feed written without a sandbox.
	for (const member of iterateMembers(options.newCount, {
		seed: options.seed,
		asOf: options.asOf,
		startIndex: options.startIndex,
	}))
		add(member);
	return {
		changed: counts.changed,
		optedOut: counts.optedOut,
		new: counts.new,
		cleared: counts.cleared,
	};
}
