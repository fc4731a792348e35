// The extractor the configuration asks for: local (pdf.js, Tesseract, mammoth) or Textract on AWS.
// Textract's SDK is loaded only when it is chosen.
import type { Extractor } from './ports.ts';
import { LocalExtractor } from './local-extractor.ts';

export type ExtractorConfig =
  | { engine: 'local'; threads?: number }
  | { engine: 'textract'; region: string; threads?: number; pollIntervalMs?: number };

export async function createExtractor(config: ExtractorConfig): Promise<Extractor> {
  const local = new LocalExtractor(config.threads);
  if (config.engine === 'local') return local;
  const [{ TextractClient }, { TextractExtractor }] = await Promise.all([import('@aws-sdk/client-textract'), import('./textract-extractor.ts')]);
  return new TextractExtractor({ client: new TextractClient({ region: config.region }), local, pollIntervalMs: config.pollIntervalMs });
}
