// A provider that keeps failing is bypassed for a while: calls fail fast with 503 and Retry-After.
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

it('opens after consecutive failures and fails fast without calling the provider', async () => {
  const { authorization } = await t.appAuth('breaker-app');
  const invoke = (model: string) => t.http.post('/model/invoke').set('authorization', authorization).send({ model_name: model, prompt: 'x' });
  expectProblem(await invoke('fail-500'), 502, 'UPSTREAM_ERROR');
  expectProblem(await invoke('fail-500'), 502, 'UPSTREAM_ERROR');
  const calls = upstream.requests.length;
  const res = await invoke('echo');
  expectProblem(res, 503, 'PROVIDER_UNAVAILABLE');
  assert.ok(Number(res.headers['retry-after']) > 0);
  assert.equal(upstream.requests.length, calls, 'no call while open');
});
