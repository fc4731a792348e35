// The document worker (`npm start`, or alone with WORKER=document): one queue worker extracts
// files, another chunks them, each running DOCUMENT_WORKER_CONCURRENCY files at once.
import type { Kernel } from '../platform/module.ts';
import { QueueWorker } from '../platform/queue/worker.ts';
import type { DocumentConfig } from './config.ts';
import { createExtractor } from './extraction/create-extractor.ts';
import { CHUNKING_QUEUE, EXTRACTION_QUEUE } from './kinds.ts';
import { MAX_FILE_ATTEMPTS, runFile, type FileRun, type FileRunDeps } from '../platform/jobs/file-runs.ts';
import { extractionRun } from './run-extraction.ts';
import { chunkingRun, type Chunker } from './run-chunking.ts';

export interface DocumentWorkers {
  notify(queue: string): void;
  stop(): Promise<void>;
}

export async function startDocumentWorkers(kernel: Kernel, config: DocumentConfig, chunker: Chunker): Promise<DocumentWorkers> {
  const extractor = await createExtractor(
    config.extractor.engine === 'textract'
      ? { engine: 'textract', region: config.extractor.region, threads: config.workerConcurrency }
      : { engine: 'local', threads: config.workerConcurrency },
  );
  const bucket = kernel.config.aws.blobs.kind === 's3' ? kernel.config.aws.blobs.bucket : undefined;
  const deps: FileRunDeps = { jobStore: kernel.jobStore, record: (event) => kernel.ledger.record(event) };
  const extraction = extractionRun({
    blobs: kernel.blobs,
    extractor,
    limits: { timeoutMs: config.extractionTimeoutSeconds * 1000, maxMemoryMb: config.extractionMemoryMb, maxPages: config.maxPages },
    maxFileBytes: config.maxFileBytes,
    provider: config.extractor.engine,
    // The S3 adapter keeps an app's object at `<app id>/<key>`.
    ...(bucket && { s3Location: (appId: string, key: string) => ({ bucket, key: `${appId}/${key}` }) }),
  });
  const workers: Record<string, QueueWorker> = {};
  const worker = (queue: string, run: FileRun) =>
    (workers[queue] = new QueueWorker(kernel.jobs, (message, signal) => runFile(deps, run, message, signal), {
      queue, concurrency: config.workerConcurrency, leaseMs: config.leaseSeconds * 1000, maxAttempts: MAX_FILE_ATTEMPTS,
    }, kernel.log).start());
  worker(EXTRACTION_QUEUE, extraction);
  worker(CHUNKING_QUEUE, chunkingRun({ blobs: kernel.blobs, chunker }));
  return {
    notify: (queue) => workers[queue]?.notify(),
    async stop() {
      await Promise.all(Object.values(workers).map((w) => w.stop()));
      await extractor.close();
    },
  };
}
