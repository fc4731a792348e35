// A generated document corpus with its ground truth, for the extraction tests and benchmark: report
// PDFs laid out in two columns with a title, section headings, bullet lists, full-width tables,
// running headers and "Page N of M" footers (pdf-lib, standard fonts), a scanned page (a text page
// rendered to an image and placed in a PDF), and the same kind of content as DOCX and HTML.
// The ground truth is the blocks in reading order, without the headers, footers and page numbers.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Block } from '../../handlers/document/extraction/layout-blocks.ts';

const WORDS = ('revenue growth market customer product service quarter region team supply demand price cost margin ' +
  'forecast budget report analysis strategy operation partner channel retail online sales support network energy ' +
  'logistics delivery quality safety training policy review project launch design process system platform data ' +
  'security cloud storage capacity investment return risk compliance audit contract vendor inventory warehouse ' +
  'shipment order invoice payment account balance cash flow profit loss share dividend board meeting plan goal ' +
  'target result performance index rate trend season weather holiday campaign brand loyalty survey feedback').split(' ');
const REGIONS = ['North', 'South', 'East', 'West', 'Central', 'Coastal', 'Highland', 'Metro', 'Rural', 'Islands'];

/** A seeded generator (mulberry32), so every run builds the same corpus. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, items: T[]) => items[Math.floor(r() * items.length)]!;
const capitalize = (word: string) => word[0]!.toUpperCase() + word.slice(1);

export function sentence(r: () => number): string {
  const words = Array.from({ length: 7 + Math.floor(r() * 9) }, () => pick(r, WORDS));
  return `${capitalize(words.join(' '))}.`;
}
export const paragraph = (r: () => number, sentences = 3 + Math.floor(r() * 3)) => Array.from({ length: sentences }, () => sentence(r)).join(' ');
const heading = (r: () => number) => `${capitalize(pick(r, WORDS))} and ${pick(r, WORDS)} ${pick(r, WORDS)}`;

export function table(r: () => number, rows = 5): string[][] {
  const body = Array.from({ length: rows }, (_, i) => [
    `${REGIONS[i % REGIONS.length]} ${pick(r, ['division', 'office', 'unit'])}`,
    (1000 + r() * 9000).toFixed(1),
    `${(r() * 20 - 5).toFixed(1)}%`,
    `${capitalize(pick(r, WORDS))} ${pick(r, WORDS)}`,
  ]);
  return [['Region', 'Revenue', 'Growth', 'Notes'], ...body];
}

/** Structured content the generators lay out: sections of a heading, paragraphs, a list, and sometimes a table. */
export type Content = Block[];

export function reportContent(r: () => number, sections: number): Content {
  const blocks: Block[] = [];
  for (let s = 0; s < sections; s++) {
    blocks.push({ kind: 'header', text: heading(r) });
    for (let p = 0; p < 2 + Math.floor(r() * 2); p++) blocks.push({ kind: 'text', text: paragraph(r) });
    if (r() < 0.5) for (let i = 0; i < 3; i++) blocks.push({ kind: 'list_element', text: `• ${sentence(r)}` });
  }
  return blocks;
}

// ---- PDF layout -------------------------------------------------------------------------------

const PAGE = { width: 595, height: 842 };
const MARGIN = 50;
const GUTTER = 22;
const BODY = { size: 10, leading: 13, after: 7 };
const HEADING = { size: 13, before: 8, after: 5 };
const TITLE_SIZE = 20;
const COLUMN_WIDTH = (PAGE.width - 2 * MARGIN - GUTTER) / 2;
const TABLE_X = [MARGIN, 190, 300, 400];
const BODY_TOP = PAGE.height - 70;
const BODY_BOTTOM = 70;

interface Fonts { regular: PDFFont; bold: PDFFont }

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}

export interface GeneratedPdf {
  bytes: Uint8Array;
  /** Per page, the blocks in reading order (headers, footers and page numbers excluded). */
  pages: Block[][];
  /** 1-based numbers of the pages that are images of text (no text layer). */
  scannedPages: number[];
}

/** Lays blocks into two columns page after page; a table goes full width at the top of the next page's body. */
class TwoColumnWriter {
  readonly pages: { page: PDFPage; blocks: Block[] }[] = [];
  private column = 0;
  private y = 0;
  private top = BODY_TOP;

  constructor(private readonly doc: PDFDocument, private readonly fonts: Fonts) {}

  private get current() { return this.pages.at(-1)!; }
  private get x() { return MARGIN + this.column * (COLUMN_WIDTH + GUTTER); }

  newPage(): void {
    this.pages.push({ page: this.doc.addPage([PAGE.width, PAGE.height]), blocks: [] });
    this.column = 0;
    this.top = BODY_TOP;
    this.y = this.top;
  }

  title(text: string): void {
    this.current.page.drawText(text, { x: MARGIN, y: this.y - TITLE_SIZE, size: TITLE_SIZE, font: this.fonts.bold });
    this.current.blocks.push({ kind: 'title', text });
    this.top = this.y = this.y - TITLE_SIZE - 22;
  }

  table(rows: string[][]): void {
    const rowHeight = 16;
    rows.forEach((row, i) => {
      const y = this.y - BODY.size - i * rowHeight;
      row.forEach((cell, c) => this.current.page.drawText(cell, { x: TABLE_X[c]!, y, size: BODY.size, font: i === 0 ? this.fonts.bold : this.fonts.regular }));
      if (i === 0) this.current.page.drawLine({ start: { x: MARGIN, y: y - 4 }, end: { x: PAGE.width - MARGIN, y: y - 4 }, thickness: 0.5, color: rgb(0, 0, 0) });
    });
    this.current.blocks.push({ kind: 'table', rows, headerRows: 1 });
    this.top = this.y = this.y - rows.length * rowHeight - 20;
  }

  private fits(height: number): boolean {
    return this.y - height >= BODY_BOTTOM;
  }

  /** To the top of the next column, or of a new page. */
  private nextColumn(): void {
    if (this.column === 0) { this.column = 1; this.y = this.top; }
    else this.newPage();
  }

  block(block: Block): void {
    if (block.kind === 'table') return this.table(block.rows);
    const isHeading = block.kind === 'header';
    const size = isHeading ? HEADING.size : BODY.size;
    const font = isHeading ? this.fonts.bold : this.fonts.regular;
    const bullet = block.kind === 'list_element';
    const indent = bullet ? 12 : 0;
    const words = bullet ? block.text.slice(2) : block.text;
    const lines = wrap(words, font, size, COLUMN_WIDTH - indent);
    if (isHeading) {
      if (!this.fits(HEADING.before + size + BODY.leading * 2)) this.nextColumn();
      if (this.y !== this.top) this.y -= HEADING.before;
    }
    let piece: string[] = [];
    const flush = () => {
      if (piece.length === 0) return;
      const text = piece.join(' ');
      // A list element split across columns continues as plain text there.
      this.current.blocks.push({ kind: bullet && !text.startsWith('• ') ? 'text' : block.kind, text } as Block);
      piece = [];
    };
    lines.forEach((line, i) => {
      const leading = isHeading ? size + 2 : BODY.leading;
      if (!this.fits(leading)) { flush(); this.nextColumn(); }
      const baseline = this.y - size;
      if (bullet && i === 0) this.current.page.drawText('•', { x: this.x, y: baseline, size, font });
      this.current.page.drawText(line, { x: this.x + indent, y: baseline, size, font });
      piece.push(bullet && i === 0 ? `• ${line}` : line);
      this.y -= leading;
    });
    flush();
    this.y -= isHeading ? HEADING.after : BODY.after;
  }
}

function runningHeadersAndFooters(pages: PDFPage[], fonts: Fonts): void {
  pages.forEach((page, i) => {
    page.drawText('Northwind Traders - Quarterly Report 2026', { x: MARGIN, y: PAGE.height - 35, size: 8, font: fonts.regular });
    page.drawText('Confidential', { x: PAGE.width - MARGIN - 50, y: PAGE.height - 35, size: 8, font: fonts.regular });
    page.drawText(`Page ${i + 1} of ${pages.length}`, { x: PAGE.width / 2 - 20, y: 35, size: 8, font: fonts.regular });
  });
}

export interface ReportOptions {
  /** At least this many pages of text. */
  pages: number;
  seed: number;
  /** Page images (PNG) to append as scanned pages, with their ground truth. */
  scans?: { png: Uint8Array; blocks: Block[] }[];
}

/** A report: title, then sections flowing through two columns, a full-width table every third page. */
export async function reportPdf(options: ReportOptions): Promise<GeneratedPdf> {
  const r = random(options.seed);
  const doc = await PDFDocument.create();
  const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const writer = new TwoColumnWriter(doc, fonts);
  writer.newPage();
  writer.title(`Quarterly report ${options.seed}: ${heading(r)}`);
  writer.table(table(r));
  let tablePage = 1;
  while (writer.pages.length < options.pages || writer.pages.length === tablePage) {
    for (const block of reportContent(r, 1)) writer.block(block);
    if (writer.pages.length % 3 === 0 && tablePage !== writer.pages.length && writer.pages.length < options.pages) {
      writer.newPage();
      writer.table(table(r, 4 + Math.floor(r() * 4)));
      tablePage = writer.pages.length;
    }
  }
  const pages = writer.pages.map((p) => p.blocks);
  const scannedPages: number[] = [];
  for (const scan of options.scans ?? []) {
    const image = await doc.embedPng(scan.png);
    const page = doc.addPage([PAGE.width, PAGE.height]);
    page.drawImage(image, { x: 0, y: 0, width: PAGE.width, height: PAGE.height });
    pages.push(scan.blocks);
    scannedPages.push(pages.length);
  }
  // Stamped on every page, scans included (their OCR must drop them too).
  runningHeadersAndFooters(doc.getPages(), fonts);
  return { bytes: await doc.save(), pages, scannedPages };
}

/** A one-column page of large text, as a scanner would see it once rendered (see scanOf). */
export async function plainPagePdf(seed: number): Promise<{ bytes: Uint8Array; blocks: Block[] }> {
  const r = random(seed);
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([PAGE.width, PAGE.height]);
  const blocks: Block[] = [];
  let y = PAGE.height - 80;
  for (let p = 0; p < 3; p++) {
    const text = paragraph(r, 2);
    for (const line of wrap(text, font, 14, PAGE.width - 2 * 72)) {
      page.drawText(line, { x: 72, y, size: 14, font });
      y -= 20;
    }
    y -= 16;
    blocks.push({ kind: 'text', text });
  }
  return { bytes: await doc.save(), blocks };
}

// ---- DOCX and HTML ----------------------------------------------------------------------------

/** The blocks of a short report: a title, sections, a list and a table. */
export function shortReport(seed: number): Block[] {
  const r = random(seed);
  const rows = table(r, 3);
  return [
    { kind: 'title', text: `Annual summary ${seed}` },
    ...reportContent(r, 2).map((block) => (block.kind === 'list_element' ? { ...block, text: block.text.slice(2) } : block)),
    { kind: 'table', rows, headerRows: 1 },
    { kind: 'text', text: paragraph(r, 2) },
  ];
}

export async function docxOf(blocks: Block[]): Promise<Uint8Array> {
  // (tableHeader: false would still mark the row a header for mammoth: it is left out instead.)
  const { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } = await import('docx');
  const children = blocks.map((block) => {
    switch (block.kind) {
      case 'title': return new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_1 });
      case 'header': return new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_2 });
      case 'list_element': return new Paragraph({ text: block.text, bullet: { level: 0 } });
      case 'table': return new Table({
        rows: block.rows.map((row, i) => new TableRow({ ...(i < block.headerRows ? { tableHeader: true } : {}), children: row.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })),
      });
      default: return new Paragraph(block.text);
    }
  });
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A web page holding the blocks, wrapped in the markup a real page has (scripts, styles, navigation). */
export function htmlOf(blocks: Block[]): string {
  const body: string[] = [];
  let inList = false;
  for (const block of blocks) {
    if (block.kind !== 'list_element' && inList) { body.push('</ul>'); inList = false; }
    if (block.kind === 'title') body.push(`<h1 class="title">${escapeHtml(block.text)}</h1>`);
    else if (block.kind === 'header') body.push(`<h2>${escapeHtml(block.text)}</h2>`);
    else if (block.kind === 'list_element') {
      if (!inList) { body.push('<ul>'); inList = true; }
      body.push(`<li>${escapeHtml(block.text)}</li>`);
    } else if (block.kind === 'table') {
      const [head, ...rows] = block.rows;
      body.push('<table><thead><tr>', ...head!.map((cell) => `<th>${escapeHtml(cell)}</th>`), '</tr></thead><tbody>');
      for (const row of rows) body.push('<tr>', ...row.map((cell) => `<td>${escapeHtml(cell)}</td>`), '</tr>');
      body.push('</tbody></table>');
    } else body.push(`<p>${escapeHtml(block.text)}</p>`);
  }
  if (inList) body.push('</ul>');
  return `<!doctype html><html><head><title>Report</title><style>p { margin: 0 }</style><script>var x = "<p>not text</p>";</script></head>` +
    `<body><div id="app">${body.join('\n')}</div><script>console.log('hidden')</script></body></html>`;
}
