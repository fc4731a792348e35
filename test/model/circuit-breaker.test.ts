// A model that keeps failing is bypassed for a while: calls to it fail fast with 503 and Retry-After.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'fail-500,echo', MODEL_MAX_RETRIES: '0', MODEL_CIRCUIT_BREAKER_FAILURES: '2' });
});
after(async () => {
  await t.close();
  await upstream.close();
});

it('opens for the failing model after consecutive failures, fails fast without calling, and shows in the health', async () => {
  const { authorization } = await t.appAuth('breaker-app');
  const invoke = (model: string) => t.http.post('/model/invoke').set('authorization', authorization).send({ model_name: model, prompt: 'x' });
  expectProblem(await invoke('fail-500'), 502, 'UPSTREAM_ERROR');
  expectProblem(await invoke('fail-500'), 502, 'UPSTREAM_ERROR');
  const calls = upstream.requests.length;
  const res = await invoke('fail-500');
  expectProblem(res, 503, 'PROVIDER_UNAVAILABLE');
  assert.ok(Number(res.headers['retry-after']) > 0);
  assert.equal(upstream.requests.length, calls, 'no call while open');
  assert.equal((await invoke('echo')).status, 200, 'the provider\'s other models are still served');

  const health = await t.http.get('/model/service/health').set('authorization', authorization).expect(200);
  assert.equal(health.body.status, 'UP');
  assert.deepEqual(health.body.circuit_breakers, [
    { provider: 'openai', state: 'closed', consecutive_failures: 0 },
    { provider: 'openai', model_name: 'echo', state: 'closed', consecutive_failures: 0 },
    { provider: 'openai', model_name: 'fail-500', state: 'open', consecutive_failures: 2, retry_after_seconds: 30 },
  ]);
});
