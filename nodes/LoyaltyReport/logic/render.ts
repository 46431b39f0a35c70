import { fitText, PdfWriter, textWidth, wrapText, type Rgb } from './pdf';
import {
	formatValue,
	NOT_AVAILABLE,
	type CellValue,
	type MetricRow,
	type ReportDocument,
	type ReportSection,
	type ValueFormat,
} from './reportDocument';

/** The report document as PDF (tables and bar charts), self-contained HTML and CSV. */

const PAGE_MARGIN = 48;
const FOOTER_Y = 28;
const BODY_SIZE = 8.5;
const ROW_HEIGHT = 15;
const CELL_PADDING = 5;

const COLORS = {
	text: [0.13, 0.15, 0.2],
	muted: [0.42, 0.45, 0.5],
	accent: [0.16, 0.33, 0.62],
	headerText: [1, 1, 1],
	stripe: [0.94, 0.95, 0.97],
	rule: [0.8, 0.82, 0.86],
	bar: [0.2, 0.5, 0.78],
	barNegative: [0.8, 0.3, 0.25],
	suggestion: [0.1, 0.45, 0.25],
	warning: [0.72, 0.4, 0.0],
	missing: [0.75, 0.15, 0.15],
	info: [0.13, 0.15, 0.2],
} satisfies Record<string, Rgb>;

type NoteTone = Extract<ReportSection, { kind: 'notes' }>['tone'];

const BAR_HEIGHT = 13;
const BAR_PITCH = 20;
/** Space under a chart for the tick labels, plus the chart's own padding. */
const BAR_AXIS_ROOM = 22;
const BAR_VALUE_ROOM = 55;

interface BarChartFrame {
	left: number;
	width: number;
	labelWidth: number;
	scaleMax: number;
	format: ValueFormat;
}

function isNumericFormat(format: ValueFormat): boolean {
	return format !== 'text';
}

/** Lays the document out top-down, opening pages as the cursor reaches the bottom margin. */
class PdfLayout {
	readonly pdf = new PdfWriter();
	private y = 0;
	readonly left = PAGE_MARGIN;
	readonly width: number;

	constructor(private readonly footer: string) {
		this.width = this.pdf.pageWidth - 2 * PAGE_MARGIN;
		this.newPage();
	}

	private newPage(): void {
		this.pdf.addPage();
		this.y = this.pdf.pageHeight - PAGE_MARGIN;
		const ruleY = FOOTER_Y + 10;
		this.pdf.line(this.left, ruleY, this.left + this.width, ruleY, 0.5, COLORS.rule);
		this.pdf.text(this.left, FOOTER_Y, fitText(this.footer, this.width - 60, 7.5), {
			size: 7.5,
			color: COLORS.muted,
		});
		this.pdf.text(this.left + this.width, FOOTER_Y, `Page ${this.pdf.pageCount}`, {
			size: 7.5,
			color: COLORS.muted,
			align: 'right',
		});
	}

	/** Makes room for `height` points, starting a new page when they do not fit. */
	reserve(height: number): void {
		if (this.y - height < PAGE_MARGIN + 10) this.newPage();
	}

	/** The current cursor, moved down by `height`; returns the top of the reserved band. */
	take(height: number): number {
		const top = this.y;
		this.y -= height;
		return top;
	}

	title(title: string, subtitle: string): void {
		const lines = wrapText(title, this.width, 18, 'bold');
		for (const line of lines) {
			const top = this.take(22);
			this.pdf.text(this.left, top - 16, line, { size: 18, weight: 'bold', color: COLORS.text });
		}
		for (const line of wrapText(subtitle, this.width, 9.5)) {
			const top = this.take(14);
			this.pdf.text(this.left, top - 11, line, { size: 9.5, color: COLORS.muted });
		}
		const top = this.take(10);
		this.pdf.line(this.left, top - 4, this.left + this.width, top - 4, 1.2, COLORS.accent);
	}

	heading(text: string, firstBlockHeight: number): void {
		this.reserve(30 + firstBlockHeight);
		const top = this.take(26);
		this.pdf.rect(this.left, top - 20, 3, 13, COLORS.accent);
		this.pdf.text(this.left + 9, top - 18, text, { size: 12, weight: 'bold', color: COLORS.text });
	}

	gap(height: number): void {
		this.take(height);
	}

	/** A text row inside a band of ROW_HEIGHT whose top is `top`. */
	cell(text: string, x: number, width: number, top: number, numeric: boolean, bold = false) {
		const weight = bold ? 'bold' : 'regular';
		const fitted = fitText(text, width - 2 * CELL_PADDING, BODY_SIZE, weight);
		this.pdf.text(numeric ? x + width - CELL_PADDING : x + CELL_PADDING, top - 10.5, fitted, {
			size: BODY_SIZE,
			weight,
			color: bold ? COLORS.headerText : COLORS.text,
			align: numeric ? 'right' : 'left',
		});
	}

	/** Label/value pairs, two pairs per row to keep the summary compact. */
	metrics(rows: MetricRow[], currency: string | null): void {
		const pairWidth = this.width / 2;
		// Inner room of one pair: padding left, a gap between label and value, 8 pt before
		// the next pair.
		const room = pairWidth - 2 * CELL_PADDING - 8 - 6;
		for (let i = 0; i < rows.length; i += 2) {
			this.reserve(ROW_HEIGHT);
			const top = this.take(ROW_HEIGHT);
			if ((i / 2) % 2 === 0) {
				this.pdf.rect(this.left, top - ROW_HEIGHT, this.width, ROW_HEIGHT, COLORS.stripe);
			}
			rows.slice(i, i + 2).forEach((row, column) => {
				const x = this.left + column * pairWidth;
				const value = fitText(
					formatValue(row.value, row.format, currency),
					room * 0.5,
					BODY_SIZE,
					'bold',
				);
				const label = fitText(row.label, room - textWidth(value, BODY_SIZE, 'bold'), BODY_SIZE);
				this.pdf.text(x + CELL_PADDING, top - 10.5, label, {
					size: BODY_SIZE,
					color: COLORS.muted,
				});
				this.pdf.text(x + pairWidth - CELL_PADDING - 8, top - 10.5, value, {
					size: BODY_SIZE,
					weight: 'bold',
					color: value === NOT_AVAILABLE ? COLORS.missing : COLORS.text,
					align: 'right',
				});
			});
		}
		const bottom = this.take(0);
		this.pdf.line(this.left, bottom, this.left + this.width, bottom, 0.5, COLORS.rule);
	}

	table(section: Extract<ReportSection, { kind: 'table' }>): void {
		if (section.rows.length === 0) {
			this.note(section.empty, COLORS.muted);
			return;
		}
		const headers = [section.subjectLabel, ...section.columns.map((c) => c.label)];
		const formats: ValueFormat[] = ['text', ...section.columns.map((c) => c.format)];
		const body = section.rows.map((row) => [
			row.subject,
			...row.values.map((value, i) => formatValue(value, section.columns[i].format)),
		]);
		const widths = columnWidths(headers, body, this.width);
		const drawHeader = () => {
			const top = this.take(ROW_HEIGHT);
			this.pdf.rect(this.left, top - ROW_HEIGHT, this.width, ROW_HEIGHT, COLORS.accent);
			let x = this.left;
			headers.forEach((header, i) => {
				this.cell(header, x, widths[i], top, isNumericFormat(formats[i]), true);
				x += widths[i];
			});
		};
		drawHeader();
		body.forEach((cells, rowIndex) => {
			if (this.y - ROW_HEIGHT < PAGE_MARGIN + 10) {
				this.reserve(ROW_HEIGHT * 2);
				drawHeader();
			}
			const top = this.take(ROW_HEIGHT);
			if (rowIndex % 2 === 1) {
				this.pdf.rect(this.left, top - ROW_HEIGHT, this.width, ROW_HEIGHT, COLORS.stripe);
			}
			let x = this.left;
			cells.forEach((text, i) => {
				this.cell(text, x, widths[i], top, isNumericFormat(formats[i]));
				x += widths[i];
			});
		});
		const bottom = this.take(0);
		this.pdf.line(this.left, bottom, this.left + this.width, bottom, 0.5, COLORS.rule);
	}

	/**
	 * Horizontal bars scaled to the largest value, with tick marks and value labels. A chart
	 * taller than the page continues on the next one with its own axis.
	 */
	bars(section: Extract<ReportSection, { kind: 'bars' }>): void {
		if (section.bars.length === 0) {
			this.note(section.empty, COLORS.muted);
			return;
		}
		const known = section.bars.map((b) => b.value).filter((v): v is number => v !== null);
		const labelWidth = Math.min(
			150,
			Math.max(...section.bars.map((b) => textWidth(b.label, BODY_SIZE))) + 2 * CELL_PADDING,
		);
		const chart: BarChartFrame = {
			left: this.left + labelWidth,
			width: this.width - labelWidth - BAR_VALUE_ROOM,
			labelWidth,
			scaleMax: niceCeiling(Math.max(0, ...known.map(Math.abs)) || 1),
			format: section.format,
		};
		for (let first = 0; first < section.bars.length; ) {
			this.reserve(BAR_PITCH + BAR_AXIS_ROOM);
			const room = this.y - (PAGE_MARGIN + 10) - BAR_AXIS_ROOM;
			const count = Math.max(1, Math.floor(room / BAR_PITCH));
			this.barChunk(section.bars.slice(first, first + count), chart);
			first += count;
		}
	}

	private barChunk(bars: Array<{ label: string; value: number | null }>, chart: BarChartFrame) {
		const height = bars.length * BAR_PITCH + 6;
		const top = this.take(height);
		for (let tick = 0; tick <= 4; tick++) {
			const x = chart.left + (chart.width * tick) / 4;
			this.pdf.line(x, top - height, x, top, 0.4, COLORS.rule);
			const label = formatValue((chart.scaleMax * tick) / 4, chart.format);
			this.pdf.text(x, top - height - 10, label, {
				size: 7,
				color: COLORS.muted,
				align: 'center',
			});
		}
		bars.forEach((bar, i) => {
			const barTop = top - 4 - i * BAR_PITCH;
			const baseline = barTop - BAR_HEIGHT + 3.5;
			this.pdf.text(
				chart.left - CELL_PADDING,
				baseline,
				fitText(bar.label, chart.labelWidth - CELL_PADDING, BODY_SIZE),
				{ size: BODY_SIZE, color: COLORS.text, align: 'right' },
			);
			const value = bar.value;
			const length =
				value === null
					? 0
					: (Math.min(Math.abs(value), chart.scaleMax) / chart.scaleMax) * chart.width;
			if (length > 0) {
				const fill = value !== null && value < 0 ? COLORS.barNegative : COLORS.bar;
				this.pdf.rect(chart.left, barTop - BAR_HEIGHT, length, BAR_HEIGHT, fill);
			}
			this.pdf.text(chart.left + length + 4, baseline, formatValue(value, chart.format), {
				size: BODY_SIZE,
				weight: 'bold',
				color: value === null ? COLORS.missing : COLORS.text,
			});
		});
		this.pdf.line(chart.left, top - height, chart.left, top, 0.8, COLORS.text);
		this.take(BAR_AXIS_ROOM - 6);
	}

	note(text: string, color: Rgb): void {
		for (const line of wrapText(text, this.width - 2 * CELL_PADDING, BODY_SIZE + 0.5)) {
			this.reserve(13);
			const top = this.take(13);
			this.pdf.text(this.left + CELL_PADDING, top - 10, line, { size: BODY_SIZE + 0.5, color });
		}
	}

	bullets(items: string[], tone: NoteTone): void {
		const indent = 14;
		const size = BODY_SIZE + 0.5;
		for (const item of items) {
			const lines = wrapText(item, this.width - indent - CELL_PADDING, size);
			this.reserve(13 * Math.min(lines.length, 3));
			lines.forEach((line, i) => {
				this.reserve(13);
				const top = this.take(13);
				if (i === 0) {
					this.pdf.rect(this.left + CELL_PADDING, top - 8, 3.5, 3.5, COLORS[tone]);
				}
				this.pdf.text(this.left + indent, top - 10, line, { size, color: COLORS.text });
			});
			this.take(2);
		}
	}
}

/** Rounds a positive axis maximum up to 1, 2, 2.5 or 5 times a power of ten. */
function niceCeiling(value: number): number {
	const magnitude = 10 ** Math.floor(Math.log10(value));
	const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value) ?? 10;
	return step * magnitude;
}

/** Each column gets its widest cell; any space left or missing is shared out evenly. */
function columnWidths(headers: string[], body: string[][], total: number): number[] {
	const natural = headers.map(
		(header, i) =>
			Math.max(
				textWidth(header, BODY_SIZE, 'bold'),
				...body.map((row) => textWidth(row[i], BODY_SIZE)),
			) +
			2 * CELL_PADDING +
			2,
	);
	const sum = natural.reduce((a, b) => a + b, 0);
	if (sum <= total) {
		const extra = (total - sum) / natural.length;
		return natural.map((w) => w + extra);
	}
	return natural.map((w) => (w * total) / sum);
}

function sectionHeightHint(section: ReportSection): number {
	if (section.kind === 'bars') {
		return Math.min(section.bars.length, 3) * BAR_PITCH + BAR_AXIS_ROOM;
	}
	if (section.kind === 'table') return ROW_HEIGHT * Math.min(3, section.rows.length + 1);
	return ROW_HEIGHT * 2;
}

export function renderPdf(doc: ReportDocument, creationDate: Date): Uint8Array {
	const layout = new PdfLayout(`${doc.title} - ${doc.generatedAt}`);
	layout.title(doc.title, doc.subtitle);
	for (const section of doc.sections) {
		layout.heading(section.heading, sectionHeightHint(section));
		if (section.kind === 'metrics') layout.metrics(section.rows, doc.currency);
		else if (section.kind === 'table') layout.table(section);
		else if (section.kind === 'bars') layout.bars(section);
		else if (section.items.length === 0) layout.note(section.empty, COLORS.muted);
		else layout.bullets(section.items, section.tone);
		layout.gap(8);
	}
	return layout.pdf.toBytes({ title: doc.title, creationDate });
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

const HTML_STYLE = `
body{font-family:Helvetica,Arial,sans-serif;color:#21262f;margin:2rem auto;max-width:60rem}
body{padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}.subtitle{color:#6b7380;margin-top:0}
h2{font-size:1.1rem;border-left:4px solid #29549e;padding-left:.5rem;margin-top:1.8rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th{background:#29549e;color:#fff;text-align:left;padding:.3rem .5rem}
td{padding:.3rem .5rem;border-bottom:1px solid #e3e5ea}tr:nth-child(even) td{background:#f0f2f7}
td.num,th.num{text-align:right}td.na{color:#bf2626}
.chart{font-size:.85rem}.bar-row{display:flex;align-items:center;margin:.25rem 0}
.bar-label{width:12rem;text-align:right;padding-right:.5rem}
.bar-track{flex:1;background:#f0f2f7;height:1rem}.bar{background:#3380c7;height:1rem}
.bar.negative{background:#cc4d40}.bar-value{width:5rem;padding-left:.5rem;font-weight:bold}
li.suggestion::marker{color:#1a7340}li.warning::marker{color:#b86600}
li.missing::marker{color:#bf2626}
.empty{color:#6b7380}`;

function htmlCell(value: CellValue, format: ValueFormat, currency?: string | null): string {
	const text = formatValue(value, format, currency);
	const classes = [isNumericFormat(format) ? 'num' : '', value === null ? 'na' : '']
		.filter(Boolean)
		.join(' ');
	return `<td${classes ? ` class="${classes}"` : ''}>${escapeHtml(text)}</td>`;
}

function htmlSection(section: ReportSection, currency: string | null): string {
	const heading = `<h2>${escapeHtml(section.heading)}</h2>`;
	const empty = (text: string) => `${heading}<p class="empty">${escapeHtml(text)}</p>`;
	switch (section.kind) {
		case 'metrics':
			return (
				`${heading}<table class="metrics"><tbody>` +
				section.rows
					.map(
						(row) =>
							`<tr><td>${escapeHtml(row.label)}</td>` +
							`${htmlCell(row.value, row.format, currency)}</tr>`,
					)
					.join('') +
				'</tbody></table>'
			);
		case 'table': {
			if (section.rows.length === 0) return empty(section.empty);
			const head = [`<th>${escapeHtml(section.subjectLabel)}</th>`]
				.concat(
					section.columns.map(
						(c) =>
							`<th${isNumericFormat(c.format) ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`,
					),
				)
				.join('');
			const rows = section.rows
				.map(
					(row) =>
						`<tr><td>${escapeHtml(row.subject)}</td>` +
						row.values.map((v, i) => htmlCell(v, section.columns[i].format)).join('') +
						'</tr>',
				)
				.join('');
			return `${heading}<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
		}
		case 'bars': {
			if (section.bars.length === 0) return empty(section.empty);
			const scaleMax = niceCeiling(
				Math.max(0, ...section.bars.map((b) => Math.abs(b.value ?? 0))) || 1,
			);
			const rows = section.bars
				.map((bar) => {
					const width = bar.value === null ? 0 : (Math.abs(bar.value) / scaleMax) * 100;
					const negative = bar.value !== null && bar.value < 0 ? ' negative' : '';
					const value = escapeHtml(formatValue(bar.value, section.format));
					return (
						`<div class="bar-row"><span class="bar-label">${escapeHtml(bar.label)}</span>` +
						`<span class="bar-track"><span class="bar${negative}" style="display:block;` +
						`width:${width.toFixed(1)}%"></span></span>` +
						`<span class="bar-value">${value}</span></div>`
					);
				})
				.join('');
			const label = escapeHtml(section.heading);
			return `${heading}<div class="chart" role="img" aria-label="${label}">${rows}</div>`;
		}
		default:
			if (section.items.length === 0) return empty(section.empty);
			return (
				`${heading}<ul>` +
				section.items
					.map((item) => `<li class="${section.tone}">${escapeHtml(item)}</li>`)
					.join('') +
				'</ul>'
			);
	}
}

export function renderHtml(doc: ReportDocument): string {
	return (
		'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
		`<title>${escapeHtml(doc.title)}</title><style>${HTML_STYLE}</style></head><body>` +
		`<h1>${escapeHtml(doc.title)}</h1><p class="subtitle">${escapeHtml(doc.subtitle)}</p>` +
		doc.sections.map((section) => htmlSection(section, doc.currency)).join('\n') +
		'</body></html>\n'
	);
}

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula gets a leading quote;
 * numbers are written as they are.
 */
export function csvField(value: CellValue): string {
	if (value === null) return '';
	let text = typeof value === 'number' ? String(value) : value;
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) text = `'${value}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A long-format table (section, subject, metric, value, display): one row per figure, so the
 * file opens as a single table and filters cleanly. Charts repeat table figures and are left out.
 */
export function renderCsv(doc: ReportDocument): string {
	const rows: CellValue[][] = [['section', 'subject', 'metric', 'value', 'display']];
	for (const section of doc.sections) {
		if (section.kind === 'metrics') {
			for (const row of section.rows) {
				rows.push([
					section.heading,
					'',
					row.label,
					row.value,
					formatValue(row.value, row.format, doc.currency),
				]);
			}
		} else if (section.kind === 'table') {
			for (const row of section.rows) {
				section.columns.forEach((column, i) => {
					const value = row.values[i];
					const display = formatValue(value, column.format);
					rows.push([section.heading, row.subject, column.label, value, display]);
				});
			}
		} else if (section.kind === 'notes') {
			section.items.forEach((item, i) => {
				rows.push([section.heading, '', String(i + 1), item, item]);
			});
		}
	}
	return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
