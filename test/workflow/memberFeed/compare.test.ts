import { fileContent, fileSandbox, MEMBER_FEED, runFeedOperation, sandboxFeed } from './support';

/** Member Feed › Compare With Snapshot on the sandbox's member feed, day after day. */
const sandbox = fileSandbox({ members: 200 });

describe('Member Feed › Compare With Snapshot (workflow)', () => {
	it('sends every member on the first run, then only what the next day changed, against the snapshot it wrote', async () => {
		const today = await sandboxFeed(sandbox());
		const first = await runFeedOperation('compare', { data: today.file });
		expect(first.error).toBeUndefined();
		const sent = first.output(MEMBER_FEED, 0);
		expect(sent).toHaveLength(today.rows);
		expect(new Set(sent.map((member) => member.change))).toEqual(new Set(['new']));
		const [firstSummary] = first.items(MEMBER_FEED, 1);
		expect(firstSummary.json).toMatchObject({
			status: 'ready',
			snapshotFound: false,
			newMembers: today.rows,
			toSend: today.rows,
		});
		expect(fileContent(firstSummary.binary!.snapshot).equals(fileContent(today.file))).toBe(true);

		const nextDay = await sandboxFeed(sandbox(), { changed: 0.05, optedOut: 0.02, cleared: 0.02 });
		const second = await runFeedOperation('compare', {
			data: nextDay.file,
			snapshot: firstSummary.binary!.snapshot,
		});
		expect(second.error).toBeUndefined();
		const [summary] = second.output(MEMBER_FEED, 1);
		expect(summary).toMatchObject({
			status: 'ready',
			snapshotFound: true,
			snapshotRows: today.rows,
			newMembers: nextDay.new,
			optedOutMembers: nextDay.optedOut,
		});
		const changes = second.output(MEMBER_FEED, 0);
		expect(changes.length).toBe(summary.toSend);
		expect(changes.filter((member) => member.change === 'new')).toHaveLength(nextDay.new);
		expect(
			changes.filter((member) => (member.clearedFields as string[] | undefined)?.length),
		).toHaveLength(nextDay.cleared);
		expect(second.items(MEMBER_FEED, 0).every((item) => item.pairedItem)).toBe(true);
	});

	it('stops before removing anyone when the feed has far fewer rows than the snapshot', async () => {
		const today = await sandboxFeed(sandbox());
		const first = await runFeedOperation('compare', { data: today.file });
		const snapshot = first.items(MEMBER_FEED, 1)[0].binary!.snapshot;
		const text = fileContent(today.file).toString('utf8');
		const header = text.slice(0, text.indexOf('\n') + 1);
		const stopped = await runFeedOperation('compare', {
			data: { ...today.file, data: Buffer.from(header, 'utf8').toString('base64') },
			snapshot,
		});
		expect(stopped.output(MEMBER_FEED, 0)).toEqual([]);
		const [summary] = stopped.items(MEMBER_FEED, 1);
		expect(summary.json).toMatchObject({ status: 'stopped', snapshotRows: today.rows });
		expect(summary.binary?.snapshot).toBeUndefined();
	});
});
