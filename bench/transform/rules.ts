/**
 * Throughput of the pure rule modules behind Tier Evaluate and Segment Build, on members from the
 * sandbox generator (generated before the clock starts). Targets: at least 1,000,000 members/s
 * for Tier Evaluate and for a five-rule segment.
 * Run: node scripts/run-ts.mjs bench/transform/rules.ts [members] (bench/transform/index.ts runs it
 * beside the real-n8n comparison)
 */
import type { SegmentRules } from '../../nodes/SegmentBuild/logic/conditions';
import { buildSegment, compileSegment } from '../../nodes/SegmentBuild/logic/segmentBuild';
import { isRuleFailure } from '../../nodes/shared/memberValues';
import { compileTierEvaluator } from '../../nodes/TierEvaluate/logic/tierEvaluation';
import { generateMembers, TIERS } from '../../sandbox/generator';

export interface RuleBenchRow {
	name: string;
	members: number;
	seconds: number;
	membersPerSecond: number;
	peakRssMb: number;
}

export const AS_OF = '2026-05-25';

export const FIVE_RULE_SEGMENT: SegmentRules = {
	combinator: 'and',
	groups: [
		{
			combinator: 'and',
			conditions: [
				{ type: 'tier', field: 'tier', operator: 'isIn', tiers: ['Gold', 'Platinum'] },
				{ type: 'daysSince', field: 'lastPurchaseDate', operator: 'gt', value: 30 },
				{ type: 'consent', field: 'consent.email', granted: true },
			],
		},
		{
			combinator: 'or',
			conditions: [
				{ type: 'activityDeclining', field: 'weeklyActivity', weeks: 3 },
				{ type: 'keyDateWithin', field: 'birthDate', days: 30 },
			],
		},
	],
};

/** Best of `passes` runs: the machine is shared, so the fastest pass is the least disturbed. */
function time(name: string, members: unknown[], run: () => number, passes = 3): RuleBenchRow {
	let best = Infinity;
	let peakRss = process.memoryUsage().rss;
	for (let pass = 0; pass < passes; pass++) {
		const started = process.hrtime.bigint();
		const checksum = run();
		best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
		peakRss = Math.max(peakRss, process.memoryUsage().rss);
		if (checksum < 0) throw new Error(`${name}: the run reported a failure`);
	}
	return {
		name,
		members: members.length,
		seconds: Math.round(best * 1000) / 1000,
		membersPerSecond: Math.round(members.length / best),
		peakRssMb: Math.round(peakRss / 1048576),
	};
}

export function benchRules(n: number): RuleBenchRow[] {
	const members = generateMembers(n, { asOf: AS_OF, seed: 7 });
	const rows: RuleBenchRow[] = [];

	const evaluateTier = compileTierEvaluator({
		tiers: TIERS.map((tier) => ({ name: tier.tierName, threshold: tier.pointsRequired })),
		fields: {
			memberId: 'id',
			qualifyingValue: 'lifetimePoints',
			currentTier: 'tier',
			tierAchievedDate: 'tierAchievedDate',
			enrollmentDate: 'optInDate',
			timeZone: 'timeZone',
		},
		qualifyingBasis: 'lifetimePoints',
		closeToUpgrade: { unit: 'percent', margin: 10 },
		downgradeProtection: { kind: 'gracePeriod', days: 30 },
		entitlements: [
			{ tier: 'Gold', benefitId: 'free-shipping', quantity: 1, validityDays: 365 },
			{ tier: 'Platinum', benefitId: 'free-shipping', quantity: 1, validityDays: 365 },
			{ tier: 'Platinum', benefitId: 'lounge', quantity: 2, validityDays: 90 },
		],
		asOf: AS_OF,
	});
	if (isRuleFailure(evaluateTier)) throw new Error(evaluateTier.message);
	rows.push(
		time('Tier Evaluate (4 tiers, protection, entitlements)', members, () => {
			let upgrades = 0;
			for (let index = 0; index < members.length; index++) {
				const result = evaluateTier(members[index]);
				if (!result.ok) return -1;
				if (result.change === 'upgrade') upgrades++;
			}
			return upgrades;
		}),
	);

	const matches = compileSegment(FIVE_RULE_SEGMENT, { asOf: AS_OF, timeZoneField: 'timeZone' });
	if (isRuleFailure(matches)) throw new Error(matches.message);
	rows.push(
		time('Segment rules (5 rules, AND/OR groups)', members, () => {
			let matched = 0;
			for (let index = 0; index < members.length; index++) {
				const result = matches(members[index]);
				if (result === true) matched++;
				else if (result !== false) return -1;
			}
			return matched;
		}),
	);

	rows.push(
		time('Segment build (5 rules + guardrails + plan)', members, () => {
			const run = buildSegment(members, {
				fields: { memberId: 'id', email: 'email', tier: 'tier', touchHistory: 'touches' },
				rules: FIVE_RULE_SEGMENT,
				asOf: AS_OF,
				timeZoneField: 'timeZone',
				keyDates: [{ kind: 'birthday', field: 'birthDate' }],
				outreach: {
					channels: {
						email: { address: 'email', consent: 'consent.email' },
						sms: { address: 'phone', consent: 'consent.sms' },
						push: { address: 'id', consent: 'consent.push' },
					},
				},
				guardrails: { holdoutPercent: 10, holdoutSalt: 'bench' },
			});
			return isRuleFailure(run) || run.failures.length > 0 ? -1 : run.audience.length;
		}),
	);
	return rows;
}

// Run directly (also through scripts/run-ts.mjs, which sets argv[1] to this file).
if (process.argv[1] === __filename) {
	const count = Number(process.argv[2] ?? 1_000_000);
	const rows = benchRules(count);
	console.log(
		`Rule modules on ${count.toLocaleString('en-US')} generated members (as of ${AS_OF})`,
	);
	console.table(rows);
}
