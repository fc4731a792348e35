// How a worker runs one file of a job, for any service whose jobs have one queue message per file
// (document extraction and chunking, vectorisation). At least once: a message may come again after
// a crash, so the file is taken through the job store (a file that already ended is left alone),
// its work must be repeatable (fixed keys, generations), and it is ended once (counted once,
// metered once: one usage event). A file that fails for a reason of its own ends FAILED with that
// code at once; any other error is retried, and on the last attempt the file ends FAILED
// (RETRIES_EXHAUSTED) and the message goes to the dead letters.
import type { Job as QueueMessage } from '../queue/ports.ts';
import type { UsageEvent, UsageUnits } from '../usage/usage-ledger.ts';
import type { Job, JobItem, JobStore } from './ports.ts';

/** Deliveries of one file's message before it is given up (the queue worker's maxAttempts). */
export const MAX_FILE_ATTEMPTS = 5;

/** One queue message: one file of one job. */
export interface FileMessage {
  app_id: string;
  job_id: string;
  file_name: string;
}

/** A failed file's reason, as stored in its item. */
export interface FileError {
  code: string;
  detail: string;
}

/** A file that cannot be done, whatever the number of tries: it ends FAILED with this code. */
export class FileFailure extends Error {
  constructor(readonly code: string, detail: string) {
    super(detail);
  }
}

/** The job is not there yet, or not started yet: its creation or start is under way. */
class NotYet extends Error {}

export interface FileWork {
  /** Stored in the item. */
  result: unknown;
  units: UsageUnits;
  costUsd?: number;
  /** Undoes what the work left behind, when the job was deleted while the file ran. */
  discard?(): Promise<void>;
}

/** What the worker knows about this delivery. */
export interface FileAttempt {
  /** The queue message's id: the request id of the file's calls and of its usage event. */
  requestId: string;
  attempt: number;
  /** Aborted when the worker gives the message up (shutdown, a cancelled job). */
  signal: AbortSignal;
}

export interface FileRunDeps {
  jobStore: JobStore;
  /** The usage ledger: one event per file a worker ended. */
  record(event: UsageEvent): void;
}

export interface FileRun {
  kind: string;
  /** The usage event's service and operation. */
  service: string;
  operation: string;
  provider: string | null;
  work(job: Job, item: JobItem, attempt: FileAttempt): Promise<FileWork>;
  /** Errors that end the file at once, as that file's error (beyond FileFailure). */
  failureOf?(error: unknown): FileError | undefined;
  /** After the file ended (once or again), whatever its state: e.g. its upload is no longer needed. */
  ended?(job: Job, item: JobItem): Promise<void>;
}

export async function runFile(deps: FileRunDeps, run: FileRun, message: QueueMessage, signal: AbortSignal = new AbortController().signal): Promise<void> {
  const { app_id: appId, job_id: jobId, file_name: fileName } = message.payload as FileMessage;
  const lastAttempt = message.attempt >= MAX_FILE_ATTEMPTS;
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
    work = await run.work(job, item, { requestId: message.id, attempt: message.attempt, signal });
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
    await work?.discard?.();
  } else {
    // Counted once, metered once; work done for a file cancelled meanwhile is metered as such.
    const cancelled = !done.counted && done.item.state === 'CANCELLED';
    if (done.counted || cancelled) {
      const failed = 'error' in outcome ? outcome.error.code : null;
      deps.record({
        appId, service: run.service, operation: run.operation, resource: jobId, provider: run.provider, units: work?.units ?? {},
        latencyMs: Math.round(performance.now() - began), status: cancelled ? 'CANCELLED' : failed ? 'FAILED' : 'SUCCESS', errorCode: failed,
        requestId: message.id, costUsd: work?.costUsd ?? 0, createdAt: new Date().toISOString(),
      });
    }
    await run.ended?.(done.job, done.item);
  }
  if (givenUp !== undefined) throw givenUp; // the queue moves the message to its dead letters
}
