import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { LoyaltyReport } from '../../../nodes/LoyaltyReport/LoyaltyReport.node';
import { reportLibrary } from '../../../nodes/LoyaltyReport/logic/reportLibrary';
import {
	CAMPAIGN_ID,
	campaignRow,
	engagementRow,
	memberRows,
	purchaseLine,
	touchRow,
} from './campaignRecordRows';

function run(items: INodeExecutionData[], parameters: Record<string, unknown>) {
	const context = {
		getInputData: () => items,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getNode: () => ({ id: 'r', name: 'Loyalty Report', typeVersion: 1, parameters: {} }),
		continueOnFail: () => false,
		helpers: {
			prepareBinaryData: async (data: Buffer, fileName: string, mimeType: string) =>
				({ data: data.toString('base64'), fileName, mimeType }) as IBinaryData,
		},
	} as unknown as IExecuteFunctions;
	return new LoyaltyReport().execute.call(context);
}

const decode = (binary: IBinaryData | undefined) =>
	Buffer.from(binary?.data ?? '', 'base64').toString('utf8');

describe('Loyalty Report node: Campaign Review From Record', () => {
	const rows = [
		{},
		...memberRows(2, 1),
		touchRow('t-000', 'email'),
		touchRow('t-001', 'sms'),
		engagementRow('t-000', 'email', 'open'),
		campaignRow({ name: 'Lapsed <Platinum>' }),
		purchaseLine('t-001', 40),
	];

	it('reviews every campaign row in the input, paired with it, with versioned files', async () => {
		const [output] = await run(
			rows.map((json) => ({ json })),
			{ reportType: 'campaignRecord', formats: ['pdf', 'html'], pointsPerCurrencyUnit: 2 },
		);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 7 });
		expect(output[0].json).toMatchObject({
			campaignId: CAMPAIGN_ID,
			version: 1,
			revenue: expect.objectContaining({ attributedRevenue: 20 }),
		});
		expect(output[0].json).not.toHaveProperty('campaignRow');
		expect(output[0].binary?.pdf?.fileName).toBe(`${CAMPAIGN_ID}-v1.pdf`);
		const html = decode(output[0].binary?.html);
		expect(html).toContain('Lapsed &lt;Platinum&gt;');
		expect(html).toContain('Is the lift real?');
		expect(html).not.toContain('<Platinum>');
	});

	it('refuses purchase action ids that are not numbers', async () => {
		await expect(
			run([{ json: campaignRow() }], { reportType: 'campaignRecord', purchaseActionIds: '109, x' }),
		).rejects.toThrow('Purchase Action IDs must be whole numbers');
	});
});

describe('report library', () => {
	const insight = (version: number, recipients: string) => ({
		insightKey: `${CAMPAIGN_ID}:v${version}`,
		campaignId: CAMPAIGN_ID,
		campaignName: 'Lapsed <b>Platinum</b>',
		segment: 'lapsed-platinum',
		version,
		reviewedAt: `2026-06-1${version}T06:00:00.000Z`,
		status: version > 1 ? 'complete' : 'incomplete',
		pdfPath: `/reviews/${CAMPAIGN_ID}-v${version}.pdf`,
		recipients,
	});
	const open = (recipient: string, version: number, at: string) => ({
		openKey: `${CAMPAIGN_ID}:v${version}:${recipient}:${at}`,
		campaignId: CAMPAIGN_ID,
		version,
		recipient,
		openedAt: at,
	});

	it('shows the latest version of each review and its adoption rate (recipients who opened)', () => {
		const library = reportLibrary([
			insight(1, 'ops@example.com'),
			insight(2, 'ops@example.com, CEO@example.com, cs@example.com'),
			open('ops@example.com', 1, 'a'),
			open('ops@example.com', 2, 'b'),
			open('ceo@example.com', 2, 'c'),
			open('stranger@example.com', 2, 'd'),
		]);
		expect(library.reports).toEqual([
			expect.objectContaining({
				version: 2,
				complete: true,
				recipients: 3,
				openedBy: 2,
				opens: 4,
			}),
		]);
		expect(library.reports[0].adoptionRate).toBeCloseTo(2 / 3, 10);
		expect(library).toMatchObject({ recipients: 3, openedBy: 2 });
		expect(library.adoptionRate).toBeCloseTo(2 / 3, 10);
	});

	it('renders an escaped HTML page through the node', async () => {
		const [output] = await run(
			[{ json: insight(1, 'ops@example.com') }, { json: open('ops@example.com', 1, 'a') }],
			{ reportType: 'reportLibrary', formats: ['html'] },
		);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		const html = String(output[0].json.html);
		expect(html).toContain('Report adoption rate');
		expect(html).toContain('100.0%');
		expect(html).toContain('Lapsed &lt;b&gt;Platinum&lt;/b&gt;');
		expect(output[0].json.adoptionRate).toBe(1);
	});
});
