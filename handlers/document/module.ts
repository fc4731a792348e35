// The document service as a platform module: extraction and chunking jobs on the kernel's job
// store, uploads and results in its blob store, one queue per kind of work (each with its
// dead-letter queue on SQS), and a worker that runs both. Its code loads only when it starts, so
// the CDK app reads this declaration without it.
import type { AwsGrants, ServiceModule } from '../platform/module.ts';
import { readDocumentConfig, type DocumentConfig } from './config.ts';
import { CHUNKING_QUEUE, EXTRACTION_QUEUE } from './kinds.ts';

const QUEUES = [EXTRACTION_QUEUE, CHUNKING_QUEUE];
const shared: AwsGrants = { tables: { apps: 'read', jobs: 'readWrite' }, capabilities: ['blobs:readWrite'] };

export const documentModule: ServiceModule<DocumentConfig> = {
  name: 'document',
  title: 'Document Processing Service',
  queues: QUEUES,
  worker: true,
  aws: {
    // The service signs upload and result URLs (S3 authorises them as its role) and checks uploads.
    service: { ...shared, queues: { send: QUEUES } },
    // The worker reads uploads, writes results, meters, and has Textract read the uploads.
    worker: { tables: { ...shared.tables, usage: 'readWrite' }, queues: { consume: QUEUES }, capabilities: ['blobs:readWrite', 'textract:analyze'] },
  },
  readConfig: readDocumentConfig,

  async start(kernel, run, config) {
    const [{ ExtractionJobs }, { ChunkingJobs }, { documentHandlers }, { formatOfName }, { chunkText }, { validateChunkingParams }, { ProblemError }, { documentChunks }] = await Promise.all([
      import('./extraction-jobs.ts'), import('./chunking-jobs.ts'), import('./handlers.ts'), import('./extraction/format.ts'),
      import('./chunking/chunk-text.ts'), import('./chunking/params.ts'), import('../platform/problems.ts'), import('./chunks-capability.ts'),
    ]);
    const workers = run.worker ? await (await import('./workers.ts')).startDocumentWorkers(kernel, config, chunkText) : undefined;
    const deps = {
      jobStore: kernel.jobStore, blobs: kernel.blobs, queue: kernel.jobs, config,
      readableName: (fileName: string) => formatOfName(fileName) !== undefined,
      onQueued: (queue: string) => workers?.notify(queue),
    };
    const validateParams: ConstructorParameters<typeof ChunkingJobs>[0]['validateParams'] = (strategy, params) => {
      const errors = validateChunkingParams(strategy, params, '/body/chunking_params');
      if (errors.length > 0) throw new ProblemError('VALIDATION_ERROR', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
    };
    const chunkingJobs = new ChunkingJobs({ ...deps, validateParams });
    return {
      ...(run.service && {
        service: {
          handlers: documentHandlers(new ExtractionJobs(deps), chunkingJobs, kernel.ping),
          authenticators: { AppToken: kernel.verifyAppToken },
          typelessBodyIsJson: true,
        },
      }),
      summary: { extractor: config.extractor.engine },
      // In every process that starts this module (a consumer's too), whatever it serves.
      provides: { chunks: documentChunks(kernel.jobStore, chunkingJobs) },
      close: async () => workers?.stop(),
    };
  },
};
