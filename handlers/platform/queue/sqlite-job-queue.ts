// JobQueue on SQLite. A claim is one UPDATE … RETURNING, so two workers never lease the same job;
// a process killed mid-job leaves a lease that simply runs out, and the job is delivered again.
import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../store/sqlite/database.ts';
import type { Job, JobQueue } from './ports.ts';

export function sqliteJobQueue(db: SqliteDatabase, now: () => number = Date.now): JobQueue {
  const insert = db.prepare(`INSERT INTO jobs (id, queue, payload, state, available_at) VALUES (?, ?, ?, 'ready', ?)`);
  const claim = db.prepare<[number, string, number, number], { id: string; payload: string; attempts: number }>(
    `UPDATE jobs SET state = 'leased', lease_until = ?, attempts = attempts + 1
     WHERE id = (
       SELECT id FROM jobs
       WHERE queue = ? AND ((state = 'ready' AND available_at <= ?) OR (state = 'leased' AND lease_until <= ?))
       ORDER BY available_at LIMIT 1
     )
     RETURNING id, payload, attempts`,
  );
  const extend = db.prepare(`UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'leased'`);
  const remove = db.prepare('DELETE FROM jobs WHERE id = ?');
  const retry = db.prepare(`UPDATE jobs SET state = 'ready', available_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`);
  const dead = db.prepare(`UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = ? WHERE id = ?`);

  return {
    async enqueue(queue, payload) {
      const id = randomUUID();
      insert.run(id, queue, JSON.stringify(payload), now());
      return id;
    },
    async claim(queue, leaseMs): Promise<Job | undefined> {
      const t = now();
      const row = claim.get(t + leaseMs, queue, t, t);
      return row && { id: row.id, payload: JSON.parse(row.payload), attempt: row.attempts };
    },
    async extend(jobId, leaseMs) {
      extend.run(now() + leaseMs, jobId);
    },
    async complete(jobId) {
      remove.run(jobId);
    },
    async retry(jobId, delayMs, error) {
      retry.run(now() + delayMs, error, jobId);
    },
    async deadLetter(jobId, error) {
      dead.run(error, jobId);
    },
  };
}
