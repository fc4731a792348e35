import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, Resilience } from '../../handlers/model/resilience.ts';
import { ProviderError } from '../../handlers/model/providers/provider.ts';
import type { ProblemError } from '../../handlers/platform/http/problem.ts';

const never = new AbortController().signal;

describe('Resilience', () => {
  it('retries retryable failures up to maxRetries, then reports the last one', async () => {
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 2, backoffBaseMs: 1 });
    let calls = 0;
    await assert.rejects(r.call('p', never, async () => { calls++; throw new ProviderError('unavailable', 'down'); }), (e: ProblemError) => e.code === 'UPSTREAM_ERROR');
    assert.equal(calls, 3);
  });

  it('does not retry a rejected request', async () => {
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 5, backoffBaseMs: 1 });
    let calls = 0;
    await assert.rejects(r.call('p', never, async () => { calls++; throw new ProviderError('rejected', 'no'); }), (e: ProblemError) => e.code === 'UPSTREAM_REJECTED');
    assert.equal(calls, 1);
  });

  it('waits at least Retry-After, and gives up when that would pass the deadline', async () => {
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 3, backoffBaseMs: 1 });
    let calls = 0;
    const started = Date.now();
    const result = await r.call('p', never, async () => {
      if (++calls === 1) throw new ProviderError('throttled', 'slow down', 0.2);
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.ok(Date.now() - started >= 190);
    calls = 0;
    await assert.rejects(r.call('q', never, async () => { calls++; throw new ProviderError('throttled', 'slow down', 60); }), (e: ProblemError) => e.code === 'UPSTREAM_THROTTLED');
    assert.equal(calls, 1, 'a 60 s Retry-After does not fit a 5 s deadline');
  });

  it('aborts an attempt at the deadline and answers UPSTREAM_TIMEOUT', async () => {
    const r = new Resilience({ timeoutMs: 50, maxRetries: 0 });
    // The deadline timer does not keep a process alive (a server's sockets do); this test must.
    const keepAlive = setTimeout(() => undefined, 5000);
    await assert.rejects(
      r.call('p', never, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))),
      (e: ProblemError) => e.code === 'UPSTREAM_TIMEOUT',
    );
    clearTimeout(keepAlive);
  });

  it('fails fast with PROVIDER_UNAVAILABLE while the breaker is open, without calling', async () => {
    let now = 0;
    const r = new Resilience({ timeoutMs: 5000, maxRetries: 0, breakerThreshold: 2, breakerCooldownMs: 1000, now: () => now });
    let calls = 0;
    const failing = async () => { calls++; throw new ProviderError('unavailable', 'down'); };
    await assert.rejects(r.call('p', never, failing));
    await assert.rejects(r.call('p', never, failing));
    await assert.rejects(r.call('p', never, failing), (e: ProblemError) => e.code === 'PROVIDER_UNAVAILABLE' && e.options.headers?.['retry-after'] === '1');
    assert.equal(calls, 2);
    assert.equal(await r.call('other', never, async () => 'fine'), 'fine', 'breakers are per provider');
    now += 1000;
    assert.equal(await r.call('p', never, async () => 'recovered'), 'recovered', 'one trial call after the cooldown');
  });
});

describe('CircuitBreaker', () => {
  it('lets only one trial through while half-open', () => {
    const breaker = new CircuitBreaker(1, 100, () => 1000);
    breaker.failure();
    assert.ok(breaker.acquire() > 0);
    const later = new CircuitBreaker(1, 0, () => 1000);
    later.failure();
    assert.equal(later.acquire(), 0, 'the trial');
    assert.ok(later.acquire() > 0, 'a second caller waits for the trial');
    later.success();
    assert.equal(later.acquire(), 0);
  });
});
