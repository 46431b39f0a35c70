/**
 * Tier Evaluate and Segment Build throughput, in two parts:
 * (a) the pure rule modules alone on generated members (`benchRules`, target ≥ 1,000,000
 *     members/s for Tier Evaluate and for a five-rule segment);
 * (b) each node in a real n8n on generated members, against an n8n Code node ("Run Once for All
 *     Items") doing the same work the way a user would write it in JavaScript: the same tier
 *     ladder, close-to-upgrade margin and entitlements; the same five rules, de-duplication and
 *     email/SMS/push plan with send times in the member's zone.
 *
 * In n8n the workflow is Manual Trigger → HTTP Request (GET the members from a local server this
 * bench runs, one item per member) → the node under test → a Code node that counts. The time of
 * the node under test is n8n's own `executionTime` for it, read from the stored execution through
 * the REST API (`n8n execute` prints the whole run, far too much output for 100,000 items).
 * Peak memory is the highest sampled resident memory of the `n8n execute` process plus its task
 * runner (where Code nodes run), over the whole execution: fetching and storing the items are the
 * same for both variants, so the difference is the transform's.
 *
 * Run: node scripts/run-ts.mjs bench/transform/index.ts [--members 1000000] [--items 100000]
 *      [--skip-rules] [--skip-n8n]
 * Results: bench/results/transform.json (git-ignored).
 */
import { spawn } from 'child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';

import { generateMembers } from '../../sandbox/generator';
import { reportProgress } from '../progress';
import { AS_OF, benchRules, type RuleBenchRow } from './rules';

export interface NodeBenchRow {
	node: string;
	variant: 'package' | 'code';
	items: number;
	outputItems: number;
	/** n8n's executionTime of the node under test. */
	seconds: number;
	itemsPerSecond: number;
	/** Item count, hash of the member IDs and counts of tiers, events, channels and steps out. */
	fingerprint: string;
	/** `n8n execute` + task runner, sampled every 100 ms. */
	peakMemoryMb: number | null;
}

export interface TransformBenchResult {
	rules: RuleBenchRow[];
	n8n: NodeBenchRow[];
}

export interface TransformBenchOptions {
	/** Members for the rule modules (part a); default 1,000,000. */
	members?: number;
	/** Items per n8n run (part b); default 100,000. */
	items?: number;
	skipRules?: boolean;
	skipN8n?: boolean;
	log?: (line: string) => void;
}

const UNDER_TEST = 'Under test';

// --- the work, as node parameters and as the Code a user would write ----------------------------

const TIER_PARAMETERS = {
	closeMarginType: 'percent',
	closeMargin: 10,
	entitlements: {
		entitlement: [
			{
				tier: 'Gold',
				benefitId: 'free-shipping',
				benefitName: 'Free shipping',
				quantity: 1,
				validityDays: 365,
			},
			{
				tier: 'Platinum',
				benefitId: 'free-shipping',
				benefitName: 'Free shipping',
				quantity: 1,
				validityDays: 365,
			},
			{
				tier: 'Platinum',
				benefitId: 'lounge',
				benefitName: 'Lounge pass',
				quantity: 2,
				validityDays: 90,
			},
		],
	},
	options: { asOf: AS_OF },
};

const TIER_CODE = `// Tier ladder on lifetime points, as of ${AS_OF}
const ladder = [['Bronze', 0], ['Silver', 1000], ['Gold', 5000], ['Platinum', 10000]];
const benefits = {
  Gold: [{ benefitId: 'free-shipping', name: 'Free shipping', quantity: 1, validityDays: 365 }],
  Platinum: [
    { benefitId: 'free-shipping', name: 'Free shipping', quantity: 1, validityDays: 365 },
    { benefitId: 'lounge', name: 'Lounge pass', quantity: 2, validityDays: 90 },
  ],
};
const today = DateTime.fromISO('${AS_OF}', { zone: 'utc' });
const same = (a, b) => a.benefitId === b.benefitId && a.quantity === b.quantity && a.validityDays === b.validityDays;
const items = $input.all();
const out = [];
for (let i = 0; i < items.length; i++) {
  const member = items[i].json;
  const points = Number(member.lifetimePoints);
  if (member.lifetimePoints === null || member.lifetimePoints === '' || !Number.isFinite(points)) {
    throw new Error('Item ' + i + ': lifetimePoints is not a number');
  }
  let earned = -1;
  for (let t = ladder.length - 1; t >= 0; t--) if (points >= ladder[t][1]) { earned = t; break; }
  const previous = member.tier ? ladder.findIndex((t) => t[0].toLowerCase() === String(member.tier).toLowerCase()) : -1;
  if (member.tier && previous === -1) throw new Error('Item ' + i + ': unknown tier ' + member.tier);
  const change = previous === -1 ? (earned === -1 ? 'none' : 'initial') : earned > previous ? 'upgrade' : earned < previous ? 'downgrade' : 'none';
  const events = [];
  if (change === 'upgrade') events.push('tier_upgrade');
  if (change === 'downgrade') events.push('tier_downgrade');
  const next = ladder[earned + 1];
  let pointsToNextTier = null;
  let progress = 100;
  if (next) {
    const floor = earned >= 0 ? ladder[earned][1] : 0;
    pointsToNextTier = Math.max(next[1] - points, 0);
    progress = Math.round(Math.min(Math.max((points - floor) / (next[1] - floor), 0), 1) * 1000) / 10;
    if (pointsToNextTier > 0 && pointsToNextTier <= next[1] * 0.1) events.push('close_to_tier_upgrade');
  }
  const anchor = member.tierAchievedDate || member.optInDate;
  if (change === 'none' && earned >= 0 && anchor) {
    const achieved = DateTime.fromISO(String(anchor).slice(0, 10), { zone: 'utc' });
    if (achieved.month === today.month && achieved.day === today.day && achieved.year < today.year) events.push('tier_anniversary');
  }
  const before = previous >= 0 ? benefits[ladder[previous][0]] || [] : [];
  const after = earned >= 0 ? benefits[ladder[earned][0]] || [] : [];
  out.push({
    json: {
      ...member,
      tierEvaluation: {
        memberId: String(member.id),
        qualifyingBasis: 'lifetimePoints',
        qualifyingValue: points,
        previousTier: previous >= 0 ? ladder[previous][0] : null,
        earnedTier: earned >= 0 ? ladder[earned][0] : null,
        currentTier: earned >= 0 ? ladder[earned][0] : null,
        nextTier: next ? next[0] : null,
        pointsToNextTier,
        progress,
        change,
        events,
        downgradeProtectedUntil: null,
        entitlements: {
          grant: after.filter((b) => !before.some((h) => same(h, b))).map((b) => ({
            ...b,
            expiresOn: b.validityDays > 0 ? today.plus({ days: b.validityDays - 1 }).toISODate() : null,
          })),
          revoke: before.filter((h) => !after.some((b) => same(h, b))),
          unchanged: after.filter((b) => before.some((h) => same(h, b))),
        },
      },
    },
    pairedItem: { item: i },
  });
}
return out;`;

/** The five-rule segment of benchRules (rules.ts FIVE_RULE_SEGMENT) as node parameters. */
const SEGMENT_PARAMETERS = {
	groups: {
		group: [
			{
				combinator: 'and',
				conditions: {
					condition: [
						{ type: 'tier', tierOperator: 'isIn', tiers: 'Gold, Platinum' },
						{ type: 'daysSince', dateOf: 'lastPurchase', numberOperator: 'gt', value: '30' },
						{ type: 'consent', channel: 'email', consentGiven: true },
					],
				},
			},
			{
				combinator: 'or',
				conditions: {
					condition: [
						{ type: 'activityDeclining', weeks: 3, metric: 'count' },
						{ type: 'keyDateWithin', keyDate: 'birthday', days: 30 },
					],
				},
			},
		],
	},
	options: { asOf: AS_OF, keyDates: ['birthday'] },
};

const SEGMENT_CODE = `// Gold/Platinum, no purchase in 30 days, email consent, and (3 weeks declining or birthday within 30 days)
const asOf = '${AS_OF}';
const todayMs = Date.parse(asOf);
const [year, month, day] = asOf.split('-').map(Number);
const steps = { 7: 'warm-up', 3: 'reminder', 1: 'reminder', 0: 'greeting' };
const daysUntilBirthday = (birthDate) => {
  if (!birthDate) return NaN;
  const [, m, d] = String(birthDate).slice(0, 10).split('-').map(Number);
  let next = Date.UTC(year, m - 1, d);
  if (next < todayMs) next = Date.UTC(year + 1, m - 1, d);
  return Math.round((next - todayMs) / 86400000);
};
const sendTimes = {};
const sendAt = (zone) => (sendTimes[zone] ??= DateTime.fromObject({ year, month, day, hour: 10, minute: 0 }, { zone }).toISO({ suppressMilliseconds: true }));
const seenIds = new Set();
const seenEmails = new Set();
const items = $input.all();
const out = [];
for (let i = 0; i < items.length; i++) {
  const member = items[i].json;
  if (!['gold', 'platinum'].includes(String(member.tier).toLowerCase())) continue;
  const sincePurchase = member.lastPurchaseDate ? (todayMs - Date.parse(String(member.lastPurchaseDate).slice(0, 10))) / 86400000 : Infinity;
  if (!(sincePurchase > 30)) continue;
  if (member.consent?.email !== true) continue;
  const weeks = member.weeklyActivity || [];
  const n = weeks.length;
  const declining = n >= 4 && weeks[n - 1] < weeks[n - 2] && weeks[n - 2] < weeks[n - 3] && weeks[n - 3] < weeks[n - 4];
  const untilBirthday = daysUntilBirthday(member.birthDate);
  if (!declining && !(untilBirthday <= 30)) continue;
  const email = String(member.email || '').trim().toLowerCase();
  if (seenIds.has(member.id) || (email && seenEmails.has(email))) continue;
  seenIds.add(member.id);
  if (email) seenEmails.add(email);
  const zone = member.timeZone || 'UTC';
  const channels = [];
  const suppressedChannels = [];
  for (const [channel, address, consent] of [['email', member.email, member.consent?.email], ['sms', member.phone, member.consent?.sms]]) {
    if (consent === false) suppressedChannels.push(channel);
    else if (address) channels.push({ channel, address: String(address), sendAt: sendAt(zone) });
  }
  if (member.consent?.push === false) suppressedChannels.push('push');
  else if (member.consent?.push === true) channels.push({ channel: 'push', address: '', sendAt: sendAt(zone) });
  if (channels.length === 0) continue;
  const step = steps[untilBirthday];
  const keyDates = step === undefined ? [] : [{ kind: 'birthday', date: DateTime.fromMillis(todayMs, { zone: 'utc' }).plus({ days: untilBirthday }).toISODate(), daysUntil: untilBirthday, step }];
  out.push({ json: { ...member, outreach: { channels, suppressedChannels, keyDates, offer: null } }, pairedItem: { item: i } });
}
return out;`;

/** What the last node keeps of the output, so the node and the Code node can be compared. */
const FINGERPRINT_CODE = `const all = $input.all();
let idHash = 0;
const counts = {};
const add = (key) => (counts[key] = (counts[key] ?? 0) + 1);
for (const { json } of all) {
  const id = String(json.id);
  for (let i = 0; i < id.length; i++) idHash = (idHash * 31 + id.charCodeAt(i)) | 0;
  const evaluation = json.tierEvaluation;
  if (evaluation) {
    add('tier:' + evaluation.currentTier);
    for (const event of evaluation.events) add('event:' + event);
    for (const grant of evaluation.entitlements.grant) add('grant:' + grant.benefitId + ':' + grant.expiresOn);
  }
  for (const channel of json.outreach?.channels ?? []) add(channel.channel + ':' + channel.sendAt);
  for (const step of json.outreach?.keyDates ?? []) add('step:' + step.step);
}
return [{ json: { items: all.length, idHash, counts } }];`;

interface Variant {
	node: 'Tier Evaluate' | 'Segment Build';
	variant: 'package' | 'code';
}

const VARIANTS: Variant[] = [
	{ node: 'Tier Evaluate', variant: 'package' },
	{ node: 'Tier Evaluate', variant: 'code' },
	{ node: 'Segment Build', variant: 'package' },
	{ node: 'Segment Build', variant: 'code' },
];

function nodeUnderTest({ node, variant }: Variant) {
	const base = { id: 'under-test', name: UNDER_TEST, position: [440, 0] };
	if (variant === 'code') {
		return {
			...base,
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				mode: 'runOnceForAllItems',
				jsCode: node === 'Tier Evaluate' ? TIER_CODE : SEGMENT_CODE,
			},
		};
	}
	return node === 'Tier Evaluate'
		? {
				...base,
				type: 'n8n-nodes-loyalty-sync.tierEvaluate',
				typeVersion: 1,
				parameters: TIER_PARAMETERS,
			}
		: {
				...base,
				type: 'n8n-nodes-loyalty-sync.segmentBuild',
				typeVersion: 1,
				parameters: SEGMENT_PARAMETERS,
			};
}

export function transformWorkflow(variant: Variant, membersUrl: string) {
	return {
		name: `Transform bench (${variant.node}, ${variant.variant})`,
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'members',
				name: 'Members',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: { url: membersUrl, options: { timeout: 600000 } },
			},
			nodeUnderTest(variant),
			{
				id: 'count',
				name: 'Count',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [660, 0],
				parameters: { mode: 'runOnceForAllItems', jsCode: FINGERPRINT_CODE },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Members', type: 'main', index: 0 }]] },
			Members: { main: [[{ node: UNDER_TEST, type: 'main', index: 0 }]] },
			[UNDER_TEST]: { main: [[{ node: 'Count', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Generated members as the HTTP Request node receives them: a JSON array, one item each. */
async function serveMembers(count: number): Promise<{ url: string; close: () => Promise<void> }> {
	const members = generateMembers(count, { seed: 7, asOf: AS_OF }).map(
		({ history: _history, activityWeeks: _weeks, ...member }) => member,
	);
	const body = Buffer.from(JSON.stringify(members));
	const server: Server = createServer((_request, response) => {
		response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
		response.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/members`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Highest sampled sum of resident memory of a process and its descendants. */
function watchTreeMemory(rootPid: number): () => number | null {
	let peakKb = 0;
	const sample = () => {
		const parents = new Map<number, number>();
		const rss = new Map<number, number>();
		for (const entry of readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			try {
				const status = readFileSync(`/proc/${entry}/status`, 'utf8');
				parents.set(Number(entry), Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0));
				rss.set(Number(entry), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
			} catch {
				// The process ended between listing and reading.
			}
		}
		const inTree = (pid: number): boolean => {
			for (let current = pid, hops = 0; current > 1 && hops < 20; hops++) {
				if (current === rootPid) return true;
				current = parents.get(current) ?? 0;
			}
			return false;
		};
		let totalKb = 0;
		for (const [pid, kb] of rss) if (inTree(pid)) totalKb += kb;
		peakKb = Math.max(peakKb, totalKb);
	};
	const timer = setInterval(sample, 100);
	sample();
	return () => {
		clearInterval(timer);
		return peakKb > 0 ? Math.round(peakKb / 1024) : null;
	};
}

interface NodeRunLike {
	executionTime?: number;
	error?: { message?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
}

interface Instance {
	env: Record<string, string>;
	userFolder: string;
	provisioned: { node: { bin: string }; n8n: { bin: string } };
	importWorkflow(workflow: object): Promise<string>;
	restart(): Promise<void>;
	listExecutions(workflowId: string): Promise<Array<{ id: string; status: string }>>;
	getExecution(id: string): Promise<{
		data: { resultData: { runData: Record<string, NodeRunLike[]>; error?: { message?: string } } };
	}>;
	stop(): Promise<void>;
}

interface Core {
	REPO_ROOT: string;
	isBuildFresh(dir?: string): boolean;
	buildPackage(dir?: string): number;
	freePort(): Promise<number>;
	startN8n(options: { userFolder?: string; log?: (...args: unknown[]) => void }): Promise<Instance>;
}

/**
 * `n8n execute --id`, keeping only the end of its output: it prints the whole run, and for
 * 100,000 items fails doing so ("Invalid string length", exit 1) after the execution is stored.
 * The run is read back from the stored execution instead.
 */
async function executeQuietly(
	core: Core,
	instance: Instance,
	workflowId: string,
): Promise<{ code: number | null; stderrTail: string; peakMemoryMb: number | null }> {
	const env = { ...instance.env, N8N_RUNNERS_BROKER_PORT: String(await core.freePort()) };
	const child = spawn(
		instance.provisioned.node.bin,
		[instance.provisioned.n8n.bin, 'execute', `--id=${workflowId}`],
		{
			cwd: instance.userFolder,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	const stopWatching = watchTreeMemory(child.pid as number);
	let stderrTail = '';
	const keepTail = (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-4000));
	child.stderr.on('data', keepTail);
	// Only the end of the printed run is kept: the start is the whole run data.
	child.stdout.on(
		'data',
		(chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString().slice(-4000)).slice(-4000)),
	);
	const code = await new Promise<number | null>((resolve, reject) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
		child.on('error', reject);
		child.on('close', (exitCode) => {
			clearTimeout(timer);
			resolve(exitCode);
		});
	});
	return { code, stderrTail, peakMemoryMb: stopWatching() };
}

async function benchInN8n(items: number, log: (line: string) => void): Promise<NodeBenchRow[]> {
	const core = require('../../scripts/n8n/core.cjs') as Core;
	if (!core.isBuildFresh()) {
		log('building the package (dist/ is stale)');
		if (core.buildPackage() !== 0) throw new Error('npm run build failed');
	}
	log(`generating ${items} members`);
	const members = await serveMembers(items);
	const instance = await core.startN8n({
		userFolder: join(core.REPO_ROOT, '.n8n-e2e', 'bench-transform'),
		log: (...args) => log(args.join(' ')),
	});
	const rows: NodeBenchRow[] = [];
	let stopProgress = () => {};
	try {
		// The REST API leaves out run data over 100 MB (`dataTooLargeToDisplay`); 100,000 members
		// and their evaluations are about 200 MB. core.cjs clears EXECUTIONS_* from the parent
		// environment, so the limit is raised on the instance and n8n restarted with it.
		instance.env.EXECUTIONS_DATA_MAX_DISPLAY_SIZE = String(2 * 1024 ** 3);
		await instance.restart();
		// One n8n execution per variant gives nothing to count inside it; count variants.
		stopProgress = reportProgress({
			label: `in n8n on ${items} items`,
			total: VARIANTS.length,
			unit: 'variants',
			done: () => rows.length,
			log,
		});
		for (const variant of VARIANTS) {
			const id = await instance.importWorkflow(transformWorkflow(variant, members.url));
			log(`${variant.node} (${variant.variant}): ${items} items`);
			const execution = await executeQuietly(core, instance, id);
			const [latest] = await instance.listExecutions(id);
			if (!latest) {
				throw new Error(
					`n8n execute stored no execution (exit ${execution.code}): ${execution.stderrTail}`,
				);
			}
			const stored = await instance.getExecution(latest.id);
			const runData = stored.data.resultData.runData;
			const run = runData[UNDER_TEST]?.[0];
			if (!run || run.error || stored.data.resultData.error) {
				const ran = Object.entries(runData).map(
					([name, runs]) => `${name}: ${runs[0]?.data?.main?.[0]?.length ?? 0} items`,
				);
				throw new Error(
					`${variant.node} (${variant.variant}) failed: ${run?.error?.message ?? stored.data.resultData.error?.message ?? 'did not run'} ` +
						`(execution ${latest.id} ${latest.status}, exit ${execution.code}; ${ran.join(', ')}): ${execution.stderrTail.slice(-1500)}`,
				);
			}
			const inputItems = runData.Members?.[0]?.data?.main?.[0]?.length ?? 0;
			if (inputItems !== items)
				throw new Error(`Members produced ${inputItems} items, expected ${items}`);
			const seconds = (run.executionTime ?? 0) / 1000;
			rows.push({
				node: variant.node,
				variant: variant.variant,
				items,
				outputItems: Number(runData.Count?.[0]?.data?.main?.[0]?.[0]?.json.items ?? NaN),
				fingerprint: JSON.stringify(runData.Count?.[0]?.data?.main?.[0]?.[0]?.json ?? null),
				seconds,
				itemsPerSecond: Math.round(items / seconds),
				peakMemoryMb: execution.peakMemoryMb,
			});
			const { fingerprint: _fingerprint, ...row } = rows[rows.length - 1];
			log(JSON.stringify(row));
		}
	} finally {
		stopProgress();
		await instance.stop();
		await members.close();
	}
	return rows;
}

export async function benchTransform(
	options: TransformBenchOptions = {},
): Promise<TransformBenchResult> {
	const log = options.log ?? ((line: string) => process.stderr.write(`[transform] ${line}\n`));
	const rules = options.skipRules ? [] : benchRules(options.members ?? 1_000_000);
	const n8n = options.skipN8n ? [] : await benchInN8n(options.items ?? 100_000, log);
	return { rules, n8n };
}

export function printTransform({ rules, n8n }: TransformBenchResult): void {
	if (rules.length > 0) {
		console.log(
			`(a) Rule modules on ${rules[0].members.toLocaleString('en-US')} generated members (as of ${AS_OF}); target ≥ 1,000,000 members/s`,
		);
		console.table(
			rules.map((row) => ({
				rule: row.name,
				members: row.members,
				seconds: row.seconds,
				'members/s': row.membersPerSecond,
				target: row.name.startsWith('Segment build')
					? ''
					: row.membersPerSecond >= 1_000_000
						? 'met'
						: 'NOT met',
				'peak RSS MB': row.peakRssMb,
			})),
		);
	}
	if (n8n.length > 0) {
		console.log(
			`(b) In n8n on ${n8n[0].items.toLocaleString('en-US')} items: the node vs a Code node (Run Once for All Items), n8n's executionTime of that node`,
		);
		const nodes = [...new Set(n8n.map((row) => row.node))];
		console.table(
			nodes.map((node) => {
				const ours = n8n.find((row) => row.node === node && row.variant === 'package');
				const code = n8n.find((row) => row.node === node && row.variant === 'code');
				return {
					node,
					items: ours?.items ?? code?.items,
					'node s': ours?.seconds,
					'Code s': code?.seconds,
					'node items/s': ours?.itemsPerSecond,
					'Code items/s': code?.itemsPerSecond,
					'Code ÷ node time':
						ours && code ? Math.round((code.seconds / ours.seconds) * 10) / 10 : '',
					'node peak MB': ours?.peakMemoryMb,
					'Code peak MB': code?.peakMemoryMb,
					'output items (node / Code)': `${ours?.outputItems} / ${code?.outputItems}`,
					'same output': ours && code ? (ours.fingerprint === code.fingerprint ? 'yes' : 'NO') : '',
				};
			}),
		);
	}
}

function argument(name: string): number | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? Number(process.argv[index + 1]) : undefined;
}

// Run directly (also through scripts/run-ts.mjs, which sets argv[1] to this file).
if (process.argv[1] === __filename) {
	void (async () => {
		const result = await benchTransform({
			members: argument('members'),
			items: argument('items'),
			skipRules: process.argv.includes('--skip-rules'),
			skipN8n: process.argv.includes('--skip-n8n'),
		});
		printTransform(result);
		const dir = join(__dirname, '..', 'results');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'transform.json'), `${JSON.stringify(result, null, 2)}\n`);
	})().catch((error: Error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
