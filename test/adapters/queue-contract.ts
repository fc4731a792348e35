// One behavioural contract for every job-queue adapter (SQLite and SQS), on the real clock:
// leases are visibility timeouts on SQS, which count in whole seconds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobQueue } from '../../handlers/platform/queue/ports.ts';

export const CONTRACT_QUEUES = ['contract-a', 'contract-b', 'contract-c', 'contract-d', 'contract-e'] as const;
const LEASE_MS = 1000;

export function queueContract(label: string, open: () => Promise<{ queue: JobQueue; close(): Promise<void> }>) {
  describe(`job queue contract: ${label}`, () => {
    let q: JobQueue;
    let close: () => Promise<void>;
    before(async () => ({ queue: q, close } = await open()));
    after(() => close());

    it('leases a job to one claimer, delivers it again when the lease runs out, forgets it once completed', async () => {
      const id = await q.enqueue('contract-a', { n: 1 });
      const first = await q.claim('contract-a', LEASE_MS);
      assert.deepEqual(first, { id, payload: { n: 1 }, attempt: 1 });
      assert.equal(await q.claim('contract-a', LEASE_MS), undefined, 'leased: nobody else gets it');
      await sleep(LEASE_MS + 300); // the worker died without completing
      const again = await q.claim('contract-a', LEASE_MS);
      assert.equal(again?.id, id);
      assert.equal(again?.attempt, 2);
      await q.complete(id);
      await sleep(LEASE_MS + 300);
      assert.equal(await q.claim('contract-a', LEASE_MS), undefined, 'completed jobs are gone');
    });

    it('retries after the delay, not before', async () => {
      const id = await q.enqueue('contract-b', {});
      await q.claim('contract-b', 30_000);
      await q.retry(id, LEASE_MS, 'boom');
      assert.equal(await q.claim('contract-b', 30_000), undefined, 'not before the delay');
      await sleep(LEASE_MS + 300);
      const job = await q.claim('contract-b', 30_000);
      // local-aws-sqs also counts the ChangeMessageVisibility as a receive (SQS does not).
      assert.ok(job && job.attempt >= 2, `attempt ${job?.attempt}`);
      await q.complete(id);
    });

    it('keeps dead letters out of delivery', async () => {
      const id = await q.enqueue('contract-c', { poison: true });
      await q.claim('contract-c', LEASE_MS);
      await q.deadLetter(id, 'gave up');
      await sleep(LEASE_MS + 300);
      assert.equal(await q.claim('contract-c', LEASE_MS), undefined);
    });

    it('a renewed lease keeps a running job from being delivered again', async () => {
      const id = await q.enqueue('contract-e', {});
      await q.claim('contract-e', LEASE_MS);
      await sleep(LEASE_MS / 2);
      await q.extend(id, 3 * LEASE_MS);
      await sleep(LEASE_MS + 300); // past the first lease
      assert.equal(await q.claim('contract-e', LEASE_MS), undefined, 'still leased');
      await q.complete(id);
    });

    it('keeps queues apart', async () => {
      await q.enqueue('contract-d', { x: 'd' });
      assert.equal(await q.claim('contract-a', LEASE_MS), undefined);
      assert.deepEqual((await q.claim('contract-d', LEASE_MS))?.payload, { x: 'd' });
    });
  });
}
