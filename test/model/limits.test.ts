// Per-app limits: over a limit the call answers 429 with Retry-After and never reaches the
// provider; other apps are unaffected.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo' });
});
after(async () => {
  await t.close();
  await upstream.close();
});

async function limitedApp(limits: { requests_per_minute?: number; tokens_per_minute?: number; monthly_token_budget?: number }) {
  const app = await t.appAuth(`limited-${Math.random()}`);
  await t.http.post('/admin/platform/set_app_limits').set('cookie', await t.adminCookie()).send({
    app_id: app.app_id, requests_per_minute: null, tokens_per_minute: null, monthly_token_budget: null, ...limits,
  }).expect(200);
  return app;
}
const invoke = (authorization: string) => t.http.post('/model/invoke').set('authorization', authorization).send({ model_name: 'echo', prompt: 'hello' });

it('answers 429 RATE_LIMITED past requests_per_minute, without calling the provider', async () => {
  const app = await limitedApp({ requests_per_minute: 2 });
  await invoke(app.authorization).expect(200);
  await invoke(app.authorization).expect(200);
  const before = upstream.count('echo');
  const res = await invoke(app.authorization);
  expectProblem(res, 429, 'RATE_LIMITED');
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= 60);
  assert.equal(upstream.count('echo'), before, 'no upstream call');
  const unlimited = await t.appAuth('unlimited');
  await invoke(unlimited.authorization).expect(200);
});

it('answers 429 TOKEN_LIMIT_EXCEEDED past tokens_per_minute', async () => {
  // A call is admitted while the minute's tokens (used or reserved) are below the limit.
  const app = await limitedApp({ tokens_per_minute: 19 });
  await invoke(app.authorization).expect(200); // 11 + 7 tokens used
  await invoke(app.authorization).expect(200); // 18 < 19: admitted, 36 used
  const res = await invoke(app.authorization);
  expectProblem(res, 429, 'TOKEN_LIMIT_EXCEEDED');
  assert.ok(Number(res.headers['retry-after']) >= 1 && Number(res.headers['retry-after']) <= 60);
});

it('answers 429 TOKEN_BUDGET_EXHAUSTED once the monthly budget is spent, until next month', async () => {
  const app = await limitedApp({ monthly_token_budget: 30 });
  await invoke(app.authorization).expect(200);
  await invoke(app.authorization).expect(200);
  const res = await invoke(app.authorization);
  expectProblem(res, 429, 'TOKEN_BUDGET_EXHAUSTED');
  assert.ok(Number(res.headers['retry-after']) > 0);
});

it('lifts the limits when they are set to null', async () => {
  const app = await limitedApp({ requests_per_minute: 1 });
  await invoke(app.authorization).expect(200);
  expectProblem(await invoke(app.authorization), 429, 'RATE_LIMITED');
  await t.http.post('/admin/platform/set_app_limits').set('cookie', await t.adminCookie())
    .send({ app_id: app.app_id, requests_per_minute: null, tokens_per_minute: null, monthly_token_budget: null }).expect(200);
  await invoke(app.authorization).expect(200);
});
