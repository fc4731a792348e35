// One file to an Extraction: its format from name and bytes, then the reader for that format.
// Runs inside an extraction worker thread (see extraction-worker.ts), never on the service's loop.
import { readFile } from 'node:fs/promises';
import { detectFormat, FORMAT_HEAD_BYTES } from './format.ts';
import { renderPage, type RenderedPage } from './layout-blocks.ts';
import { htmlToBlocks } from './html.ts';
import { decodeUtf8, extractTextFormat, type TextFormat } from './text-formats.ts';
import { extractPdf } from './pdf-extract.ts';
import { ocrBlocks, ocrParagraphs } from './ocr.ts';
import { ExtractionFailure, type Extraction } from './ports.ts';

async function docxToHtml(bytes: Uint8Array): Promise<string> {
  const mammoth = await import('mammoth');
  try {
    return (await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
  } catch {
    throw new ExtractionFailure('CORRUPT_FILE', 'The DOCX file is damaged and cannot be read.');
  }
}

async function pagesOf(format: Extraction['format'], bytes: Uint8Array, maxPages: number): Promise<{ pages: RenderedPage[]; ocrPages: number }> {
  switch (format) {
    case 'pdf':
      return extractPdf(bytes, { maxPages, ocr: ocrParagraphs });
    case 'png': case 'jpeg': case 'tiff':
      return { pages: [renderPage(1, ocrBlocks(await ocrParagraphs(bytes)), true)], ocrPages: 1 };
    case 'docx':
      return { pages: [renderPage(1, htmlToBlocks(await docxToHtml(bytes)))], ocrPages: 0 };
    case 'html':
      return { pages: [renderPage(1, htmlToBlocks(decodeUtf8(bytes)))], ocrPages: 0 };
    default:
      return { pages: extractTextFormat(format as TextFormat, bytes), ocrPages: 0 };
  }
}

export async function extractFile(path: string, fileName: string, maxPages: number): Promise<Extraction> {
  const bytes = new Uint8Array(await readFile(path));
  const format = detectFormat(fileName, bytes.subarray(0, FORMAT_HEAD_BYTES));
  const { pages, ocrPages } = await pagesOf(format, bytes, maxPages);
  if (pages.length > maxPages) throw new ExtractionFailure('TOO_MANY_PAGES', `The file has ${pages.length} pages; at most ${maxPages} are read.`);
  return {
    format,
    pages: pages.map((rendered) => rendered.page),
    tables: pages.flatMap((rendered) => rendered.tables),
    stats: { pages: pages.length, ocrPages, textractPages: 0 },
  };
}
