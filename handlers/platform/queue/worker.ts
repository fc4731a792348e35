// Runs jobs of one queue in this process: up to `concurrency` at a time, woken at once by
// `notify()` (an enqueue in this process) and otherwise polling. A running job's lease is renewed
// while it runs, so after a crash only the jobs that were in flight are delivered again. A failing
// job is retried with backoff; after `maxAttempts` it goes to the dead letters. A queue that fails
// (SQS throttling, a network blip) is retried with backoff: the worker never dies of it.
// Handlers must be idempotent: a job may be delivered again after a crash.
import type { Logger } from '../logger.ts';
import type { Job, JobQueue } from './ports.ts';

export interface WorkerOptions {
  queue: string;
  concurrency: number;
  /** How long a claim holds a job; renewed every third of it while the job runs. */
  leaseMs: number;
  maxAttempts: number;
  pollMs?: number;
  /** Error → true when another attempt could succeed. */
  retryable?: (error: unknown) => boolean;
  /**
   * Why the job should not run (on): its owner is gone, say. Asked before the job starts and at
   * every lease renewal; an answer aborts the handler's signal with it as the reason.
   */
  cancelReason?: (job: Job) => Promise<unknown>;
}

/** Longest pause after repeated queue failures. */
const MAX_QUEUE_BACKOFF_MS = 30_000;

export class QueueWorker {
  private running = 0;
  private stopped = false;
  private filling = false;
  private queueFailures = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly idle = new Set<() => void>();
  /** The queue call in flight, if any: stop() waits for it, so no call outlives the worker. */
  private claiming: Promise<unknown> | undefined;

  constructor(
    private readonly jobs: JobQueue,
    private readonly handle: (job: Job, signal: AbortSignal) => Promise<void>,
    private readonly options: WorkerOptions,
    private readonly log: Logger,
  ) {}

  start(): this {
    this.schedule(0);
    return this;
  }

  /** A job was enqueued: look now instead of at the next poll. */
  notify(): void {
    if (!this.stopped && this.queueFailures === 0) void this.fill();
  }

  /** Stops claiming; resolves when the claim in flight has returned and the jobs in hand have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claiming?.catch(() => undefined); // its failure is the claim loop's to log
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fill(), ms);
    this.timer.unref();
  }

  private async fill(): Promise<void> {
    if (this.filling) return; // one claim loop at a time
    this.filling = true;
    try {
      while (!this.stopped && this.running < this.options.concurrency) {
        const claim = this.jobs.claim(this.options.queue, this.options.leaseMs);
        this.claiming = claim;
        const job = await claim.finally(() => (this.claiming = undefined));
        this.queueFailures = 0;
        // Claimed as the worker stopped: left to its lease, so it is delivered again elsewhere.
        if (!job || this.stopped) break;
        this.running++;
        void this.run(job).finally(() => {
          this.running--;
          if (this.running === 0) for (const resolve of this.idle) resolve();
          this.notify();
        });
      }
    } catch (error) {
      this.queueFailures++;
      this.log.error({ queue: this.options.queue, failures: this.queueFailures, err: message(error) }, 'job queue unavailable; retrying');
    } finally {
      this.filling = false;
    }
    if (this.stopped) return;
    const backoff = Math.min(MAX_QUEUE_BACKOFF_MS, 500 * 2 ** this.queueFailures);
    this.schedule(this.queueFailures > 0 ? backoff : (this.options.pollMs ?? 500));
  }

  private async run(job: Job): Promise<void> {
    const controller = new AbortController();
    const cancelIfUnwanted = async () => {
      const reason = await this.options.cancelReason?.(job);
      if (reason !== undefined) controller.abort(reason);
    };
    const renewal = setInterval(() => void this.renew(job, cancelIfUnwanted), this.options.leaseMs / 3);
    let settle: () => Promise<void>;
    try {
      await cancelIfUnwanted();
      await this.handle(job, controller.signal);
      settle = () => this.jobs.complete(job.id);
    } catch (error) {
      const again = job.attempt < this.options.maxAttempts && (this.options.retryable?.(error) ?? true);
      this.log.warn({ queue: this.options.queue, job_id: job.id, attempt: job.attempt, retry: again, err: message(error) }, 'job failed');
      settle = again
        ? () => this.jobs.retry(job.id, 1000 * 2 ** (job.attempt - 1), message(error))
        : () => this.jobs.deadLetter(job.id, message(error));
    } finally {
      clearInterval(renewal);
    }
    // If the queue fails here, the lease runs out and the job is delivered again (handlers are idempotent).
    await settle().catch((error) => this.log.error({ queue: this.options.queue, job_id: job.id, err: message(error) }, 'could not settle the job'));
  }

  private async renew(job: Job, cancelIfUnwanted: () => Promise<void>): Promise<void> {
    try {
      await this.jobs.extend(job.id, this.options.leaseMs);
      await cancelIfUnwanted();
    } catch (error) {
      this.log.warn({ queue: this.options.queue, job_id: job.id, err: message(error) }, 'could not renew the job lease');
    }
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
