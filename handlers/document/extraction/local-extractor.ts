// The extractor that reads files on this machine: pdf.js, Tesseract, mammoth and the text readers,
// each file in a pooled worker thread with the limits the caller gives.
import type { Extraction, ExtractionLimits, Extractor, ExtractorFile } from './ports.ts';
import { WorkerPool } from './worker-pool.ts';

export class LocalExtractor implements Extractor {
  private readonly pool: WorkerPool;

  /** `threads`: how many files are read at once (default and at most: the machine's cores). */
  constructor(threads?: number) {
    this.pool = new WorkerPool(threads);
  }

  extract(file: ExtractorFile, limits: ExtractionLimits): Promise<Extraction> {
    return this.pool.run(file, limits);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
