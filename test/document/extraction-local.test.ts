// The local extractor end to end, each file in a pooled worker thread: generated report PDFs
// (two columns, title, headings, lists, tables, running headers and page numbers, a scanned page),
// DOCX, HTML, images and text formats, against the corpus's ground truth.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createExtractor } from '../../handlers/document/extraction/create-extractor.ts';
import type { Extraction, Extractor } from '../../handlers/document/extraction/ports.ts';
import { renderPage, type Block } from '../../handlers/document/extraction/layout-blocks.ts';
import { renderPdfPage } from '../../handlers/document/extraction/pdf-extract.ts';
import { docxOf, htmlOf, plainPagePdf, reportPdf, shortReport, type GeneratedPdf } from '../helpers/document-corpus.ts';
import { tempFiles } from '../helpers/temp-files.ts';
import { textSimilarity } from '../helpers/text-similarity.ts';
import { grayscaleTiff } from '../helpers/tiff.ts';

const LIMITS = { timeoutMs: 120_000, maxMemoryMb: 512, maxPages: 100 };
const { file } = tempFiles('gaf-extraction-');
let extractor: Extractor;


const truthText = (blocks: Block[]) => renderPage(1, blocks).page.text;

before(async () => { extractor = await createExtractor({ engine: 'local' }); });
after(() => extractor.close());

describe('PDF', () => {
  let pdf: GeneratedPdf;
  let scan: { png: Uint8Array; blocks: Block[] };
  let result: Extraction;

  before(async () => {
    const plain = await plainPagePdf(11);
    scan = { png: await renderPdfPage(plain.bytes, 1, 150), blocks: plain.blocks };
    pdf = await reportPdf({ pages: 6, seed: 42, scans: [scan] });
    result = await extractor.extract(file('report.pdf', pdf.bytes), LIMITS);
  });

  it('reads every page, the text layer in reading order across both columns', () => {
    assert.equal(result.format, 'pdf');
    assert.equal(result.pages.length, pdf.pages.length);
    for (const [i, blocks] of pdf.pages.entries()) {
      if (pdf.scannedPages.includes(i + 1)) continue;
      assert.equal(textSimilarity(truthText(blocks), result.pages[i]!.text), 1, `page ${i + 1}`);
    }
  });

  it('tags the title, headings, paragraphs, list elements and tables as the seed did', () => {
    const expected = renderPage(1, pdf.pages[0]!).page.page_text;
    assert.equal(result.pages[0]!.page_text, expected);
    assert.match(result.pages[0]!.page_text, /^<title>Quarterly report 42: [^<]+<\/title>\n\n<table>Region\tRevenue\tGrowth\tNotes\n/);
    const all = result.pages.map((p) => p.page_text).join('\n');
    assert.match(all, /<header>[^<]+<\/header>/);
    assert.match(all, /<list_element>• [^<]+<\/list_element>/);
  });

  it('drops the running header, the footer and the page numbers', () => {
    for (const page of result.pages) assert.doesNotMatch(page.text, /Northwind Traders|Confidential|Page \d+ of \d+/);
  });

  it('recovers every table with its cells and its header row', () => {
    const truth = pdf.pages.flatMap((blocks, i) => blocks.filter((b) => b.kind === 'table').map((b, t) => ({ page_number: i + 1, table_index: t, rows: b.kind === 'table' ? b.rows : [], header_rows: 1 })));
    assert.ok(truth.length >= 2);
    assert.deepEqual(result.tables, truth);
  });

  it('reads the scanned page by OCR, and only that page', () => {
    const ocrPages = result.pages.filter((p) => p.ocr).map((p) => p.page_number);
    assert.deepEqual(ocrPages, pdf.scannedPages);
    assert.deepEqual(result.stats, { pages: pdf.pages.length, ocrPages: 1, textractPages: 0 });
    assert.ok(textSimilarity(truthText(scan.blocks), result.pages.at(-1)!.text) > 0.95);
  });
});

describe('other formats', () => {
  it('reads a DOCX with its title, headings, list, table and paragraphs', async () => {
    const truth = shortReport(5);
    const result = await extractor.extract(file('summary.docx', await docxOf(truth)), LIMITS);
    assert.equal(result.format, 'docx');
    assert.equal(result.pages[0]!.page_text, renderPage(1, truth).page.page_text);
    assert.deepEqual(result.tables.map((t) => [t.rows, t.header_rows]), truth.filter((b) => b.kind === 'table').map((b) => [b.kind === 'table' && b.rows, 1]));
  });

  it('reads an HTML page without its markup', async () => {
    const truth = shortReport(6);
    const result = await extractor.extract(file('page.html', htmlOf(truth)), LIMITS);
    assert.equal(result.pages[0]!.page_text, renderPage(1, truth).page.page_text);
    assert.doesNotMatch(result.pages[0]!.text, /<|console\.log/);
  });

  it('reads PNG, JPEG and TIFF images by OCR', async () => {
    const plain = await plainPagePdf(12);
    const png = await renderPdfPage(plain.bytes, 1, 150);
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const image = await loadImage(Buffer.from(png));
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const tiff = grayscaleTiff(context.getImageData(0, 0, image.width, image.height).data, image.width, image.height);
    for (const [name, bytes] of [['scan.png', png], ['scan.jpg', canvas.toBuffer('image/jpeg', 90)], ['scan.tiff', tiff]] as const) {
      const result = await extractor.extract(file(name, bytes), LIMITS);
      assert.equal(result.pages[0]!.ocr, true);
      assert.equal(result.stats.ocrPages, 1);
      assert.ok(textSimilarity(truthText(plain.blocks), result.pages[0]!.text) > 0.95, name);
    }
  });

  it('reads text formats in the worker too, several files at once on every thread', async () => {
    const files = [
      file('a.json', '[1, 2, 3]'), file('b.jsonl', '{"x":1}\n{"x":2}\n'), file('c.md', '# Head\n\nBody\n'),
      file('d.txt', 'one\ftwo'), file('e.csv', 'k,v\n1,2\n'),
    ];
    const results = await Promise.all(files.map((f) => extractor.extract(f, LIMITS)));
    assert.deepEqual(results.map((r) => [r.format, r.pages.length]), [['json', 1], ['jsonl', 1], ['markdown', 1], ['text', 2], ['csv', 1]]);
    assert.deepEqual(results[4]!.tables[0]!.rows, [['k', 'v'], ['1', '2']]);
  });
});
