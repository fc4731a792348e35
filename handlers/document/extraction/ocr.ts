// OCR through tesseract.js with the English model shipped in @tesseract.js-data/eng: never a
// download (the default language path fetches from a CDN and hangs offline). One Tesseract worker
// per extraction thread, started on the first scan and reused for the next ones.
import { createRequire } from 'node:module';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { normalizeSpace, type Block } from './layout-blocks.ts';

const { langPath } = createRequire(import.meta.url)('@tesseract.js-data/eng') as { langPath: string };
let tesseract: Promise<Worker> | undefined;

export interface OcrLine {
  text: string;
  /** Top and bottom of the line, in pixels from the image's top. */
  top: number;
  bottom: number;
}

/** An image's paragraphs, each as its lines (PNG, JPEG or TIFF bytes), in Tesseract's reading order. */
export async function ocrParagraphs(image: Uint8Array): Promise<OcrLine[][]> {
  const worker = await (tesseract ??= createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' }));
  const { data } = await worker.recognize(Buffer.from(image), {}, { text: true, blocks: true });
  return (data.blocks ?? []).flatMap((block) => block.paragraphs).map((paragraph) =>
    paragraph.lines.map((line) => ({ text: normalizeSpace(line.text), top: line.bbox.y0, bottom: line.bbox.y1 })).filter((line) => line.text !== ''));
}

/** One text block per paragraph. */
export const ocrBlocks = (paragraphs: OcrLine[][]): Block[] =>
  paragraphs.map((lines) => ({ kind: 'text' as const, text: lines.map((line) => line.text).join(' ') })).filter((block) => block.text !== '');

export async function closeOcr(): Promise<void> {
  const worker = tesseract;
  tesseract = undefined;
  if (worker) await (await worker).terminate();
}
