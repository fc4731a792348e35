// Runs jobs of one queue in this process: up to `concurrency` at a time, woken at once by
// `notify()` (an enqueue in this process) and otherwise polling. A failing job is retried with
// backoff; after `maxAttempts` it goes to the dead letters. Handlers must be idempotent: a job
// may be delivered again after a crash.
import type { Logger } from '../logger.ts';
import type { Job, JobQueue } from './ports.ts';

export interface WorkerOptions {
  queue: string;
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  pollMs?: number;
  /** Error → true when another attempt could succeed. */
  retryable?: (error: unknown) => boolean;
}

export class QueueWorker {
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly jobs: JobQueue,
    private readonly handle: (job: Job) => Promise<void>,
    private readonly options: WorkerOptions,
    private readonly log: Logger,
  ) {}

  start(): this {
    this.schedule(0);
    return this;
  }

  /** A job was enqueued: look now instead of at the next poll. */
  notify(): void {
    if (!this.stopped) void this.fill();
  }

  /** Stops claiming; resolves when the jobs in hand have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fill(), ms);
    this.timer.unref();
  }

  private async fill(): Promise<void> {
    while (!this.stopped && this.running < this.options.concurrency) {
      const job = await this.jobs.claim(this.options.queue, this.options.leaseMs);
      if (!job) break;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        if (this.running === 0) for (const resolve of this.idle) resolve();
        this.notify();
      });
    }
    if (!this.stopped) this.schedule(this.options.pollMs ?? 500);
  }

  private async run(job: Job): Promise<void> {
    try {
      await this.handle(job);
      await this.jobs.complete(job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const again = job.attempt < this.options.maxAttempts && (this.options.retryable?.(error) ?? true);
      this.log.warn({ queue: this.options.queue, job_id: job.id, attempt: job.attempt, retry: again, err: message }, 'job failed');
      if (again) await this.jobs.retry(job.id, 1000 * 2 ** (job.attempt - 1), message);
      else await this.jobs.deadLetter(job.id, message);
    }
  }
}
