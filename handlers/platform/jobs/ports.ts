// The job-store port: job resources with items (files, chunks, …), per-item state, exact counters,
// progress, cancellation and expiry. Every long task of a service (async invocation, extraction,
// chunking, vectorisation) is a job here plus queue messages (platform/queue); workers finish items
// at least once, so finishing an item is idempotent. Adapters: SQLite (embedded default) and
// DynamoDB; test/adapters/job-store-contract.ts is the behaviour both must have.
//
// Tenancy: every call names the owning app; another app's job id is simply not found.

/** Open for items (`CREATED`), sealed (`QUEUED`, `IN_PROGRESS`), then one terminal state. */
export type JobState = 'CREATED' | 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS' | 'FAILED' | 'CANCELLED';
export type ItemState = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export const TERMINAL_JOB_STATES: readonly JobState[] = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];
export const TERMINAL_ITEM_STATES: readonly ItemState[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Most items one job may hold (both adapters refuse more: TOO_MANY_ITEMS). */
export const MAX_ITEMS_PER_JOB = 10_000;
/** Longest item id, in characters (a file name, a chunk id …). */
export const MAX_ITEM_ID_LENGTH = 512;

export interface Job {
  appId: string;
  jobId: string;
  /** What the job does, e.g. 'model-invocation', 'extraction', 'chunking', 'vectorisation'. */
  kind: string;
  state: JobState;
  /** Job-level input and parameters (JSON), as given at creation. */
  input: unknown;
  /** Items in the job; fixed once the job is started. */
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** done = succeeded + failed + cancelled: for progress bars. */
  progress: { done: number; total: number };
  createdAt: string;
  updatedAt: string;
  /** When the job reached its terminal state. */
  finishedAt?: string;
  /** Epoch ms after which the finished job is gone (reads stop returning it; deleteExpired removes it). */
  expiresAt?: number;
}

export interface JobItem {
  itemId: string;
  state: ItemState;
  input: unknown;
  /** Set when SUCCEEDED. */
  result?: unknown;
  /** Set when FAILED. */
  error?: unknown;
  /** How often a worker started it (startItem); more than 1 after a redelivery. */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface NewJobItem {
  /** Unique within the job: 1 to MAX_ITEM_ID_LENGTH characters. */
  itemId: string;
  input?: unknown;
}

export interface NewJob {
  appId: string;
  kind: string;
  /** Defaults to a random UUID; a job id already in use for the app is refused. */
  jobId?: string;
  input?: unknown;
  items?: NewJobItem[];
  /** Seal the job at once (as start() does): no items can be added later. Default false. */
  start?: boolean;
  /** How long the job is kept after it reaches its terminal state. */
  retentionSeconds: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  next: string | null;
}

export type ItemOutcome = { result: unknown } | { error: unknown };

export type AddItemsResult =
  | { status: 'ADDED'; job: Job; added: string[]; duplicates: string[] }
  | { status: 'NOT_FOUND' }
  /** The job was started (or cancelled/finished): it takes no more items. */
  | { status: 'NOT_OPEN'; job: Job }
  | { status: 'TOO_MANY_ITEMS'; job: Job };

export interface JobStore {
  /** Creates a job (state CREATED, or QUEUED/terminal with `start`) with its first items. */
  create(job: NewJob): Promise<Job>;
  /** By (app, job id); undefined for another app's job and for expired ones. */
  get(appId: string, jobId: string): Promise<Job | undefined>;
  /** Newest first; `kind` narrows to one kind of job. */
  list(appId: string, options?: { kind?: string; limit?: number; cursor?: string }): Promise<Page<Job>>;
  /**
   * Adds items (state QUEUED) to a job that is still CREATED. Ids already in the job are not
   * added again; they come back in `duplicates` (so a retried call is harmless).
   */
  addItems(appId: string, jobId: string, items: NewJobItem[]): Promise<AddItemsResult>;
  /**
   * Seals a CREATED job: no more items; QUEUED (or IN_PROGRESS, or terminal when every item
   * already is, e.g. a job with none). `started` is false when the job had already been sealed.
   */
  start(appId: string, jobId: string): Promise<{ job: Job; started: boolean } | undefined>;
  getItem(appId: string, jobId: string, itemId: string): Promise<JobItem | undefined>;
  /** In item id order; undefined when the job is not found. */
  listItems(appId: string, jobId: string, options?: { state?: ItemState; limit?: number; cursor?: string }): Promise<Page<JobItem> | undefined>;
  /**
   * A worker takes an item: QUEUED or IN_PROGRESS (a redelivery) → IN_PROGRESS, attempts + 1; a
   * sealed job becomes IN_PROGRESS. An item of a cancelled job is cancelled instead. Returns the
   * item as it now is: the worker runs it only if its state is IN_PROGRESS.
   */
  startItem(appId: string, jobId: string, itemId: string): Promise<JobItem | undefined>;
  /**
   * Ends an item SUCCEEDED (result) or FAILED (error) and counts it, once: finishing an item that
   * is already terminal changes nothing (`counted` false; the first outcome stays). When the last
   * item of a started job ends, the job ends: COMPLETED (all succeeded), FAILED (none did) or
   * COMPLETED_WITH_ERRORS.
   */
  completeItem(appId: string, jobId: string, itemId: string, outcome: ItemOutcome): Promise<{ counted: boolean; item: JobItem; job: Job } | undefined>;
  /** Every non-terminal item → CANCELLED and a non-terminal job → CANCELLED. Repeating it is harmless. */
  cancel(appId: string, jobId: string): Promise<Job | undefined>;
  /** Cancels every unfinished job of the app (when it is deactivated); returns how many. */
  cancelApp(appId: string): Promise<number>;
  /** Removes a job and its items; false when there was none. */
  delete(appId: string, jobId: string): Promise<boolean>;
  /** Removes finished jobs past their expiry; returns how many. */
  deleteExpired(): Promise<number>;
}

/** A caller's mistake the adapters refuse the same way. */
export class JobStoreError extends Error {
  constructor(readonly reason: 'INVALID_ITEM' | 'TOO_MANY_ITEMS' | 'INVALID_CURSOR' | 'DUPLICATE_JOB', message: string) {
    super(message);
    this.name = 'JobStoreError';
  }
}

export interface JobStoreOptions {
  /** Epoch ms; tests move it to check expiry. */
  now?: () => number;
}
