// One behavioural contract for every JobStore adapter (sqlite-job-store.test.ts,
// dynamodb-job-store.test.ts): states, exact counters under concurrency, idempotent completion,
// cancellation, tenancy, pagination and expiry.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { JobStoreError, MAX_ITEMS_PER_JOB, type JobStore, type NewJobItem } from '../../handlers/platform/jobs/ports.ts';

export interface JobStoreUnderTest {
  store: JobStore;
  close(): Promise<void>;
}

/** The clock the adapter is given: tests move it (creation order, expiry). */
export class TestClock {
  ms = Date.UTC(2026, 0, 1);
  readonly now = () => this.ms;
  tick(ms = 1) {
    this.ms += ms;
  }
}

const items = (n: number, prefix = 'file'): NewJobItem[] =>
  Array.from({ length: n }, (_, i) => ({ itemId: `${prefix}-${String(i).padStart(3, '0')}.pdf`, input: { path: `in/${i}` } }));
const RETENTION = 3600;

export function jobStoreContract(label: string, open: (clock: TestClock) => Promise<JobStoreUnderTest>) {
  describe(`job store contract: ${label}`, () => {
    const clock = new TestClock();
    let s: JobStore;
    let under: JobStoreUnderTest;
    before(async () => {
      under = await open(clock);
      s = under.store;
    });
    after(() => under.close());
    const app = () => randomUUID();

    it('creates a job with items, open until started; progress done/total', async () => {
      const appId = app();
      const job = await s.create({ appId, kind: 'extraction', input: { strategy: 'x' }, items: items(3), retentionSeconds: RETENTION });
      assert.equal(job.state, 'CREATED');
      assert.equal(job.kind, 'extraction');
      assert.deepEqual(job.input, { strategy: 'x' });
      assert.deepEqual(job.progress, { done: 0, total: 3 });
      assert.deepEqual(await s.get(appId, job.jobId), job);
      const listed = await s.listItems(appId, job.jobId);
      assert.deepEqual(listed?.items.map((i) => [i.itemId, i.state, i.attempts]), [
        ['file-000.pdf', 'QUEUED', 0], ['file-001.pdf', 'QUEUED', 0], ['file-002.pdf', 'QUEUED', 0],
      ]);
      assert.deepEqual((await s.getItem(appId, job.jobId, 'file-001.pdf'))?.input, { path: 'in/1' });
      assert.equal(await s.getItem(appId, job.jobId, 'nope'), undefined);

      const more = await s.addItems(appId, job.jobId, [{ itemId: 'file-002.pdf' }, { itemId: 'late.txt', input: 7 }, { itemId: 'late.txt' }]);
      assert.equal(more.status, 'ADDED');
      assert.ok(more.status === 'ADDED');
      assert.deepEqual(more.added, ['late.txt']);
      assert.deepEqual(more.duplicates.sort(), ['file-002.pdf', 'late.txt']);
      assert.equal(more.job.total, 4);

      const started = await s.start(appId, job.jobId);
      assert.equal(started?.started, true);
      assert.equal(started?.job.state, 'QUEUED');
      assert.equal((await s.start(appId, job.jobId))?.started, false, 'starting twice changes nothing');
      const closed = await s.addItems(appId, job.jobId, [{ itemId: 'too-late.txt' }]);
      assert.equal(closed.status, 'NOT_OPEN');
      assert.equal((await s.get(appId, job.jobId))?.total, 4);
    });

    it('an item runs, then ends; the job ends only when every item has: all succeeded → COMPLETED', async () => {
      const appId = app();
      const { jobId } = await s.create({ appId, kind: 'chunking', items: items(3), start: true, retentionSeconds: RETENTION });
      const running = await s.startItem(appId, jobId, 'file-000.pdf');
      assert.equal(running?.state, 'IN_PROGRESS');
      assert.equal(running?.attempts, 1);
      assert.equal((await s.get(appId, jobId))?.state, 'IN_PROGRESS');
      assert.equal((await s.startItem(appId, jobId, 'file-000.pdf'))?.attempts, 2, 'a redelivery takes it again');

      for (const [n, id] of ['file-000.pdf', 'file-001.pdf'].entries()) {
        const done = await s.completeItem(appId, jobId, id, { result: { chunks: n } });
        assert.equal(done?.counted, true);
        assert.equal(done?.item.state, 'SUCCEEDED');
        assert.equal(done?.job.state, 'IN_PROGRESS');
        assert.deepEqual(done?.job.progress, { done: n + 1, total: 3 });
      }
      const last = await s.completeItem(appId, jobId, 'file-002.pdf', { result: { chunks: 2 } });
      assert.equal(last?.job.state, 'COMPLETED');
      assert.deepEqual(last?.job.progress, { done: 3, total: 3 });
      assert.equal(last?.job.succeeded, 3);
      assert.ok(last?.job.finishedAt);
      assert.equal(last?.job.expiresAt, Date.parse(last!.job.finishedAt!) + RETENTION * 1000);
      const item = await s.getItem(appId, jobId, 'file-001.pdf');
      assert.deepEqual(item?.result, { chunks: 1 });
      assert.ok(item?.finishedAt);
      assert.equal((await s.startItem(appId, jobId, 'file-001.pdf'))?.state, 'SUCCEEDED', 'an ended item is not taken again');
    });

    it('some failed → COMPLETED_WITH_ERRORS; all failed → FAILED; no items → COMPLETED at start', async () => {
      const appId = app();
      const mixed = await s.create({ appId, kind: 'extraction', items: items(2), start: true, retentionSeconds: RETENTION });
      await s.completeItem(appId, mixed.jobId, 'file-000.pdf', { result: 'ok' });
      const end = await s.completeItem(appId, mixed.jobId, 'file-001.pdf', { error: { code: 'UNSUPPORTED_FILE', detail: 'not a PDF' } });
      assert.equal(end?.job.state, 'COMPLETED_WITH_ERRORS');
      assert.deepEqual([end?.job.succeeded, end?.job.failed], [1, 1]);
      assert.deepEqual((await s.getItem(appId, mixed.jobId, 'file-001.pdf'))?.error, { code: 'UNSUPPORTED_FILE', detail: 'not a PDF' });

      const failed = await s.create({ appId, kind: 'extraction', items: items(2), start: true, retentionSeconds: RETENTION });
      await s.completeItem(appId, failed.jobId, 'file-000.pdf', { error: 'x' });
      assert.equal((await s.completeItem(appId, failed.jobId, 'file-001.pdf', { error: 'y' }))?.job.state, 'FAILED');

      const empty = await s.create({ appId, kind: 'extraction', retentionSeconds: RETENTION });
      assert.equal((await s.start(appId, empty.jobId))?.job.state, 'COMPLETED');
    });

    it('items ended before the job is started: it ends when it is started', async () => {
      const appId = app();
      const { jobId } = await s.create({ appId, kind: 'x', items: items(2), retentionSeconds: RETENTION });
      await s.completeItem(appId, jobId, 'file-000.pdf', { result: 1 });
      const done = await s.completeItem(appId, jobId, 'file-001.pdf', { error: 2 });
      assert.equal(done?.job.state, 'CREATED', 'still open for items');
      assert.equal((await s.start(appId, jobId))?.job.state, 'COMPLETED_WITH_ERRORS');
    });

    it('completing an item twice counts it once; the first outcome stays', async () => {
      const appId = app();
      const { jobId } = await s.create({ appId, kind: 'x', items: items(2), start: true, retentionSeconds: RETENTION });
      assert.equal((await s.completeItem(appId, jobId, 'file-000.pdf', { result: 'first' }))?.counted, true);
      const again = await s.completeItem(appId, jobId, 'file-000.pdf', { error: 'second' });
      assert.equal(again?.counted, false);
      assert.equal(again?.item.state, 'SUCCEEDED');
      assert.equal(again?.item.result, 'first');
      assert.deepEqual(again?.job.progress, { done: 1, total: 2 });
      assert.equal(again?.job.failed, 0);
      assert.equal(await s.completeItem(appId, jobId, 'nope', { result: 1 }), undefined);
    });

    it('50 concurrent completions, each delivered twice: exact counters, one terminal state', async () => {
      const appId = app();
      const { jobId } = await s.create({ appId, kind: 'vectorisation', items: items(50), start: true, retentionSeconds: RETENTION });
      const calls = items(50).flatMap(({ itemId }, i) => {
        const outcome = i % 5 === 0 ? { error: { code: 'E' } } : { result: { i } };
        return [s.completeItem(appId, jobId, itemId, outcome), s.completeItem(appId, jobId, itemId, outcome)];
      });
      const results = await Promise.all(calls);
      assert.equal(results.filter((r) => r?.counted).length, 50);
      const job = await s.get(appId, jobId);
      assert.deepEqual([job?.succeeded, job?.failed, job?.cancelled, job?.total], [40, 10, 0, 50]);
      assert.deepEqual(job?.progress, { done: 50, total: 50 });
      assert.equal(job?.state, 'COMPLETED_WITH_ERRORS');
      const states = (await s.listItems(appId, jobId, { limit: 100 }))!.items.map((i) => i.state);
      assert.equal(states.filter((x) => x === 'SUCCEEDED').length, 40);
      assert.equal(states.filter((x) => x === 'FAILED').length, 10);
    });

    it('concurrent adds of overlapping ids count each id once', async () => {
      const appId = app();
      const { jobId } = await s.create({ appId, kind: 'x', retentionSeconds: RETENTION });
      const all = items(30);
      const outs = await Promise.all([s.addItems(appId, jobId, all.slice(0, 20)), s.addItems(appId, jobId, all.slice(10, 30)), s.addItems(appId, jobId, all)]);
      const added = outs.flatMap((o) => (o.status === 'ADDED' ? o.added : []));
      assert.equal(added.length, 30);
      assert.equal(new Set(added).size, 30);
      assert.equal((await s.get(appId, jobId))?.total, 30);
      assert.equal((await s.listItems(appId, jobId, { limit: 100 }))?.items.length, 30);
    });

    it('cancel: unfinished items → CANCELLED, ended ones stay, the job is CANCELLED; repeating is harmless', async () => {
      const appId = app();
      const { jobId } = await s.create({ appId, kind: 'extraction', items: items(4), start: true, retentionSeconds: RETENTION });
      await s.completeItem(appId, jobId, 'file-000.pdf', { result: 1 });
      await s.startItem(appId, jobId, 'file-001.pdf');
      const job = await s.cancel(appId, jobId);
      assert.equal(job?.state, 'CANCELLED');
      assert.deepEqual([job?.succeeded, job?.failed, job?.cancelled], [1, 0, 3]);
      assert.deepEqual(job?.progress, { done: 4, total: 4 });
      assert.ok(job?.finishedAt && job.expiresAt);
      const states = (await s.listItems(appId, jobId))!.items.map((i) => i.state);
      assert.deepEqual(states, ['SUCCEEDED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
      // The worker that held file-001 finishes late: nothing changes.
      const late = await s.completeItem(appId, jobId, 'file-001.pdf', { result: 'late' });
      assert.equal(late?.counted, false);
      assert.equal(late?.item.state, 'CANCELLED');
      assert.equal((await s.startItem(appId, jobId, 'file-002.pdf'))?.state, 'CANCELLED');
      assert.deepEqual(await s.cancel(appId, jobId), await s.get(appId, jobId));
      assert.equal((await s.get(appId, jobId))?.cancelled, 3);

      const finished = await s.create({ appId, kind: 'x', items: items(1), start: true, retentionSeconds: RETENTION });
      await s.completeItem(appId, finished.jobId, 'file-000.pdf', { result: 1 });
      assert.equal((await s.cancel(appId, finished.jobId))?.state, 'COMPLETED', 'a finished job stays as it ended');
      const open = await s.create({ appId, kind: 'x', items: items(1), retentionSeconds: RETENTION });
      assert.equal((await s.cancel(appId, open.jobId))?.state, 'CANCELLED');
      assert.equal((await s.addItems(appId, open.jobId, items(1, 'more'))).status, 'NOT_OPEN');
      assert.equal((await s.start(appId, open.jobId))?.started, false);
    });

    it("cancelApp cancels every unfinished job of that app and no other app's", async () => {
      const [appId, other] = [app(), app()];
      const a = await s.create({ appId, kind: 'x', items: items(2), start: true, retentionSeconds: RETENTION });
      const b = await s.create({ appId, kind: 'y', items: items(1), retentionSeconds: RETENTION });
      const done = await s.create({ appId, kind: 'x', items: items(1), start: true, retentionSeconds: RETENTION });
      await s.completeItem(appId, done.jobId, 'file-000.pdf', { result: 1 });
      const theirs = await s.create({ appId: other, kind: 'x', items: items(1), start: true, retentionSeconds: RETENTION });
      assert.equal(await s.cancelApp(appId), 2);
      assert.equal((await s.get(appId, a.jobId))?.state, 'CANCELLED');
      assert.equal((await s.get(appId, b.jobId))?.state, 'CANCELLED');
      assert.equal((await s.get(appId, done.jobId))?.state, 'COMPLETED');
      assert.equal((await s.get(other, theirs.jobId))?.state, 'QUEUED');
      assert.equal((await s.getItem(other, theirs.jobId, 'file-000.pdf'))?.state, 'QUEUED');
      assert.equal(await s.cancelApp(appId), 0);
    });

    it("tenancy: another app's job id is not found, for every operation", async () => {
      const [appId, other] = [app(), app()];
      const { jobId } = await s.create({ appId, kind: 'x', items: items(1), retentionSeconds: RETENTION });
      assert.equal(await s.get(other, jobId), undefined);
      assert.equal(await s.getItem(other, jobId, 'file-000.pdf'), undefined);
      assert.equal(await s.listItems(other, jobId), undefined);
      assert.equal((await s.addItems(other, jobId, items(1, 'x'))).status, 'NOT_FOUND');
      assert.equal(await s.start(other, jobId), undefined);
      assert.equal(await s.startItem(other, jobId, 'file-000.pdf'), undefined);
      assert.equal(await s.completeItem(other, jobId, 'file-000.pdf', { result: 1 }), undefined);
      assert.equal(await s.cancel(other, jobId), undefined);
      assert.equal(await s.delete(other, jobId), false);
      assert.deepEqual((await s.list(other)).items, []);
      const job = await s.get(appId, jobId);
      assert.equal(job?.state, 'CREATED');
      assert.equal(job?.total, 1);
      assert.equal((await s.getItem(appId, jobId, 'file-000.pdf'))?.state, 'QUEUED');
    });

    it('lists an app\'s jobs newest first, by kind, with cursors; items in id order with cursors', async () => {
      const appId = app();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        clock.tick(1000);
        ids.push((await s.create({ appId, kind: i % 2 ? 'chunking' : 'extraction', input: i, retentionSeconds: RETENTION })).jobId);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await s.list(appId, { limit: 3, ...(cursor && { cursor }) });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((j) => j.jobId));
        cursor = page.next ?? undefined;
      } while (cursor);
      assert.deepEqual(seen, [...ids].reverse());
      const chunking = await s.list(appId, { kind: 'chunking', limit: 2 });
      assert.deepEqual(chunking.items.map((j) => j.input), [5, 3]);
      const rest = await s.list(appId, { kind: 'chunking', limit: 2, cursor: chunking.next! });
      assert.deepEqual(rest.items.map((j) => j.input), [1]);
      assert.equal(rest.next, null);
      await assert.rejects(s.list(appId, { cursor: 'not a cursor!' }), (e: unknown) => e instanceof JobStoreError && e.reason === 'INVALID_CURSOR');

      const { jobId } = await s.create({ appId, kind: 'x', items: items(7), retentionSeconds: RETENTION });
      const first = await s.listItems(appId, jobId, { limit: 4 });
      const second = await s.listItems(appId, jobId, { limit: 4, cursor: first!.next! });
      assert.deepEqual([...first!.items, ...second!.items].map((i) => i.itemId), items(7).map((i) => i.itemId));
      assert.equal(second!.next, null);
      await s.completeItem(appId, jobId, 'file-003.pdf', { result: 1 });
      assert.deepEqual((await s.listItems(appId, jobId, { state: 'SUCCEEDED' }))!.items.map((i) => i.itemId), ['file-003.pdf']);
    });

    it('finished jobs expire after their retention; unfinished ones do not', async () => {
      const appId = app();
      const done = await s.create({ appId, kind: 'x', items: items(1), start: true, retentionSeconds: 60 });
      await s.completeItem(appId, done.jobId, 'file-000.pdf', { result: 1 });
      const running = await s.create({ appId, kind: 'x', items: items(1), start: true, retentionSeconds: 60 });
      clock.tick(59_000);
      assert.ok(await s.get(appId, done.jobId));
      clock.tick(2_000);
      assert.equal(await s.get(appId, done.jobId), undefined, 'gone for readers at once');
      assert.equal(await s.getItem(appId, done.jobId, 'file-000.pdf'), undefined);
      assert.deepEqual((await s.list(appId)).items.map((j) => j.jobId), [running.jobId]);
      assert.ok((await s.deleteExpired()) >= 1);
      assert.equal(await s.delete(appId, done.jobId), false, 'deleted with its items');
      assert.equal((await s.get(appId, running.jobId))?.state, 'QUEUED');
    });

    it('refuses duplicate job ids, bad or repeated item ids, and too many items', async () => {
      const appId = app();
      const jobId = randomUUID();
      await s.create({ appId, jobId, kind: 'model-invocation', input: { prompt: 'hi' }, items: [{ itemId: 'invocation' }], start: true, retentionSeconds: RETENTION });
      await assert.rejects(s.create({ appId, jobId, kind: 'x', retentionSeconds: RETENTION }), (e: unknown) => e instanceof JobStoreError && e.reason === 'DUPLICATE_JOB');
      const invalid = (e: unknown) => e instanceof JobStoreError && e.reason === 'INVALID_ITEM';
      await assert.rejects(s.create({ appId, kind: 'x', items: [{ itemId: '' }], retentionSeconds: RETENTION }), invalid);
      await assert.rejects(s.create({ appId, kind: 'x', items: [{ itemId: 'a' }, { itemId: 'a' }], retentionSeconds: RETENTION }), invalid);
      await assert.rejects(s.create({ appId, kind: 'x', items: [{ itemId: 'x'.repeat(513) }], retentionSeconds: RETENTION }), invalid);
      await assert.rejects(s.create({ appId, kind: 'x', items: items(MAX_ITEMS_PER_JOB + 1), retentionSeconds: RETENTION }), (e: unknown) => e instanceof JobStoreError && e.reason === 'TOO_MANY_ITEMS');
      assert.equal(await s.delete(appId, jobId), true);
      assert.equal(await s.get(appId, jobId), undefined);
    });
  });
}
