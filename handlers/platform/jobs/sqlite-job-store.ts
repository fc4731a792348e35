// JobStore on the embedded SQLite database. A job row holds the counters; every change of an item
// and the counters it moves happen in one IMMEDIATE transaction, so they are exact even with other
// processes on the same file, and an item is counted only by the update that moved it out of a
// non-terminal state (a second completion changes no row and counts nothing).
import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../store/sqlite/database.ts';
import {
  JobStoreError, MAX_ITEMS_PER_JOB, TERMINAL_JOB_STATES,
  type ItemState, type Job, type JobItem, type JobState, type JobStore, type JobStoreOptions, type NewJobItem,
} from './ports.ts';
import { checkItems, decodeCursor, encodeCursor, finalState, jobOrderKey, pageSize, splitJobOrderKey } from './rules.ts';

/**
 * The schema (until it moves into this module's own migrations). `job_records`, because the job
 * queue already has a table named `jobs`. No foreign key to `apps`: the DynamoDB adapter has no
 * cascade either, and the owner deletes an app's jobs through the port.
 */
export const JOBS_SQL = `
  CREATE TABLE job_records (
    app_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('CREATED', 'QUEUED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED')),
    input TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    succeeded INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    cancelled INTEGER NOT NULL DEFAULT 0,
    retention_seconds INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    expires_at INTEGER,
    PRIMARY KEY (app_id, job_id)
  ) STRICT;
  CREATE INDEX job_records_newest ON job_records (app_id, created_at DESC, job_id DESC);
  CREATE INDEX job_records_unfinished ON job_records (app_id) WHERE state IN ('CREATED', 'QUEUED', 'IN_PROGRESS');
  CREATE INDEX job_records_expiry ON job_records (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE job_items (
    app_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    input TEXT NOT NULL,
    result TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (app_id, job_id, item_id),
    FOREIGN KEY (app_id, job_id) REFERENCES job_records (app_id, job_id) ON DELETE CASCADE
  ) STRICT, WITHOUT ROWID;
`;

interface JobRow {
  app_id: string; job_id: string; kind: string; state: JobState; input: string;
  total: number; succeeded: number; failed: number; cancelled: number; retention_seconds: number;
  created_at: string; updated_at: string; finished_at: string | null; expires_at: number | null;
}
interface ItemRow {
  item_id: string; state: ItemState; input: string; result: string | null; error: string | null;
  attempts: number; created_at: string; updated_at: string; finished_at: string | null;
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const toJob = (r: JobRow): Job => ({
  appId: r.app_id, jobId: r.job_id, kind: r.kind, state: r.state, input: JSON.parse(r.input),
  total: r.total, succeeded: r.succeeded, failed: r.failed, cancelled: r.cancelled,
  progress: { done: r.succeeded + r.failed + r.cancelled, total: r.total },
  createdAt: r.created_at, updatedAt: r.updated_at,
  ...(r.finished_at && { finishedAt: r.finished_at }),
  ...(r.expires_at !== null && { expiresAt: r.expires_at }),
});
const toItem = (r: ItemRow): JobItem => ({
  itemId: r.item_id, state: r.state, input: JSON.parse(r.input),
  ...(r.result !== null && { result: JSON.parse(r.result) }),
  ...(r.error !== null && { error: JSON.parse(r.error) }),
  attempts: r.attempts, createdAt: r.created_at, updatedAt: r.updated_at,
  ...(r.finished_at && { finishedAt: r.finished_at }),
});
const terminal = (state: JobState) => TERMINAL_JOB_STATES.includes(state);

export function sqliteJobStore(db: SqliteDatabase, options: JobStoreOptions = {}): JobStore {
  const now = options.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();

  const q = {
    insertJob: db.prepare(
      `INSERT INTO job_records (app_id, job_id, kind, state, input, retention_seconds, created_at, updated_at)
       VALUES (?, ?, ?, 'CREATED', ?, ?, ?, ?)`,
    ),
    insertItem: db.prepare(
      `INSERT INTO job_items (app_id, job_id, item_id, state, input, created_at, updated_at)
       VALUES (?, ?, ?, 'QUEUED', ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    job: db.prepare<[string, string], JobRow>('SELECT * FROM job_records WHERE app_id = ? AND job_id = ?'),
    item: db.prepare<[string, string, string], ItemRow>('SELECT * FROM job_items WHERE app_id = ? AND job_id = ? AND item_id = ?'),
    addTotal: db.prepare('UPDATE job_records SET total = total + ?, updated_at = ? WHERE app_id = ? AND job_id = ?'),
    setState: db.prepare(
      `UPDATE job_records SET state = ?, updated_at = ?, finished_at = ?, expires_at = ? WHERE app_id = ? AND job_id = ?`,
    ),
    touch: db.prepare('UPDATE job_records SET updated_at = ? WHERE app_id = ? AND job_id = ?'),
    startItem: db.prepare(
      `UPDATE job_items SET state = 'IN_PROGRESS', attempts = attempts + 1, updated_at = ?
       WHERE app_id = ? AND job_id = ? AND item_id = ? AND state IN ('QUEUED', 'IN_PROGRESS')`,
    ),
    finishItem: db.prepare(
      `UPDATE job_items SET state = ?, result = ?, error = ?, updated_at = ?, finished_at = ?
       WHERE app_id = ? AND job_id = ? AND item_id = ? AND state IN ('QUEUED', 'IN_PROGRESS')`,
    ),
    countSucceeded: db.prepare('UPDATE job_records SET succeeded = succeeded + 1 WHERE app_id = ? AND job_id = ?'),
    countFailed: db.prepare('UPDATE job_records SET failed = failed + 1 WHERE app_id = ? AND job_id = ?'),
    cancelItems: db.prepare(
      `UPDATE job_items SET state = 'CANCELLED', updated_at = ?, finished_at = ?
       WHERE app_id = ? AND job_id = ? AND state IN ('QUEUED', 'IN_PROGRESS')`,
    ),
    countCancelled: db.prepare('UPDATE job_records SET cancelled = cancelled + ? WHERE app_id = ? AND job_id = ?'),
    unfinished: db.prepare<[string], { job_id: string }>(
      `SELECT job_id FROM job_records WHERE app_id = ? AND state IN ('CREATED', 'QUEUED', 'IN_PROGRESS')`,
    ),
    deleteJob: db.prepare('DELETE FROM job_records WHERE app_id = ? AND job_id = ?'),
    expired: db.prepare('DELETE FROM job_records WHERE expires_at IS NOT NULL AND expires_at <= ?'),
  };

  const visible = (row: JobRow | undefined, at: number) => (row && (row.expires_at === null || row.expires_at > at) ? row : undefined);

  /** Sets the state a sealed job has after a count changed: IN_PROGRESS, or terminal when every item ended. */
  function settle(appId: string, jobId: string, at: number): JobRow {
    const row = q.job.get(appId, jobId)!;
    if (row.state !== 'QUEUED' && row.state !== 'IN_PROGRESS') return row;
    if (row.succeeded + row.failed + row.cancelled >= row.total) {
      end(row, finalState(row.total, row.succeeded), at);
    } else if (row.state === 'QUEUED' && row.succeeded + row.failed + row.cancelled > 0) {
      q.setState.run('IN_PROGRESS', iso(at), null, null, appId, jobId);
    }
    return q.job.get(appId, jobId)!;
  }
  function end(row: JobRow, state: JobState, at: number) {
    q.setState.run(state, iso(at), iso(at), at + row.retention_seconds * 1000, row.app_id, row.job_id);
  }

  function insertItems(appId: string, jobId: string, items: NewJobItem[], at: number): { added: string[]; duplicates: string[] } {
    const added: string[] = [];
    const duplicates: string[] = [];
    for (const item of items) {
      const { changes } = q.insertItem.run(appId, jobId, item.itemId, json(item.input), iso(at), iso(at));
      (changes ? added : duplicates).push(item.itemId);
    }
    if (added.length) q.addTotal.run(added.length, iso(at), appId, jobId);
    return { added, duplicates };
  }

  const seal = (appId: string, jobId: string, at: number): JobRow => {
    q.setState.run('QUEUED', iso(at), null, null, appId, jobId);
    return settle(appId, jobId, at);
  };

  const cancelOne = db.transaction((appId: string, jobId: string, at: number): JobRow | undefined => {
    const row = visible(q.job.get(appId, jobId), at);
    if (!row) return undefined;
    if (terminal(row.state) && row.state !== 'CANCELLED') return row;
    const { changes } = q.cancelItems.run(iso(at), iso(at), appId, jobId);
    if (changes) q.countCancelled.run(changes, appId, jobId);
    if (row.state !== 'CANCELLED') end(row, 'CANCELLED', at);
    return q.job.get(appId, jobId);
  });

  return {
    async create(job) {
      const items = job.items ?? [];
      checkItems(items, true);
      const at = now();
      const jobId = job.jobId ?? randomUUID();
      const row = db.transaction(() => {
        try {
          q.insertJob.run(job.appId, jobId, job.kind, json(job.input), job.retentionSeconds, iso(at), iso(at));
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new JobStoreError('DUPLICATE_JOB', `Job ${jobId} exists.`);
          throw error;
        }
        insertItems(job.appId, jobId, items, at);
        return job.start ? seal(job.appId, jobId, at) : q.job.get(job.appId, jobId)!;
      }).immediate();
      return toJob(row);
    },

    async get(appId, jobId) {
      const row = visible(q.job.get(appId, jobId), now());
      return row && toJob(row);
    },

    async list(appId, { kind, limit, cursor } = {}) {
      const size = pageSize(limit);
      const [afterAt, afterId] = cursor === undefined ? [null, null] : splitJobOrderKey(decodeCursor(cursor));
      const rows = db.prepare<unknown[], JobRow>(
        `SELECT * FROM job_records WHERE app_id = ? AND (expires_at IS NULL OR expires_at > ?)
         ${kind === undefined ? '' : 'AND kind = ?'} ${afterAt === null ? '' : 'AND (created_at, job_id) < (?, ?)'}
         ORDER BY created_at DESC, job_id DESC LIMIT ?`,
      ).all(appId, now(), ...(kind === undefined ? [] : [kind]), ...(afterAt === null ? [] : [afterAt, afterId]), size + 1);
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return { items: page.map(toJob), next: rows.length > size && last ? encodeCursor(jobOrderKey(last.created_at, last.job_id)) : null };
    },

    async addItems(appId, jobId, items) {
      checkItems(items, false);
      return db.transaction(() => {
        const at = now();
        const row = visible(q.job.get(appId, jobId), at);
        if (!row) return { status: 'NOT_FOUND' as const };
        if (row.state !== 'CREATED') return { status: 'NOT_OPEN' as const, job: toJob(row) };
        // Only ids not yet in the job count against the limit.
        const fresh = new Set(items.map((i) => i.itemId).filter((id) => !q.item.get(appId, jobId, id)));
        if (row.total + fresh.size > MAX_ITEMS_PER_JOB) return { status: 'TOO_MANY_ITEMS' as const, job: toJob(row) };
        const { added, duplicates } = insertItems(appId, jobId, items, at);
        return { status: 'ADDED' as const, job: toJob(q.job.get(appId, jobId)!), added, duplicates };
      }).immediate();
    },

    async start(appId, jobId) {
      return db.transaction(() => {
        const at = now();
        const row = visible(q.job.get(appId, jobId), at);
        if (!row) return undefined;
        if (row.state !== 'CREATED') return { job: toJob(row), started: false };
        return { job: toJob(seal(appId, jobId, at)), started: true };
      }).immediate();
    },

    async getItem(appId, jobId, itemId) {
      if (!visible(q.job.get(appId, jobId), now())) return undefined;
      const row = q.item.get(appId, jobId, itemId);
      return row && toItem(row);
    },

    async listItems(appId, jobId, { state, limit, cursor } = {}) {
      if (!visible(q.job.get(appId, jobId), now())) return undefined;
      const size = pageSize(limit);
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const rows = db.prepare<unknown[], ItemRow>(
        `SELECT * FROM job_items WHERE app_id = ? AND job_id = ?
         ${state === undefined ? '' : 'AND state = ?'} ${after === undefined ? '' : 'AND item_id > ?'}
         ORDER BY item_id LIMIT ?`,
      ).all(appId, jobId, ...(state === undefined ? [] : [state]), ...(after === undefined ? [] : [after]), size + 1);
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return { items: page.map(toItem), next: rows.length > size && last ? encodeCursor(last.item_id) : null };
    },

    async startItem(appId, jobId, itemId) {
      return db.transaction(() => {
        const at = now();
        const job = visible(q.job.get(appId, jobId), at);
        if (!job) return undefined;
        if (job.state === 'CANCELLED') {
          const { changes } = q.finishItem.run('CANCELLED', null, null, iso(at), iso(at), appId, jobId, itemId);
          if (changes) q.countCancelled.run(1, appId, jobId);
        } else if (q.startItem.run(iso(at), appId, jobId, itemId).changes) {
          if (job.state === 'QUEUED') q.setState.run('IN_PROGRESS', iso(at), null, null, appId, jobId);
          else q.touch.run(iso(at), appId, jobId);
        }
        const item = q.item.get(appId, jobId, itemId);
        return item && toItem(item);
      }).immediate();
    },

    async completeItem(appId, jobId, itemId, outcome) {
      return db.transaction(() => {
        const at = now();
        if (!visible(q.job.get(appId, jobId), at)) return undefined;
        const succeeded = 'result' in outcome;
        const { changes } = q.finishItem.run(
          succeeded ? 'SUCCEEDED' : 'FAILED', succeeded ? json(outcome.result) : null, succeeded ? null : json(outcome.error),
          iso(at), iso(at), appId, jobId, itemId,
        );
        const item = q.item.get(appId, jobId, itemId);
        if (!item) return undefined;
        if (changes) {
          (succeeded ? q.countSucceeded : q.countFailed).run(appId, jobId);
          q.touch.run(iso(at), appId, jobId);
        }
        const job = changes ? settle(appId, jobId, at) : q.job.get(appId, jobId)!;
        return { counted: changes === 1, item: toItem(item), job: toJob(job) };
      }).immediate();
    },

    async cancel(appId, jobId) {
      const row = cancelOne.immediate(appId, jobId, now());
      return row && toJob(row);
    },

    async cancelApp(appId) {
      const at = now();
      const ids = q.unfinished.all(appId).map((r) => r.job_id);
      for (const jobId of ids) cancelOne.immediate(appId, jobId, at);
      return ids.length;
    },

    async delete(appId, jobId) {
      return q.deleteJob.run(appId, jobId).changes > 0;
    },

    async deleteExpired() {
      return q.expired.run(now()).changes;
    },
  };
}
