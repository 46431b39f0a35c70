import { reviewCampaign } from '../../../nodes/LoyaltyReport/logic/campaignReview';
import {
	campaignReviewDocument,
	formatValue,
	syncHealthDocument,
	type ReportDocument,
} from '../../../nodes/LoyaltyReport/logic/reportDocument';
import { buildReport } from '../../../nodes/LoyaltyReport/logic/reportFiles';
import {
	csvField,
	escapeHtml,
	renderCsv,
	renderHtml,
} from '../../../nodes/LoyaltyReport/logic/render';
import {
	checkSyncHealth,
	DEFAULT_SYNC_HEALTH_OPTIONS,
} from '../../../nodes/LoyaltyReport/logic/syncHealth';
import { platinumWinBack, syncSnapshot } from './fixtures';

const GENERATED_AT = '2026-06-02 09:00 UTC';

/** RFC 4180 reader, enough to check what the writer produced. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			row.push(field);
			field = '';
		} else if (char === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += char;
	}
	return rows;
}

describe('formatValue', () => {
	it('formats each kind of figure', () => {
		expect(formatValue(12345.678, 'count')).toBe('12,345.68');
		expect(formatValue(4200, 'money', 'EUR')).toBe('4,200.00 EUR');
		expect(formatValue(11.8, 'percent')).toBe('1,180.0%');
		expect(formatValue(0.15, 'points')).toBe('+15.0 pp');
		expect(formatValue(-0.05, 'points')).toBe('-5.0 pp');
		expect(formatValue(null, 'percent')).toBe('n/a');
	});
});

describe('CSV', () => {
	it('quotes fields per RFC 4180', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField(-12.5)).toBe('-12.5');
		expect(csvField(null)).toBe('');
	});

	it('defuses text that a spreadsheet would run as a formula', () => {
		expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvField('-1 point')).toBe(`'-1 point`);
	});

	it('writes one row per figure that reads back unchanged', () => {
		const input = { ...platinumWinBack, name: 'Spring, "VIP" push' };
		input.channels = [
			{ ...input.channels[0], channel: 'Email, weekly' },
			...input.channels.slice(1),
		];
		const csv = renderCsv(campaignReviewDocument(reviewCampaign(input), GENERATED_AT));
		expect(csv.endsWith('\r\n')).toBe(true);
		const rows = parseCsv(csv);
		expect(rows[0]).toEqual(['section', 'subject', 'metric', 'value', 'display']);
		expect(rows.every((row) => row.length === 5)).toBe(true);
		expect(rows).toContainEqual(['Revenue and ROI', '', 'ROI', '11.8', '1,180.0%']);
		expect(rows).toContainEqual(['Channel funnel', 'Email, weekly', 'Sent', '100', '100']);
		expect(rows).toContainEqual([
			'Suggestions',
			'',
			'1',
			expect.stringMatching(/^Strengthen SMS outreach/),
			expect.stringMatching(/^Strengthen SMS outreach/),
		]);
	});
});

describe('HTML', () => {
	it('escapes markup characters', () => {
		expect(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
			'&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
		);
	});

	it('renders a self-contained page with every value escaped', () => {
		const input = { ...platinumWinBack, name: '<script>alert(1)</script>' };
		input.channels = [{ ...input.channels[0], channel: '<img src=x onerror=alert(2)>' }];
		const html = renderHtml(campaignReviewDocument(reviewCampaign(input), GENERATED_AT));
		expect(html).not.toContain('<script>');
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
		expect(html).not.toMatch(/<link|src="http|<script/);
		expect(html).toMatch(/^<!DOCTYPE html>/);
	});

	it('shows the figures, the bar chart and the missing data', () => {
		const input = { ...platinumWinBack, reached: undefined };
		const html = renderHtml(campaignReviewDocument(reviewCampaign(input), GENERATED_AT));
		expect(html).toContain('<h1>Campaign review: Platinum win-back</h1>');
		expect(html).toContain('3,200.00 EUR');
		expect(html).toMatch(/class="bar" style="display:block;width:62\.5%"/); // 12.5 % of 20 %
		expect(html).toContain('<li class="missing">reached</li>');
	});
});

describe('report documents', () => {
	it('lays out the sync health report with its scores as a bar chart', () => {
		const doc: ReportDocument = syncHealthDocument(checkSyncHealth(syncSnapshot), GENERATED_AT);
		const bars = doc.sections.find((s) => s.kind === 'bars');
		expect(bars).toMatchObject({
			heading: 'Health scores',
			bars: [
				{ label: 'Push success rate', value: 0.9 },
				{ label: 'Consistency score', value: 0.5 },
				{ label: 'Field accuracy', value: expect.closeTo(8 / 9, 10) },
			],
		});
	});

	it('builds the requested files with derived names', () => {
		const built = buildReport(platinumWinBack, {
			reportType: 'campaignReview',
			formats: ['pdf', 'csv', 'html', 'pdf'],
			sync: DEFAULT_SYNC_HEALTH_OPTIONS,
			fileName: '',
			now: new Date('2026-06-02T09:00:00Z'),
		});
		expect(built.files.map((f) => [f.fileName, f.mimeType])).toEqual([
			['campaign-review-platinum-win-back.pdf', 'application/pdf'],
			['campaign-review-platinum-win-back.csv', 'text/csv'],
			['campaign-review-platinum-win-back.html', 'text/html'],
		]);
		expect(built.files[0].content).toBeInstanceOf(Uint8Array);
		expect(built.files[2].content).toContain(GENERATED_AT);
	});
});
