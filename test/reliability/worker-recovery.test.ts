// A queue that fails (SQS throttling, a network blip) must not kill the worker: it backs off,
// recovers, and runs the job; a job's lease is renewed while it runs.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MODULES } from '../../handlers/modules.ts';
import { openDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteJobQueue } from '../../handlers/platform/queue/sqlite-job-queue.ts';
import { QueueWorker } from '../../handlers/platform/queue/worker.ts';
import type { JobQueue } from '../../handlers/platform/queue/ports.ts';
import { createLogger } from '../../handlers/platform/logger.ts';

function withQueue(run: (queue: JobQueue) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaf-worker-'));
    const db = openDatabase(dir, MODULES);
    try {
      await run(sqliteJobQueue(db));
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

async function until(condition: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

it('survives claims that throw, then runs the job', withQueue(async (real) => {
  let failuresLeft = 3;
  const flaky: JobQueue = {
    ...real,
    async claim(queue, leaseMs) {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('ThrottlingException: rate exceeded');
      }
      return real.claim(queue, leaseMs);
    },
  };
  const done: unknown[] = [];
  await real.enqueue('q', { n: 1 });
  const worker = new QueueWorker(flaky, async (job) => void done.push(job.payload), { queue: 'q', concurrency: 2, leaseMs: 5000, maxAttempts: 3, pollMs: 20 }, createLogger('silent')).start();
  const crashed = new Promise((_, reject) => process.once('unhandledRejection', reject));
  await Promise.race([until(() => done.length === 1), crashed]);
  await worker.stop();
  assert.equal(failuresLeft, 0);
  assert.deepEqual(done, [{ n: 1 }]);
}));

it('settles a job even when the queue fails to acknowledge it (the lease brings it back)', withQueue(async (real) => {
  let completes = 0;
  const flaky: JobQueue = {
    ...real,
    async complete(id) {
      if (++completes === 1) throw new Error('network blip');
      return real.complete(id);
    },
  };
  const runs: string[] = [];
  await real.enqueue('q', {});
  const worker = new QueueWorker(flaky, async (job) => void runs.push(job.id), { queue: 'q', concurrency: 1, leaseMs: 300, maxAttempts: 3, pollMs: 20 }, createLogger('silent')).start();
  await until(() => completes === 2);
  await worker.stop();
  assert.equal(runs.length, 2, 'delivered again after its lease ran out, then acknowledged');
}));

it('renews the lease of a job that outlives it, so it is not delivered twice', withQueue(async (queue) => {
  const starts: string[] = [];
  await queue.enqueue('q', {});
  const handle = async (job: { id: string }) => {
    starts.push(job.id);
    await sleep(1200); // four leases long
  };
  const a = new QueueWorker(queue, handle, { queue: 'q', concurrency: 1, leaseMs: 300, maxAttempts: 3, pollMs: 20 }, createLogger('silent')).start();
  const b = new QueueWorker(queue, handle, { queue: 'q', concurrency: 1, leaseMs: 300, maxAttempts: 3, pollMs: 20 }, createLogger('silent')).start();
  await sleep(1500);
  await Promise.all([a.stop(), b.stop()]);
  assert.equal(starts.length, 1, 'the second worker never got the running job');
}));
