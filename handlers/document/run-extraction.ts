// The extraction worker's work on one file: its upload (checked again: a signed URL may be used
// until it expires) copied to a private temporary file, read by the extractor, and written as
// extracted_text.json and extracted_tables.json. The upload is removed once the file has ended.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProblemError } from '../platform/problems.ts';
import type { BlobStore } from '../platform/blobs/ports.ts';
import { ExtractionFailure, type Extractor, type ExtractionLimits } from './extraction/ports.ts';
import { discardKeys, sourceKey, tablesKey, textKey } from './blob-keys.ts';
import { EXTRACTION_JOB } from './kinds.ts';
import { FileFailure, type FileRun } from '../platform/jobs/file-runs.ts';
import { tablesDocument, textDocument } from './result-files.ts';
import type { ExtractionOutcome } from './views.ts';

export interface ExtractionRunDeps {
  blobs: BlobStore;
  extractor: Extractor;
  limits: ExtractionLimits;
  maxFileBytes: number;
  provider: 'local' | 'textract';
  /** Where an upload lives in S3, for an extractor that reads it there (Textract); undefined locally. */
  s3Location?: (appId: string, key: string) => { bucket: string; key: string };
}

/** Amazon Textract's list price per page for LAYOUT + TABLES analysis (first million pages a month). */
const TEXTRACT_USD_PER_PAGE = 0.019;

export function extractionRun(deps: ExtractionRunDeps): FileRun {
  return {
    kind: EXTRACTION_JOB,
    service: 'document',
    operation: 'extract',
    provider: deps.provider,
    failureOf: (error) => (error instanceof ExtractionFailure ? { code: error.code, detail: error.message } : undefined),
    async work(job, item) {
      const { appId, jobId } = job;
      const fileName = item.itemId;
      const key = sourceKey(jobId, fileName);
      const info = await deps.blobs.confirmUpload(appId, key, { maxBytes: deps.maxFileBytes }).catch((error: unknown) => {
        if (error instanceof ProblemError && error.code === 'PAYLOAD_TOO_LARGE') throw new FileFailure('FILE_TOO_LARGE', `The file is larger than ${deps.maxFileBytes} bytes.`);
        throw error;
      });
      const blob = info && (await deps.blobs.get(appId, key));
      if (!blob) throw new FileFailure('SOURCE_MISSING', 'The uploaded file is no longer there.');
      const dir = await mkdtemp(join(tmpdir(), 'gaf-document-'));
      try {
        const path = join(dir, 'source');
        await pipeline(blob.body, createWriteStream(path, { mode: 0o600 }));
        const extraction = await deps.extractor.extract({ path, fileName, ...(deps.s3Location && { source: deps.s3Location(appId, key) }) }, deps.limits);
        const written = [textKey(jobId, fileName), tablesKey(jobId, fileName)];
        await deps.blobs.put(appId, written[0]!, JSON.stringify(textDocument(jobId, fileName, extraction)), { contentType: 'application/json' });
        await deps.blobs.put(appId, written[1]!, JSON.stringify(tablesDocument(jobId, fileName, extraction)), { contentType: 'application/json' });
        const { pages, ocrPages, textractPages } = extraction.stats;
        const result: ExtractionOutcome = { format: extraction.format, pages, ocr_pages: ocrPages, textract_pages: textractPages, tables: extraction.tables.length };
        return {
          result, units: { pages, ocr_pages: ocrPages, textract_pages: textractPages }, costUsd: textractPages * TEXTRACT_USD_PER_PAGE,
          discard: () => discardKeys(deps.blobs, appId, written),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    ended: (job, item) => deps.blobs.delete(job.appId, sourceKey(job.jobId, item.itemId)),
  };
}
