// A PDF's pages through pdf.js: the positioned text of every page, running headers and footers
// dropped across pages, then each page laid out (reading order, tables, headings, lists). A page
// without a text layer but with an image is a scan: it is rendered and read by OCR.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PDFDocumentProxy, PDFPageProxy, TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api.js';
import { ExtractionFailure } from './ports.ts';
import { renderPage, type RenderedPage } from './layout-blocks.ts';
import { ocrBlocks, type OcrLine } from './ocr.ts';
import { fragmentsOf, type Fragment, type PlacedText } from './pdf-fragments.ts';
import { dropMargins, inMarginBand } from './pdf-margins.ts';
import { readingOrder } from './pdf-reading-order.ts';
import { blocksOf, bodySizeOf } from './pdf-blocks.ts';

export interface PdfOptions {
  maxPages: number;
  /** Reads a page image (PNG bytes) into paragraphs of lines. */
  ocr: (png: Uint8Array) => Promise<OcrLine[][]>;
}

export interface PdfResult {
  pages: RenderedPage[];
  ocrPages: number;
}

/** Scans are rendered at this resolution for OCR (Tesseract reads 200–300 dpi best). */
const OCR_DPI = 200;
/** The largest page image rendered for OCR, in pixels: a bigger page is scaled down to it. */
const MAX_OCR_PIXELS = 4000 * 4000;
/** The largest image pdf.js decodes, in pixels: a bigger one is an image bomb and is skipped. */
const MAX_IMAGE_PIXELS = 8000 * 8000;

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const standardFontDataUrl = pathToFileURL(join(pdfjsRoot, 'standard_fonts/')).href;
type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | undefined;

async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const { getDocument } = await (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));
  try {
    return await getDocument({
      data: bytes, standardFontDataUrl, verbosity: 0, isEvalSupported: false, disableFontFace: true,
      useSystemFonts: false, maxImageSize: MAX_IMAGE_PIXELS, isOffscreenCanvasSupported: false,
    }).promise;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PasswordException') throw new ExtractionFailure('CORRUPT_FILE', 'The PDF is encrypted with a password.');
    throw new ExtractionFailure('CORRUPT_FILE', 'The PDF is damaged and cannot be read.');
  }
}

/** Text a page may hold before it is taken for a bomb (a dense real page has some 10,000 characters). */
const MAX_ITEMS_PER_PAGE = 100_000;
const MAX_CHARS_PER_PAGE = 2_000_000;

/** The page's text items, placed top-down; read as a stream so a bomb is stopped early. */
async function placedTextOf(page: PDFPageProxy): Promise<PlacedText[]> {
  const [a, b, c, d, e, f] = page.getViewport({ scale: 1 }).transform as number[];
  const reader = page.streamTextContent().getReader() as ReadableStreamDefaultReader<{ items: (TextItem | TextMarkedContent)[] }>;
  const placed: PlacedText[] = [];
  let items = 0;
  let chars = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    for (const item of chunk.value.items) {
      if (!('str' in item)) continue;
      items++;
      chars += item.str.length;
      if (items > MAX_ITEMS_PER_PAGE || chars > MAX_CHARS_PER_PAGE) {
        await reader.cancel();
        throw new ExtractionFailure('RESOURCE_LIMIT', `Page ${page.pageNumber} holds more text than a page can (over ${MAX_ITEMS_PER_PAGE} pieces or ${MAX_CHARS_PER_PAGE} characters).`);
      }
      if (item.str.trim() === '') continue;
      const [ta, tb, tc, td, tx, ty] = item.transform as number[];
      placed.push({
        str: item.str,
        x: a! * tx! + c! * ty! + e!,
        baseline: b! * tx! + d! * ty! + f!,
        width: item.width,
        size: Math.hypot(tc!, td!) || Math.hypot(ta!, tb!) || item.height,
        font: item.fontName,
      });
    }
  }
  return placed;
}

/** pdf.js errors to failure codes: a stack overflow (an object nested too deeply) is a resource limit. */
function failureOf(error: unknown): ExtractionFailure {
  if (error instanceof ExtractionFailure) return error;
  const { name, details } = error as { name?: string; details?: string };
  if (error instanceof RangeError || (name === 'UnknownErrorException' && details?.startsWith('RangeError'))) {
    return new ExtractionFailure('RESOURCE_LIMIT', 'The PDF is nested too deeply or is too large to read.');
  }
  return new ExtractionFailure('CORRUPT_FILE', 'The PDF is damaged and cannot be read.');
}

async function hasImage(page: PDFPageProxy): Promise<boolean> {
  const { OPS } = await pdfjs!;
  const images = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat]);
  const operators = await page.getOperatorList();
  return operators.fnArray.some((fn) => images.has(fn));
}

async function renderToPng(doc: PDFDocumentProxy, page: PDFPageProxy, dpi = OCR_DPI): Promise<{ png: Uint8Array; height: number }> {
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(dpi / 72, Math.sqrt(MAX_OCR_PIXELS / (base.width * base.height)));
  const viewport = page.getViewport({ scale });
  const factory = (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
  const target = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height));
  try {
    await page.render({ canvas: target.canvas as unknown as HTMLCanvasElement, canvasContext: target.context as unknown as CanvasRenderingContext2D, viewport }).promise;
    return { png: target.canvas.toBuffer('image/png'), height: Math.ceil(viewport.height) };
  } finally {
    factory.destroy(target);
  }
}

interface CanvasFactory {
  create(width: number, height: number): { canvas: { toBuffer(type: 'image/png'): Uint8Array }; context: unknown };
  destroy(target: unknown): void;
}

/** Page `pageNumber` of a PDF as a PNG image, as OCR sees it (the test corpus makes its scans with it). */
export async function renderPdfPage(bytes: Uint8Array, pageNumber: number, dpi = OCR_DPI): Promise<Uint8Array> {
  const doc = await openPdf(bytes);
  try {
    return (await renderToPng(doc, await doc.getPage(pageNumber), dpi)).png;
  } finally {
    await doc.destroy();
  }
}

export async function extractPdf(bytes: Uint8Array, options: PdfOptions): Promise<PdfResult> {
  const doc = await openPdf(bytes);
  try {
    return await readPages(doc, options);
  } catch (error) {
    throw failureOf(error);
  } finally {
    await doc.destroy();
  }
}

async function readPages(doc: PDFDocumentProxy, options: PdfOptions): Promise<PdfResult> {
  if (doc.numPages > options.maxPages) {
    throw new ExtractionFailure('TOO_MANY_PAGES', `The PDF has ${doc.numPages} pages; at most ${options.maxPages} are read.`);
  }
  const read: { fragments: Fragment[]; height: number }[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    read.push({ fragments: fragmentsOf(await placedTextOf(page)), height: page.getViewport({ scale: 1 }).height });
    page.cleanup();
  }
  const bodySize = bodySizeOf(read.flatMap((page) => page.fragments));
  const margins = dropMargins(read);
  const kept = margins.pages;
  const pages: RenderedPage[] = [];
  let ocrPages = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    // No text but running headers or page numbers stamped on an image: a scan.
    if (kept[n - 1]!.length === 0) {
      const page = await doc.getPage(n);
      if (await hasImage(page)) {
        ocrPages++;
        const { png, height } = await renderToPng(doc, page);
        // Running headers and page numbers stamped over a scan are dropped as from text pages.
        const running = (line: OcrLine) => inMarginBand(line.top / height, line.bottom / height) && margins.isRunningText(line.text);
        const paragraphs = (await options.ocr(png)).map((lines) => lines.filter((line) => !running(line)));
        pages.push(renderPage(n, ocrBlocks(paragraphs), true));
        page.cleanup();
        continue;
      }
    }
    pages.push(renderPage(n, blocksOf(readingOrder(kept[n - 1]!), bodySize)));
  }
  return { pages, ocrPages };
}
