import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { compareWithSnapshot } from '../../../nodes/MemberFeed/logic/feedReader';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { FIXTURE_MEMBER_COUNT } from '../../../sandbox/fixtures';
import { writeGeneratedFeed } from '../../../sandbox/feed';

let sandbox: Sandbox;
let folder: string;

beforeAll(async () => {
	sandbox = await startSandbox({ members: 400, asOf: '2025-06-15' });
	folder = mkdtempSync(join(tmpdir(), 'member-feed-'));
});

afterAll(async () => {
	await sandbox.close();
	rmSync(folder, { recursive: true, force: true });
});

const compare = (feed: string, snapshot?: string) =>
	compareWithSnapshot({
		feed: [readFileSync(feed)],
		snapshot: snapshot ? () => [readFileSync(snapshot)] : undefined,
		options: { knownTiers: ['Bronze', 'Silver', 'Gold', 'Platinum'] },
		detection: { mode: 'changes', maxChanges: 10_000 },
		minShareOfSnapshot: 0.5,
		rejectLimit: 10,
	});

describe('sandbox member feed', () => {
	it('holds every member with the values the API answers, and reads without a rejected row', async () => {
		const path = join(folder, 'day1.csv');
		const written = await sandbox.writeMemberFeed(path);
		expect(written.rows).toBe(FIXTURE_MEMBER_COUNT + 400);
		const result = await compare(path);
		expect(result.rejects).toEqual([]);
		const member = sandbox.state.annex.member('m000123')!;
		const record = result.changes.find((change) => change.memberId === 'm000123')!.record;
		expect(record).toMatchObject({
			email: member.email,
			currentTier: member.tier,
			availablePoints: member.availablePoints,
			optInStatus: member.optInStatus,
		});
	});

	it('a next day changes the API and the feed alike; only those members differ from day one', async () => {
		const day1 = join(folder, 'day1.csv');
		const day2 = join(folder, 'day2.csv');
		await sandbox.writeMemberFeed(day1);
		const first = await compare(day1);
		const snapshot = join(folder, 'snapshot.csv');
		writeFileSync(snapshot, first.snapshot!);
		const next = await sandbox.writeMemberFeed(day2, { changed: 0.1, optedOut: 0.05, new: 0.05 });
		expect(next.new).toBe(20);
		const result = await compare(day2, snapshot);
		expect(result.counts.newMembers).toBe(next.new);
		expect(result.counts.changedMembers + result.counts.optedOutMembers).toBe(
			next.changed + next.optedOut,
		);
		const changed = result.changes.find((change) => change.change === 'changed')!;
		expect(changed.record.availablePoints).toBe(
			sandbox.state.annex.member(changed.memberId)!.availablePoints,
		);
	});

	it('writes the same generated members without a sandbox', async () => {
		const path = join(folder, 'generated.csv');
		const counts = await writeGeneratedFeed(path, {
			members: 50,
			asOf: '2025-06-15',
			nextDay: { changed: 0.2, optedOut: 0, new: 0.1 },
		});
		expect(counts).toMatchObject({ rows: 55, new: 5 });
		expect(counts.changed).toBeGreaterThan(0);
		const lines = readFileSync(path, 'utf8').trim().split('\n');
		expect(lines).toHaveLength(56);
		expect(lines[0].split(',').slice(0, 3)).toEqual(['Create Date', 'Name', 'User ID']);
	});
});
