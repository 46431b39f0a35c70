import {
	HELVETICA_BOLD_WIDTHS,
	HELVETICA_WIDTHS,
	WIN_ANSI_FIRST_CODE,
	WIN_ANSI_SPECIALS,
} from './helveticaMetrics';

/**
 * A small PDF 1.4 writer: pages of text, lines and rectangles in the two standard Helvetica
 * fonts. Verified community nodes may not ship runtime dependencies, and a report needs little
 * more than this. The file is plain ASCII apart from the binary marker comment, so every
 * character is one byte and the xref offsets are string positions.
 */

export type Rgb = readonly [number, number, number];
export type FontWeight = 'regular' | 'bold';

export interface TextStyle {
	size: number;
	weight?: FontWeight;
	color?: Rgb;
	align?: 'left' | 'right' | 'center';
}

export interface PdfInfo {
	title: string;
	creationDate: Date;
}

/** A4 portrait in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

const BLACK: Rgb = [0, 0, 0];
const FONT_RESOURCE: Record<FontWeight, string> = { regular: 'F1', bold: 'F2' };
const QUESTION_MARK = 0x3f;

/** Object numbers fixed by the writer; pages and their content streams follow. */
const CATALOG = 1;
const PAGES = 2;
const FONT_REGULAR = 3;
const FONT_BOLD = 4;
const INFO = 5;
const FIRST_PAGE_OBJECT = 6;

function winAnsiCode(codePoint: number): number {
	if (codePoint >= 0x20 && codePoint < 0x7f) return codePoint;
	if (codePoint >= 0xa0 && codePoint <= 0xff) return codePoint;
	const special = WIN_ANSI_SPECIALS.get(codePoint);
	if (special !== undefined) return special;
	if (codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d) return 0x20;
	// Thin and narrow no-break spaces and the minus sign come out of number formatting.
	if (codePoint === 0x2009 || codePoint === 0x202f) return 0x20;
	if (codePoint === 0x2212) return 0x2d;
	// An accented letter outside Latin-1 keeps its base letter rather than becoming '?'.
	const base = String.fromCodePoint(codePoint).normalize('NFD').codePointAt(0) ?? QUESTION_MARK;
	return base >= 0x20 && base < 0x7f ? base : QUESTION_MARK;
}

/** Text as WinAnsi codes; characters the standard fonts cannot show become '?'. */
export function encodeWinAnsi(text: string): number[] {
	const codes: number[] = [];
	for (const char of text) codes.push(winAnsiCode(char.codePointAt(0) ?? QUESTION_MARK));
	return codes;
}

/** A PDF literal string body: delimiters escaped, everything outside printable ASCII octal. */
export function escapePdfString(codes: readonly number[]): string {
	let out = '';
	for (const code of codes) {
		if (code === 0x28 || code === 0x29 || code === 0x5c) out += '\\' + String.fromCharCode(code);
		else if (code < 0x20 || code > 0x7e) out += '\\' + code.toString(8).padStart(3, '0');
		else out += String.fromCharCode(code);
	}
	return out;
}

export function textWidth(text: string, size: number, weight: FontWeight = 'regular'): number {
	const widths = weight === 'bold' ? HELVETICA_BOLD_WIDTHS : HELVETICA_WIDTHS;
	let units = 0;
	for (const code of encodeWinAnsi(text)) units += widths[code - WIN_ANSI_FIRST_CODE] ?? 556;
	return (units * size) / 1000;
}

/** The text, cut with an ellipsis when wider than maxWidth. */
export function fitText(text: string, maxWidth: number, size: number, weight?: FontWeight): string {
	if (textWidth(text, size, weight) <= maxWidth) return text;
	const chars = Array.from(text);
	while (chars.length > 0 && textWidth(chars.join('') + '…', size, weight) > maxWidth) {
		chars.pop();
	}
	return chars.join('') + '…';
}

/** Greedy word wrap; a single word wider than the line is cut with an ellipsis. */
export function wrapText(text: string, maxWidth: number, size: number, weight?: FontWeight) {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
		const candidate = line ? `${line} ${word}` : word;
		if (textWidth(candidate, size, weight) <= maxWidth || !line) {
			line = candidate;
		} else {
			lines.push(line);
			line = word;
		}
	}
	if (line) lines.push(line);
	return lines.map((l) => fitText(l, maxWidth, size, weight));
}

function num(value: number): string {
	if (!Number.isFinite(value)) return '0';
	const fixed = value.toFixed(2);
	return fixed.replace(/\.?0+$/, '') || '0';
}

function color(rgb: Rgb): string {
	return rgb.map(num).join(' ');
}

/** A text string for the document information dictionary: UTF-16BE hex, any script. */
function infoString(text: string): string {
	let hex = 'FEFF';
	for (let i = 0; i < text.length; i++) {
		hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
	}
	return `<${hex}>`;
}

function pdfDate(date: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return (
		`D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
		`${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
	);
}

export class PdfWriter {
	private readonly pages: string[][] = [];

	constructor(
		readonly pageWidth: number = A4.width,
		readonly pageHeight: number = A4.height,
	) {}

	get pageCount(): number {
		return this.pages.length;
	}

	addPage(): void {
		this.pages.push([]);
	}

	private get ops(): string[] {
		if (this.pages.length === 0) this.addPage();
		return this.pages[this.pages.length - 1];
	}

	/** Draws text with its baseline at y; x is the left edge, right edge or centre per align. */
	text(x: number, y: number, text: string, style: TextStyle): void {
		const weight = style.weight ?? 'regular';
		const width = textWidth(text, style.size, weight);
		const left = style.align === 'right' ? x - width : style.align === 'center' ? x - width / 2 : x;
		this.ops.push(
			`BT ${color(style.color ?? BLACK)} rg /${FONT_RESOURCE[weight]} ${num(style.size)} Tf ` +
				`${num(left)} ${num(y)} Td (${escapePdfString(encodeWinAnsi(text))}) Tj ET`,
		);
	}

	line(x1: number, y1: number, x2: number, y2: number, width = 0.5, rgb: Rgb = BLACK): void {
		this.ops.push(
			`${num(width)} w ${color(rgb)} RG ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`,
		);
	}

	/** A rectangle from its lower-left corner, filled and/or stroked. */
	rect(x: number, y: number, w: number, h: number, fill?: Rgb, stroke?: Rgb): void {
		const path = `${num(x)} ${num(y)} ${num(w)} ${num(h)} re`;
		if (fill && stroke) this.ops.push(`${color(fill)} rg ${color(stroke)} RG 0.5 w ${path} B`);
		else if (fill) this.ops.push(`${color(fill)} rg ${path} f`);
		else if (stroke) this.ops.push(`${color(stroke)} RG 0.5 w ${path} S`);
	}

	/** Serialises the document; each character of the result is one byte. */
	toPdfString(info: PdfInfo): string {
		if (this.pages.length === 0) this.addPage();
		const objects = new Map<number, string>();
		const pageRefs: string[] = [];
		this.pages.forEach((ops, index) => {
			const pageObject = FIRST_PAGE_OBJECT + index * 2;
			const content = ops.join('\n');
			pageRefs.push(`${pageObject} 0 R`);
			objects.set(
				pageObject,
				`<< /Type /Page /Parent ${PAGES} 0 R /MediaBox [0 0 ${num(this.pageWidth)} ` +
					`${num(this.pageHeight)}] /Resources << /Font << /F1 ${FONT_REGULAR} 0 R ` +
					`/F2 ${FONT_BOLD} 0 R >> >> /Contents ${pageObject + 1} 0 R >>`,
			);
			objects.set(pageObject + 1, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
		});
		objects.set(CATALOG, `<< /Type /Catalog /Pages ${PAGES} 0 R >>`);
		objects.set(
			PAGES,
			`<< /Type /Pages /Kids [${pageRefs.join(' ')}] /Count ${this.pages.length} >>`,
		);
		const font = (name: string) =>
			`<< /Type /Font /Subtype /Type1 /BaseFont /${name} /Encoding /WinAnsiEncoding >>`;
		objects.set(FONT_REGULAR, font('Helvetica'));
		objects.set(FONT_BOLD, font('Helvetica-Bold'));
		objects.set(
			INFO,
			`<< /Title ${infoString(info.title)} /Producer (n8n-nodes-loyalty-sync) ` +
				`/CreationDate (${pdfDate(info.creationDate)}) >>`,
		);

		const count = objects.size + 1;
		let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
		const offsets: number[] = [];
		for (let n = 1; n < count; n++) {
			offsets[n] = out.length;
			out += `${n} 0 obj\n${objects.get(n)}\nendobj\n`;
		}
		const xrefOffset = out.length;
		out += `xref\n0 ${count}\n0000000000 65535 f \n`;
		for (let n = 1; n < count; n++) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
		out +=
			`trailer\n<< /Size ${count} /Root ${CATALOG} 0 R /Info ${INFO} 0 R >>\n` +
			`startxref\n${xrefOffset}\n%%EOF\n`;
		return out;
	}

	toBytes(info: PdfInfo): Uint8Array {
		const text = this.toPdfString(info);
		const bytes = new Uint8Array(text.length);
		for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
		return bytes;
	}
}
