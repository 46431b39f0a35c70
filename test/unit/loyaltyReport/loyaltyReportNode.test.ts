import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LoyaltyReport } from '../../../nodes/LoyaltyReport/LoyaltyReport.node';
import { syncRunRow } from '../../support/syncRuns';
import { platinumWinBack, syncSnapshot } from './fixtures';

/** Just enough of n8n's execute context for the node's item loop. */
function run(
	items: INodeExecutionData[],
	parameters: Record<string, unknown>,
	continueOnFail = false,
): Promise<INodeExecutionData[][]> {
	const context = {
		getInputData: () => items,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getNode: () => ({
			id: 'report',
			name: 'Loyalty Report',
			type: 'n8n-nodes-loyalty-sync.loyaltyReport',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		continueOnFail: () => continueOnFail,
		helpers: {
			prepareBinaryData: async (data: Buffer, fileName: string, mimeType: string) =>
				({ data: data.toString('base64'), fileName, mimeType }) as IBinaryData,
		},
	} as unknown as IExecuteFunctions;
	return new LoyaltyReport().execute.call(context);
}

const decode = (binary: IBinaryData | undefined) => Buffer.from(binary?.data ?? '', 'base64');

describe('Loyalty Report node', () => {
	it('describes itself for the editor and for AI agents', () => {
		const { description } = new LoyaltyReport();
		expect(description.name).toBe('loyaltyReport');
		expect(description.usableAsTool).toBe(true);
		expect(description.properties.map((p) => p.name)).toEqual([
			'reportType',
			'alertChecks',
			'maxRejectedPercent',
			'maxFeedAgeHours',
			'maxHoursWithoutSuccess',
			'currency',
			'pointsPerCurrencyUnit',
			'purchaseActionIds',
			'maxPlausibleLiftPoints',
			'significanceLevel',
			'earlierCampaigns',
			'inputMode',
			'formats',
			'options',
			'benefitPeriodUnit',
			'benefitFrom',
			'benefitTo',
		]);
	});

	it('writes one report per item with figures and PDF, HTML and CSV files', async () => {
		const items = [{ json: platinumWinBack }, { json: platinumWinBack }];
		const [output] = await run(items, {
			reportType: 'campaignReview',
			inputMode: 'eachItem',
			formats: ['pdf', 'html', 'csv'],
			options: {},
		});
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const [item] = output;
		expect(item.json).toMatchObject({ reportType: 'campaignReview', bestChannel: 'SMS' });
		expect(Object.keys(item.binary ?? {})).toEqual(['pdf', 'html', 'csv']);
		expect(item.binary?.pdf).toMatchObject({
			fileName: 'campaign-review-platinum-win-back.pdf',
			mimeType: 'application/pdf',
		});
		expect(decode(item.binary?.pdf).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
		expect(decode(item.binary?.html).toString('utf8')).toContain('Platinum win-back');
		// Excel needs the byte order mark to read the CSV as UTF-8.
		expect(decode(item.binary?.csv).toString('utf8')).toMatch(/^\ufeffsection,subject/);
	});

	it('reads the input from a data field and names the binary outputs as set', async () => {
		const [output] = await run([{ json: { result: { campaign: platinumWinBack } } }], {
			reportType: 'campaignReview',
			inputMode: 'eachItem',
			formats: ['pdf'],
			options: { dataField: 'result.campaign', pdfBinaryProperty: 'report', fileName: 'may' },
		});
		expect(output[0].binary?.report?.fileName).toBe('may.pdf');
		expect(output[0].json.bestChannel).toBe('SMS');
	});

	it('merges all items into one sync health report paired with every item', async () => {
		const items = [
			{ json: { accepted: 40, rejected: 2 } },
			{ json: { accepted: 5, rejected: 3 } },
			{ json: { source: syncSnapshot.source, target: syncSnapshot.target } },
		];
		const [output] = await run(items, {
			reportType: 'syncHealth',
			inputMode: 'allItems',
			formats: [],
			options: {},
		});
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json).toMatchObject({
			push: { sent: 50, successRate: 0.9 },
			reconciliation: { consistencyScore: 0.5 },
		});
	});

	it('turns run rows into alert items paired with their run, and nothing for healthy runs', async () => {
		const items = [
			{ json: syncRunRow({ runId: 'ok' }) },
			{ json: syncRunRow({ runId: 'bad', status: 'failed', error: 'timeout' }) },
		];
		const [output] = await run(items, {
			reportType: 'syncAlerts',
			alertChecks: ['runFailed', 'rejectedShare', 'sourceFile'],
			maxRejectedPercent: 1,
			maxFeedAgeHours: 26,
			maxHoursWithoutSuccess: 26,
		});
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual([{ item: 1 }]);
		expect(output[0].json).toMatchObject({
			alertKey: 'run:bad',
			subject: '[Loyalty sync] 02 Nightly sync: run bad failed',
		});
		expect(output[0].json.parts).toBeUndefined();
	});

	it('continues on fail with one error item for alert input it cannot read', async () => {
		const [output] = await run(
			[{ json: syncRunRow() }, { json: syncRunRow({ status: 'late' }) }],
			{ reportType: 'syncAlerts', alertChecks: ['runFailed'] },
			true,
		);
		expect(output).toEqual([
			{
				json: {
					error: `Item 1, field "run.status": 'run.status' must be one of running, success, failed, stopped, got "late"`,
					details: { field: 'run.status' },
				},
				pairedItem: [{ item: 0 }, { item: 1 }],
			},
		]);
	});

	it('fails with the item index and the field of bad input', async () => {
		const bad = { ...platinumWinBack, audienceSize: 'lots' };
		const run2 = run([{ json: platinumWinBack }, { json: bad }], {
			reportType: 'campaignReview',
			inputMode: 'eachItem',
			formats: [],
			options: {},
		});
		await expect(run2).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run2).rejects.toMatchObject({
			message: `Item 1, field "audienceSize": 'audienceSize' must be a number, got "lots"`,
			context: { itemIndex: 1 },
		});
	});

	it('names the item of a merge conflict', async () => {
		const items = [{ json: platinumWinBack }, { json: { audienceSize: 999 } }];
		await expect(
			run(items, { reportType: 'campaignReview', inputMode: 'allItems', formats: [], options: {} }),
		).rejects.toMatchObject({ context: { itemIndex: 1 } });
	});

	it('reports a missing data field as an error on that item', async () => {
		await expect(
			run([{ json: {} }], {
				reportType: 'campaignReview',
				inputMode: 'eachItem',
				formats: [],
				options: { dataField: 'campaign' },
			}),
		).rejects.toThrow(
			`Item 0, field "campaign": The input data field 'campaign' is not in the item`,
		);
	});

	it('continues on fail with an error item paired to the failing input', async () => {
		const [output] = await run(
			[{ json: 'x' as unknown as INodeExecutionData['json'] }, { json: platinumWinBack }],
			{ reportType: 'campaignReview', inputMode: 'eachItem', formats: ['csv'], options: {} },
			true,
		);
		expect(output).toHaveLength(2);
		expect(output[0]).toEqual({
			json: {
				error: `Item 0, field "campaign": 'campaign' must be an object, got "x"`,
				details: { field: 'campaign' },
			},
			pairedItem: { item: 0 },
		});
		expect(output[1].binary?.csv).toBeDefined();
	});
});
