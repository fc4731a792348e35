// The portal's logic for the jobs page (admin-ui/src/lib/jobs.ts, polling.ts) and the API keys
// panel (admin-ui/src/lib/api-keys.ts), without a browser.
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { isOpen, kindsOf, progressText } from '../../admin-ui/src/lib/jobs.ts';
import { pollWhileOpen, untilFinished, type PageVisibility } from '../../admin-ui/src/lib/polling.ts';
import { keyStatus, parseModelList } from '../../admin-ui/src/lib/api-keys.ts';

describe('portal jobs', () => {
  it('tells open jobs from finished ones and says their progress', () => {
    assert.deepEqual(['CREATED', 'QUEUED', 'IN_PROGRESS'].map((state) => isOpen({ state } as never)), [true, true, true]);
    assert.deepEqual(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'].map((state) => isOpen({ state } as never)), [false, false, false, false]);
    assert.equal(progressText({ progress: { done: 3, total: 8 }, failed: 0, cancelled: 0 }), '3 of 8');
    assert.equal(progressText({ progress: { done: 8, total: 8 }, failed: 2, cancelled: 1 }), '8 of 8 (2 failed, 1 cancelled)');
  });

  it('offers every kind seen, whatever the services call them', () => {
    assert.deepEqual(kindsOf([{ kind: 'vectorisation' }, { kind: 'extraction' }], ['extraction', 'model-invocation']), ['extraction', 'model-invocation', 'vectorisation']);
  });
});

class FakePage implements PageVisibility {
  hidden = false;
  private listeners = new Set<() => void>();
  addEventListener(_: 'visibilitychange', listener: () => void) { this.listeners.add(listener); }
  removeEventListener(_: 'visibilitychange', listener: () => void) { this.listeners.delete(listener); }
  setHidden(hidden: boolean) {
    this.hidden = hidden;
    for (const listener of this.listeners) listener();
  }
  get listening() { return this.listeners.size; }
}

describe('portal polling', () => {
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('polls while something is open, stops when nothing is, and starts again when woken', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const page = new FakePage();
    let open = 2;
    const tick = mock.fn(async () => --open > 0);
    const poller = pollWhileOpen(tick, 1000, page);
    poller.wake();
    for (let i = 0; i < 3; i++) {
      t.mock.timers.tick(1000);
      await settle();
    }
    assert.equal(tick.mock.callCount(), 2, 'stopped once nothing was open');
    open = 5;
    poller.wake();
    t.mock.timers.tick(1000);
    await settle();
    assert.equal(tick.mock.callCount(), 3);
    poller.stop();
    t.mock.timers.tick(5000);
    await settle();
    assert.equal(tick.mock.callCount(), 3, 'nothing after stop');
    assert.equal(page.listening, 0);
  });

  it('asks nothing while the page is hidden and asks at once when it is shown again', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const page = new FakePage();
    const tick = mock.fn(async () => true);
    const poller = pollWhileOpen(tick, 1000, page);
    poller.wake();
    page.setHidden(true);
    t.mock.timers.tick(10_000);
    await settle();
    assert.equal(tick.mock.callCount(), 0);
    page.setHidden(false);
    await settle();
    assert.equal(tick.mock.callCount(), 1);
    t.mock.timers.tick(1000);
    await settle();
    assert.equal(tick.mock.callCount(), 2);
    poller.stop();
  });

  it('keeps polling after a failed call', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const tick = mock.fn(async () => { throw new Error('offline'); });
    const poller = pollWhileOpen(tick, 1000, new FakePage());
    poller.wake();
    for (let i = 0; i < 2; i++) {
      t.mock.timers.tick(1000);
      await settle();
    }
    assert.equal(tick.mock.callCount(), 2);
    poller.stop();
  });
});

describe('portal waiting for a job', () => {
  it('asks until the job has finished and returns its last answer', async () => {
    const answers = ['QUEUED', 'IN_PROGRESS', 'COMPLETED_WITH_ERRORS'].map((status) => ({ status }));
    const slept: number[] = [];
    const last = await untilFinished(async () => answers.shift()!, async (ms) => void slept.push(ms));
    assert.deepEqual([last, slept.length], [{ status: 'COMPLETED_WITH_ERRORS' }, 2]);
  });

  it('gives up after its limit, pointing at the Jobs page', async () => {
    await assert.rejects(untilFinished(async () => ({ status: 'IN_PROGRESS' }), async () => undefined, 1000), /still IN_PROGRESS after 1 s; look for it on the Jobs page/);
  });
});

describe('portal API keys', () => {
  it('says whether a key is active, revoked or expired', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    assert.equal(keyStatus({ revoked_at: null, expires_at: null }, now), 'active');
    assert.equal(keyStatus({ revoked_at: null, expires_at: '2027-01-01T00:00:00Z' }, now), 'active');
    assert.equal(keyStatus({ revoked_at: null, expires_at: '2026-11-30T00:00:00Z' }, now), 'expired');
    assert.equal(keyStatus({ revoked_at: '2026-11-30T00:00:00Z', expires_at: '2026-11-30T00:00:00Z' }, now), 'revoked');
  });

  it('reads the models field as a list without blanks or repeats, or every model when blank', () => {
    assert.deepEqual(parseModelList(' echo, gpt ,, echo '), ['echo', 'gpt']);
    assert.equal(parseModelList('  , '), null);
  });
});
