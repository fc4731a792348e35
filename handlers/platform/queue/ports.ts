// The job-queue port: at-least-once delivery with leases, retries and dead letters. Adapters:
// a SQLite table (embedded default, workers in-process); SQS on AWS.

export interface Job<Payload = unknown> {
  id: string;
  payload: Payload;
  /** 1 on the first delivery. */
  attempt: number;
}

export interface JobQueue {
  enqueue(queue: string, payload: unknown): Promise<string>;
  /** Leases the next due job for `leaseMs`; a job whose lease runs out is delivered again. */
  claim(queue: string, leaseMs: number): Promise<Job | undefined>;
  /** Renews the lease of a job this process holds: it runs on, so it must not be delivered again. */
  extend(jobId: string, leaseMs: number): Promise<void>;
  complete(jobId: string): Promise<void>;
  /** Delivers the job again after `delayMs`. */
  retry(jobId: string, delayMs: number, error: string): Promise<void>;
  /** Gives up on the job: it stays, marked dead, for inspection. */
  deadLetter(jobId: string, error: string): Promise<void>;
}
