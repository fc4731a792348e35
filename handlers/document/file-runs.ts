// How a worker runs one file of a job, for extraction and chunking alike. At least once: a
// message may come again after a crash, so the file is taken through the job store (a file that
// already ended is left alone), its results go to fixed keys (a rerun overwrites them), and it is
// ended once (counted once, metered once). A file that fails for a reason of its own ends FAILED
// with that code at once; any other error is retried, and on the last attempt the file ends FAILED
// (RETRIES_EXHAUSTED) and the message goes to the dead letters.
import type { Job as QueueMessage } from '../platform/queue/ports.ts';
import type { Job, JobItem, JobStore } from '../platform/jobs/ports.ts';
import type { FileMessage } from './kinds.ts';
import type { UsageEvent, UsageUnits } from '../platform/usage/usage-ledger.ts';
import type { FileError } from './views.ts';

/** Deliveries of one file's message before it is given up. */
export const MAX_ATTEMPTS = 5;

/** A file that cannot be done, whatever the number of tries: it ends FAILED with this code. */
export class FileFailure extends Error {
  constructor(readonly code: string, detail: string) {
    super(detail);
  }
}

/** The job is not there yet, or not started yet: its creation or start is under way. */
class NotYet extends Error {}

/** Amazon Textract's list price per page for LAYOUT + TABLES analysis (first million pages a month). */
const TEXTRACT_USD_PER_PAGE = 0.019;

export interface FileWork {
  result: unknown;
  units: UsageUnits;
  /** Keys written, removed again if the job was deleted meanwhile. */
  written: string[];
}

export interface FileRunDeps {
  jobStore: JobStore;
  /** The usage ledger: one event per file a worker ended. */
  record(event: UsageEvent): void;
  /** Removes one of the app's objects (results of a job deleted while its file ran). */
  deleteBlob(appId: string, key: string): Promise<void>;
}

export interface FileRun {
  kind: string;
  operation: 'extract' | 'chunk';
  provider: 'local' | 'textract' | null;
  work(job: Job, item: JobItem): Promise<FileWork>;
  /** Errors that end the file at once, as that file's error (beyond FileFailure). */
  failureOf?(error: unknown): FileError | undefined;
  /** After the file ended (once or again): e.g. its upload is no longer needed. */
  ended?(job: Job, item: JobItem): Promise<void>;
}

export async function runFile(deps: FileRunDeps, run: FileRun, message: QueueMessage): Promise<void> {
  const { app_id: appId, job_id: jobId, file_name: fileName } = message.payload as FileMessage;
  const lastAttempt = message.attempt >= MAX_ATTEMPTS;
  const job = await deps.jobStore.get(appId, jobId);
  if (!job || job.kind !== run.kind || job.state === 'CREATED') {
    if (lastAttempt) return; // never created or started (or deleted): there is nothing to do
    throw new NotYet(`job ${jobId} is not started yet`);
  }
  const item = await deps.jobStore.startItem(appId, jobId, fileName);
  if (item?.state !== 'IN_PROGRESS') return; // already ended, cancelled, or gone

  const began = performance.now();
  let outcome: { result: unknown } | { error: FileError };
  let work: FileWork | undefined;
  let givenUp: unknown;
  try {
    work = await run.work(job, item);
    outcome = { result: work.result };
  } catch (error) {
    const known = error instanceof FileFailure ? { code: error.code, detail: error.message } : run.failureOf?.(error);
    if (known) outcome = { error: known };
    else if (!lastAttempt) throw error;
    else {
      givenUp = error;
      outcome = { error: { code: 'RETRIES_EXHAUSTED', detail: `The file could not be processed in ${message.attempt} attempts.` } };
    }
  }
  const done = await deps.jobStore.completeItem(appId, jobId, fileName, outcome);
  if (!done) {
    await Promise.all((work?.written ?? []).map((key) => deps.deleteBlob(appId, key)));
  } else {
    // Counted once, metered once; work done for a file cancelled meanwhile is metered as such.
    const cancelled = !done.counted && done.item.state === 'CANCELLED';
    if (done.counted || cancelled) {
      const failed = 'error' in outcome ? outcome.error.code : null;
      const units = work?.units ?? {};
      deps.record({
        appId, service: 'document', operation: run.operation, resource: jobId, provider: run.provider, units,
        latencyMs: Math.round(performance.now() - began), status: cancelled ? 'CANCELLED' : failed ? 'FAILED' : 'SUCCESS', errorCode: failed,
        requestId: message.id, costUsd: (units.textract_pages ?? 0) * TEXTRACT_USD_PER_PAGE, createdAt: new Date().toISOString(),
      });
    }
    await run.ended?.(done.job, done.item);
  }
  if (givenUp !== undefined) throw givenUp; // the queue moves the message to its dead letters
}
