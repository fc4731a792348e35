import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Resilience } from '../../handlers/platform/resilience/resilience.ts';
import { CircuitBreaker, type Permit } from '../../handlers/platform/resilience/circuit-breaker.ts';
import { ProviderError } from '../../handlers/model/providers/provider.ts';
import type { ProblemError } from '../../handlers/platform/problems.ts';

const never = new AbortController().signal;
const p = { provider: 'p', model: 'm' };

describe('Resilience', () => {
  it('retries retryable failures up to maxRetries, then reports the last one', async () => {
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 2, backoffBaseMs: 1 });
    let calls = 0;
    await assert.rejects(r.call(p, never, async () => { calls++; throw new ProviderError('unavailable', 'down'); }), (e: ProblemError) => e.code === 'UPSTREAM_ERROR');
    assert.equal(calls, 3);
  });

  it('does not retry a rejected request', async () => {
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 5, backoffBaseMs: 1 });
    let calls = 0;
    await assert.rejects(r.call(p, never, async () => { calls++; throw new ProviderError('rejected', 'no'); }), (e: ProblemError) => e.code === 'UPSTREAM_REJECTED');
    assert.equal(calls, 1);
  });

  it('waits at least Retry-After, and gives up when that would pass the deadline', async () => {
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 3, backoffBaseMs: 1 });
    let calls = 0;
    const started = Date.now();
    const result = await r.call(p, never, async () => {
      if (++calls === 1) throw new ProviderError('throttled', 'slow down', 0.2);
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.ok(Date.now() - started >= 190);
    calls = 0;
    await assert.rejects(r.call({ provider: 'q', model: 'm' }, never, async () => { calls++; throw new ProviderError('throttled', 'slow down', 60); }), (e: ProblemError) => e.code === 'UPSTREAM_THROTTLED');
    assert.equal(calls, 1, 'a 60 s Retry-After does not fit a 5 s deadline');
  });

  it('aborts an attempt at the deadline and answers UPSTREAM_TIMEOUT', async () => {
    const r = new Resilience({ timeoutMs: 50, maxRetries: 0 });
    // The deadline timer does not keep a process alive (a server's sockets do); this test must.
    const keepAlive = setTimeout(() => undefined, 5000);
    await assert.rejects(
      r.call(p, never, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))),
      (e: ProblemError) => e.code === 'UPSTREAM_TIMEOUT',
    );
    clearTimeout(keepAlive);
  });

  it('fails fast with PROVIDER_UNAVAILABLE while the breaker is open, without calling', async () => {
    let now = 0;
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 0, breakerThreshold: 2, breakerCooldownMs: 1000, now: () => now });
    let calls = 0;
    const failing = async () => { calls++; throw new ProviderError('unavailable', 'down'); };
    await assert.rejects(r.call(p, never, failing));
    await assert.rejects(r.call(p, never, failing));
    await assert.rejects(r.call(p, never, failing), (e: ProblemError) => e.code === 'PROVIDER_UNAVAILABLE' && e.options.retryAfterSeconds === 1);
    assert.equal(calls, 2);
    assert.equal(await r.call({ provider: 'other', model: 'm' }, never, async () => 'fine'), 'fine', 'breakers are per provider');
    now += 1000;
    assert.equal(await r.call(p, never, async () => 'recovered'), 'recovered', 'one trial call after the cooldown');
  });
});

describe('CircuitBreaker', () => {
  const permit = (got: Permit | number) => {
    assert.equal(typeof got, 'object', `expected a permit, got a wait of ${String(got)} s`);
    return got as Permit;
  };

  it('lets only one trial through while half-open', () => {
    const breaker = new CircuitBreaker(1, 100, () => 1000);
    permit(breaker.acquire()).failure();
    assert.ok((breaker.acquire() as number) > 0);
    const later = new CircuitBreaker(1, 0, () => 1000);
    permit(later.acquire()).failure();
    const trial = permit(later.acquire());
    assert.equal(later.snapshot().state, 'half_open');
    assert.ok((later.acquire() as number) > 0, 'a second caller waits for the trial');
    trial.success();
    assert.deepEqual(later.snapshot(), { state: 'closed', consecutiveFailures: 0 });
    permit(later.acquire());
  });

  it('frees the trial slot, without a verdict, when the trial is released', () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1000, () => now);
    permit(breaker.acquire()).failure();
    assert.deepEqual(breaker.snapshot(), { state: 'open', consecutiveFailures: 1, retryAfterSeconds: 1 });
    now = 1000;
    permit(breaker.acquire()).release();
    assert.deepEqual(breaker.snapshot(), { state: 'half_open', consecutiveFailures: 1 });
    const next = permit(breaker.acquire());
    next.failure();
    next.success(); // settled once: the second verdict is ignored
    assert.equal(breaker.snapshot().state, 'open');
  });
});

describe('Resilience breakers', () => {
  const down = async () => { throw new ProviderError('unavailable', 'down'); };
  const unreachable = async () => { throw new ProviderError('unreachable', 'no route'); };
  const options = { timeoutMs: 5000, maxRetries: 0, breakerThreshold: 2, breakerCooldownMs: 1000 };
  const isPaused = (e: ProblemError) => e.code === 'PROVIDER_UNAVAILABLE';

  it('never counts a caller that went away, and frees the half-open trial it held', async () => {
    let now = 0;
    const r = new Resilience({ ...options, now: () => now });
    await assert.rejects(r.call(p, never, down));
    await assert.rejects(r.call(p, never, down));
    now += 1000;
    const caller = new AbortController();
    const trial = r.call(p, caller.signal, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
    caller.abort();
    await assert.rejects(trial, (e: Error) => e.name === 'AbortError');
    assert.equal(r.report().find((b) => b.model === 'm')?.state, 'half_open', 'the abort left the breaker as it was');
    assert.equal(await r.call(p, never, async () => 'probe'), 'probe', 'the next caller gets the trial');
    assert.deepEqual(r.report().map((b) => [b.model, b.state, b.consecutiveFailures]), [[undefined, 'closed', 0], ['m', 'closed', 0]]);

    for (let i = 0; i < 5; i++) {
      const gone = new AbortController();
      const call = r.call(p, gone.signal, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
      gone.abort();
      await assert.rejects(call);
    }
    assert.equal(await r.call(p, never, async () => 'still served'), 'still served');
  });

  it('opens per model for failed answers, per endpoint for connection failures', async () => {
    const r = new Resilience(options);
    const other = { provider: 'p', model: 'other' };
    await assert.rejects(r.call(p, never, down));
    await assert.rejects(r.call(p, never, down));
    await assert.rejects(r.call(p, never, down), isPaused);
    assert.equal(await r.call(other, never, async () => 'fine'), 'fine', 'another model of the provider is served');
    await assert.rejects(r.call(other, never, unreachable));
    await assert.rejects(r.call(other, never, unreachable));
    await assert.rejects(r.call({ provider: 'p', model: 'third' }, never, async () => 'never'), isPaused);
    assert.deepEqual(r.report().map((b) => [b.model, b.state]), [[undefined, 'open'], ['m', 'open'], ['other', 'closed']]);
  });
});
