// The vectorisation worker (`npm start`, or alone with WORKER=vector): one queue worker running
// VECTOR_WORKER_CONCURRENCY files at once, each through the kernel's runFile (at least once,
// ended once, retried, then dead letters). A file whose job is cancelled or deleted meanwhile is
// stopped at its next lease renewal (its signal aborts the embedding calls in flight).
import { QueueWorker } from '../../platform/queue/worker.ts';
import { MAX_FILE_ATTEMPTS, runFile, type FileRunDeps } from '../../platform/jobs/file-runs.ts';
import { VECTORISATION_QUEUE, type VectorisationMessage } from '../kinds.ts';
import { vectorisationRun } from './vectorise-file.ts';
import type { VectorisationDeps } from './ports.ts';

export interface VectorisationWorker {
  /** A job was queued in this process: look now instead of at the next poll. */
  notify(): void;
  /** Stops claiming; resolves when the files in hand have ended. */
  stop(): Promise<void>;
}

export function startVectorisationWorker(deps: VectorisationDeps): VectorisationWorker {
  const { kernel, config } = deps;
  const run = vectorisationRun({
    catalog: deps.catalog, index: deps.backend.index, models: deps.models, chunks: deps.chunks,
    apps: kernel.apps, jobStore: kernel.jobStore, embedBatchSize: config.embedBatchSize,
  });
  const fileDeps: FileRunDeps = { jobStore: kernel.jobStore, record: (event) => kernel.ledger.record(event) };
  const worker = new QueueWorker(kernel.jobs, (message, signal) => runFile(fileDeps, run, message, signal), {
    queue: VECTORISATION_QUEUE,
    concurrency: config.workerConcurrency,
    leaseMs: config.leaseSeconds * 1000,
    maxAttempts: MAX_FILE_ATTEMPTS,
    async cancelReason(message) {
      const { app_id: appId, job_id: jobId } = message.payload as VectorisationMessage;
      const job = await kernel.jobStore.get(appId, jobId);
      // A job not created yet is not a reason: runFile waits for it (its messages are sent first).
      if (job?.state === 'CANCELLED') return 'the job was cancelled';
      return undefined;
    },
  }, kernel.log).start();
  return { notify: () => worker.notify(), stop: () => worker.stop() };
}
