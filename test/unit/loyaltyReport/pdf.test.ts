import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { reviewCampaign } from '../../../nodes/LoyaltyReport/logic/campaignReview';
import {
	encodeWinAnsi,
	escapePdfString,
	fitText,
	PdfWriter,
	textWidth,
	wrapText,
} from '../../../nodes/LoyaltyReport/logic/pdf';
import {
	campaignReviewDocument,
	syncHealthDocument,
} from '../../../nodes/LoyaltyReport/logic/reportDocument';
import { renderPdf } from '../../../nodes/LoyaltyReport/logic/render';
import { checkSyncHealth } from '../../../nodes/LoyaltyReport/logic/syncHealth';
import { nightlyRuns } from '../../support/syncRuns';
import { platinumWinBack } from './fixtures';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Checks the cross-reference table byte by byte and returns the object count. */
function checkXref(pdf: string): number {
	const startxref = /startxref\n(\d+)\n%%EOF\n$/.exec(pdf);
	expect(startxref).not.toBeNull();
	const xrefOffset = Number(startxref?.[1]);
	expect(pdf.startsWith('xref\n', xrefOffset)).toBe(true);
	const header = /^xref\n0 (\d+)\n/.exec(pdf.slice(xrefOffset));
	const count = Number(header?.[1]);
	const entriesStart = xrefOffset + (header?.[0].length ?? 0);
	for (let n = 0; n < count; n++) {
		const entry = pdf.slice(entriesStart + n * 20, entriesStart + (n + 1) * 20);
		expect(entry).toMatch(/^\d{10} \d{5} [nf] \n$/);
		if (n === 0) {
			expect(entry).toBe('0000000000 65535 f \n');
			continue;
		}
		const offset = Number(entry.slice(0, 10));
		expect(pdf.startsWith(`${n} 0 obj\n`, offset)).toBe(true);
	}
	expect(pdf.slice(entriesStart + count * 20)).toMatch(new RegExp(`^trailer\\n<< /Size ${count} `));
	// Stream lengths must match too, or viewers fall back to repairing the file.
	for (const match of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
		const start = (match.index ?? 0) + match[0].length;
		expect(pdf.startsWith('\nendstream', start + Number(match[1]))).toBe(true);
	}
	return count;
}

describe('PdfWriter', () => {
	it('writes exact xref offsets and stream lengths', () => {
		const pdf = new PdfWriter();
		pdf.text(50, 800, 'Héllo (world) \\ €', { size: 12 });
		pdf.rect(50, 700, 100, 20, [0.2, 0.4, 0.6]);
		pdf.line(50, 690, 150, 690);
		pdf.addPage();
		pdf.text(50, 800, 'Second page', { size: 12, weight: 'bold', align: 'right' });
		const text = latin1(pdf.toBytes({ title: 'Tést', creationDate: new Date(0) }));
		expect(text.startsWith('%PDF-1.4\n')).toBe(true);
		// Catalog, pages, two fonts, info, and a page object plus content stream per page.
		expect(checkXref(text)).toBe(10);
		expect(text).toContain('/Count 2');
		expect(text).toContain('/CreationDate (D:19700101000000Z)');
	});

	it('checks the xref of a full multi-page report', () => {
		const many = {
			...platinumWinBack,
			channels: Array.from({ length: 60 }, (_, i) => ({
				...platinumWinBack.channels[i % 3],
				channel: `Channel ${i + 1}`,
			})),
		};
		const bytes = renderPdf(
			campaignReviewDocument(reviewCampaign(many), '2026-06-02 09:00 UTC'),
			new Date(),
		);
		const text = latin1(bytes);
		checkXref(text);
		expect(Number(/\/Count (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(3);
		// Long charts and tables continue on the next page instead of running off the bottom:
		// nothing but the footer (baseline 28 pt) goes below the 48 pt margin.
		const lowest = (pattern: RegExp) =>
			Math.min(...[...text.matchAll(pattern)].map((match) => Number(match[1])));
		expect(lowest(/ [\d.]+ ([\d.-]+) Td \((?!Page|Campaign review)/g)).toBeGreaterThanOrEqual(48);
		expect(lowest(/[\d.]+ ([\d.-]+) [\d.]+ [\d.]+ re/g)).toBeGreaterThanOrEqual(48);
		expect(text).toContain('(Channel 60) Tj');
	});

	it('escapes string delimiters and writes WinAnsi bytes as octal', () => {
		expect(escapePdfString(encodeWinAnsi('a(b)c\\d'))).toBe('a\\(b\\)c\\\\d');
		expect(escapePdfString(encodeWinAnsi('é€—'))).toBe('\\351\\200\\227');
		// Outside WinAnsi: accents fall back to the base letter, the rest to '?'.
		expect(encodeWinAnsi('ā中\u2212')).toEqual([0x61, 0x3f, 0x2d]);
	});

	it('measures text with the Helvetica metrics', () => {
		// H 722 + e 556 + l 222 + l 222 + o 556 = 2278 units
		expect(textWidth('Hello', 10)).toBeCloseTo(22.78, 10);
		expect(textWidth('Hello', 10, 'bold')).toBeCloseTo((722 + 556 + 278 + 278 + 611) / 100, 10);
		expect(fitText('A long channel name', 40, 10)).toMatch(/…$/);
		expect(textWidth(fitText('A long channel name', 40, 10), 10)).toBeLessThanOrEqual(40);
		expect(wrapText('one two three four', 50, 10)).toEqual(['one two', 'three four']);
	});
});

/**
 * Runs a poppler tool and returns its output; a missing tool fails the test with the way to
 * install it, and anything poppler complains about on stderr (syntax errors, repaired xref)
 * fails it too.
 */
function poppler(tool: string, args: string[]): string {
	const result = spawnSync(tool, args, { encoding: 'latin1' });
	if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
		throw new Error(
			`${tool} was not found. The PDF rendering test needs poppler-utils ` +
				'(apt-get install poppler-utils); it is not optional.',
		);
	}
	if (result.error) throw result.error;
	expect({ tool, status: result.status, stderr: result.stderr }).toEqual({
		tool,
		status: 0,
		stderr: '',
	});
	return result.stdout;
}

function pngSize(file: string): { width: number; height: number } {
	const png = readFileSync(file);
	expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Share of pixels clearly darker than white in a binary PGM (P5) page image. */
function inkShare(file: string): number {
	const pgm = readFileSync(file);
	const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'));
	expect(header).not.toBeNull();
	const pixels = pgm.subarray(header?.[0].length ?? 0);
	let ink = 0;
	for (const value of pixels) if (value < 200) ink++;
	return ink / pixels.length;
}

describe('the campaign review PDF renders with poppler', () => {
	let dir: string;
	let pdfFile: string;

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'loyalty-report-'));
		pdfFile = join(dir, 'campaign-review.pdf');
		const figures = reviewCampaign(platinumWinBack);
		const document = campaignReviewDocument(figures, '2026-06-02 09:00 UTC');
		writeFileSync(pdfFile, renderPdf(document, new Date()));
	});

	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('rasterises the first page to a PNG of A4 proportions', () => {
		poppler('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', pdfFile, join(dir, 'page')]);
		const png = readdirSync(dir).find((name) => /^page-0*1\.png$/.test(name));
		expect(png).toBeDefined();
		const { width, height } = pngSize(join(dir, png as string));
		// 595.28 x 841.89 pt at 50 dpi
		expect(width).toBeGreaterThanOrEqual(412);
		expect(width).toBeLessThanOrEqual(415);
		expect(height).toBeGreaterThanOrEqual(583);
		expect(height).toBeLessThanOrEqual(586);
	});

	it('draws ink on the page: text, table stripes and bars', () => {
		poppler('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', pdfFile, join(dir, 'gray')]);
		const pgm = readdirSync(dir).find((name) => /^gray-0*1\.pgm$/.test(name));
		expect(pgm).toBeDefined();
		const share = inkShare(join(dir, pgm as string));
		expect(share).toBeGreaterThan(0.02);
		expect(share).toBeLessThan(0.5);
	});

	it('has the title and the figures in its text layer', () => {
		const text = poppler('pdftotext', ['-layout', pdfFile, '-']);
		expect(text).toContain('Campaign review: Platinum win-back');
		expect(text).toContain('Strengthen SMS outreach');
		expect(text).toMatch(/New GMV\s+3,200\.00 EUR/);
		expect(text).toMatch(/ROI\s+1,180\.0%/);
		expect(text).toContain('Conversion rate by channel');
		expect(text).toMatch(/SMS\s+12\.5%/);
	});

	it('reads as a clean A4 PDF in pdfinfo', () => {
		const info = poppler('pdfinfo', [pdfFile]);
		expect(info).toMatch(/Title:\s+Campaign review: Platinum win-back/);
		expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
		expect(existsSync(pdfFile)).toBe(true);
	});
});

describe('the sync health PDF with 30 runs of history renders with poppler', () => {
	it('shows the trend table and chart across pages, every run listed', () => {
		const dir = mkdtempSync(join(tmpdir(), 'loyalty-report-'));
		try {
			const pdfFile = join(dir, 'sync-health.pdf');
			const figures = checkSyncHealth({ runs: nightlyRuns(30) });
			writeFileSync(
				pdfFile,
				renderPdf(syncHealthDocument(figures, '2026-11-30 06:00 UTC'), new Date()),
			);
			const text = poppler('pdftotext', ['-layout', pdfFile, '-']);
			expect(text).toContain('Run history: the last 30 run(s)');
			expect(text).toContain('Records sent per run');
			expect(text).toContain('Runs, oldest first (times in UTC)');
			expect(text).toMatch(
				/2026-11-01 02:00\s+1000\s+success\s+10,000\s+20\s+180\s+5\s+100\s+0\s+0\.0%\s+1 min 00 s/,
			);
			expect(text).toMatch(/2026-11-30 02:00\s+1029\s+success/);
			expect(text).toMatch(/Run success rate\s+100\.0%/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
