import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteJobQueue } from '../../handlers/platform/queue/sqlite-job-queue.ts';

const dir = mkdtempSync(join(tmpdir(), 'gaf-queue-'));
let db: SqliteDatabase;
before(() => { db = openDatabase(dir); });
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('leases a job to one claimer at a time and delivers it again when the lease runs out', async () => {
  let now = 1_000;
  const queue = sqliteJobQueue(db, () => now);
  const id = await queue.enqueue('q1', { n: 1 });
  const first = await queue.claim('q1', 500);
  assert.deepEqual(first, { id, payload: { n: 1 }, attempt: 1 });
  assert.equal(await queue.claim('q1', 500), undefined, 'leased: nobody else gets it');
  now += 501; // the worker died without completing
  const again = await queue.claim('q1', 500);
  assert.equal(again?.attempt, 2);
  await queue.complete(id);
  now += 10_000;
  assert.equal(await queue.claim('q1', 500), undefined, 'completed jobs are gone');
});

it('retries after the delay, and keeps dead letters out of delivery', async () => {
  let now = 0;
  const queue = sqliteJobQueue(db, () => now);
  const id = await queue.enqueue('q2', {});
  await queue.claim('q2', 1000);
  await queue.retry(id, 200, 'boom');
  assert.equal(await queue.claim('q2', 1000), undefined, 'not before the delay');
  now += 200;
  const job = await queue.claim('q2', 1000);
  assert.equal(job?.attempt, 2);
  await queue.deadLetter(id, 'gave up');
  now += 100_000;
  assert.equal(await queue.claim('q2', 1000), undefined);
  assert.deepEqual(db.prepare('SELECT state, last_error FROM jobs WHERE id = ?').get(id), { state: 'dead', last_error: 'gave up' });
});

it('keeps queues apart', async () => {
  const queue = sqliteJobQueue(db);
  await queue.enqueue('a', { x: 'a' });
  assert.equal(await queue.claim('b', 1000), undefined);
  assert.deepEqual((await queue.claim('a', 1000))?.payload, { x: 'a' });
});
