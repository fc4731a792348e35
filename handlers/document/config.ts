// The document service's settings, read from the environment once at start (ServiceModule.readConfig).
import { ConfigError, integer, oneOf, type Env } from '../platform/config.ts';

export interface DocumentConfig {
  /** Largest file one upload may be. */
  maxFileBytes: number;
  /** Largest total of one extraction job's files. */
  maxJobBytes: number;
  /** How long a job and its results are kept after it finishes. */
  retentionDays: number;
  /** local (pdf.js, OCR, mammoth… in worker threads) or textract (PDFs and images through Amazon Textract; needs BLOBS=s3). */
  extractor: { engine: 'local' } | { engine: 'textract'; region: string };
  /** Files extracted, and files chunked, at once by one worker process. */
  workerConcurrency: number;
  /** Per file: wall time, worker-thread heap and pages. */
  extractionTimeoutSeconds: number;
  extractionMemoryMb: number;
  maxPages: number;
  /** Lease of a file being worked on, renewed every third of it: after a crash the file runs again this soon. */
  leaseSeconds: number;
}

export function readDocumentConfig(env: Env): DocumentConfig {
  const maxFileBytes = integer(env, 'DOCUMENT_MAX_FILE_BYTES', 100 * 1024 ** 2, 1, 5 * 1024 ** 3);
  const engine = oneOf(env, 'DOCUMENT_EXTRACTOR', 'local', ['local', 'textract'] as const);
  const region = env.TEXTRACT_REGION || env.AWS_REGION;
  if (engine === 'textract' && !region) throw new ConfigError('DOCUMENT_EXTRACTOR=textract needs TEXTRACT_REGION (or AWS_REGION)');
  if (engine === 'textract' && env.BLOBS !== 's3') throw new ConfigError('DOCUMENT_EXTRACTOR=textract needs BLOBS=s3 (Textract reads the uploads from S3)');
  return {
    maxFileBytes,
    maxJobBytes: integer(env, 'DOCUMENT_MAX_JOB_BYTES', 1024 ** 3, maxFileBytes, 1024 ** 4),
    retentionDays: integer(env, 'DOCUMENT_RETENTION_DAYS', 30, 1, 365),
    extractor: engine === 'textract' ? { engine, region: region! } : { engine },
    workerConcurrency: integer(env, 'DOCUMENT_WORKER_CONCURRENCY', 2, 1, 64),
    extractionTimeoutSeconds: integer(env, 'DOCUMENT_EXTRACTION_TIMEOUT_SECONDS', 300, 1, 3600),
    extractionMemoryMb: integer(env, 'DOCUMENT_EXTRACTION_MEMORY_MB', 512, 64, 16_384),
    maxPages: integer(env, 'DOCUMENT_MAX_PAGES', 2000, 1, 100_000),
    leaseSeconds: integer(env, 'DOCUMENT_LEASE_SECONDS', 60, 3, 3600),
  };
}
