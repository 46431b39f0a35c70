import {
	csvFile,
	fileContent,
	fileSandbox,
	MEMBER_FEED,
	runFeedOperation,
	sandboxFeed,
} from './support';

/** Member Feed › Read on the sandbox's member feed, as n8n hands the node a file. */
const sandbox = fileSandbox({ members: 40 });

describe('Member Feed › Read (workflow)', () => {
	it('reads a page of the feed into loyalty records paired with the file item, and says where the next page starts', async () => {
		const feed = await sandboxFeed(sandbox());
		const first = await runFeedOperation(
			'read',
			{ data: feed.file },
			{},
			{ startRow: 0, pageSize: 100 },
		);
		expect(first.error).toBeUndefined();
		const members = first.items(MEMBER_FEED, 0);
		expect(members).toHaveLength(100);
		expect(
			members.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
		const [firstId] = [...sandbox().state.annex.memberIds];
		expect(members[0].json).toMatchObject({ line: 2, loyaltyId: firstId });
		expect(first.output(MEMBER_FEED, 1)).toEqual([
			expect.objectContaining({
				sourceFile: 'member-feed.csv',
				startRow: 0,
				nextStartRow: 100,
				done: false,
				members: 100,
				rowsRejected: 0,
			}),
		]);

		const last = await runFeedOperation(
			'read',
			{ data: feed.file },
			{},
			{ startRow: 100, pageSize: 100 },
		);
		expect(last.output(MEMBER_FEED, 0)).toHaveLength(feed.rows - 100);
		expect(last.output(MEMBER_FEED, 1)[0]).toMatchObject({ nextStartRow: null, done: true });
	});

	it('counts a row it cannot read in the summary and lists it in the rejects file', async () => {
		const feed = await sandboxFeed(sandbox());
		const text = fileContent(feed.file).toString('utf8').trimEnd();
		const lastRow = text.slice(text.lastIndexOf('\n') + 1);
		const withRepeat = csvFile(Buffer.from(`${text}\n${lastRow}\n`, 'utf8'), 'member-feed.csv');
		const run = await runFeedOperation(
			'read',
			{ data: withRepeat },
			{},
			{ startRow: 0, pageSize: 10000 },
		);
		expect(run.output(MEMBER_FEED, 0)).toHaveLength(feed.rows);
		const [summary] = run.items(MEMBER_FEED, 1);
		expect(summary.json).toMatchObject({
			rowsRejected: 1,
			rejects: [
				expect.objectContaining({
					line: feed.rows + 2,
					reason: expect.stringMatching(/^duplicate member id/),
				}),
			],
		});
		expect(fileContent(summary.binary!.rejects).toString('utf8')).toMatch(
			new RegExp(`^line,memberId,reason\\n${feed.rows + 2},`),
		);
	});
});
