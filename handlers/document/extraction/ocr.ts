// OCR through tesseract.js with the English model shipped in @tesseract.js-data/eng: never a
// download (the default language path fetches from a CDN and hangs offline). One Tesseract worker
// per extraction thread, started on the first scan and reused for the next ones.
import { createRequire } from 'node:module';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { normalizeSpace, type Block } from './layout-blocks.ts';

const { langPath } = createRequire(import.meta.url)('@tesseract.js-data/eng') as { langPath: string };
let tesseract: Promise<Worker> | undefined;

/** An image's text (PNG, JPEG or TIFF bytes), one text block per paragraph Tesseract finds. */
export async function ocrImage(image: Uint8Array): Promise<Block[]> {
  const worker = await (tesseract ??= createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' }));
  const { data } = await worker.recognize(Buffer.from(image), {}, { text: true, blocks: true });
  const paragraphs = (data.blocks ?? []).flatMap((block) => block.paragraphs);
  return paragraphs.map((paragraph) => ({ kind: 'text' as const, text: normalizeSpace(paragraph.text) })).filter((block) => block.text !== '');
}

export async function closeOcr(): Promise<void> {
  const worker = tesseract;
  tesseract = undefined;
  if (worker) await (await worker).terminate();
}
