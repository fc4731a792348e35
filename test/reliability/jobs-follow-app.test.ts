// Deactivating an application stops its background work: a queued invocation ends without reaching
// the provider, a running one is aborted at its next lease renewal; both end FAILED / APP_INACTIVE.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

let t: TestPlatform;
let upstream: FakeOpenAi;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({
    OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'slow,echo', MODEL_TIMEOUT_MS: '20000', MODEL_MAX_RETRIES: '0',
    ASYNC_CONCURRENCY: '1', ASYNC_LEASE_SECONDS: '3',
  });
});
after(async () => {
  await t.close();
  await upstream.close();
});

async function output(authorization: string, id: string) {
  return t.http.get(`/model/async_output/${id}`).set('authorization', authorization);
}

it('cancels queued and running invocations of a deactivated app, and leaves other apps alone', async () => {
  const app = await t.appAuth('leaving-app');
  const submit = async (model: string) =>
    (await t.http.post('/model/async_invoke').set('authorization', app.authorization).send({ model_name: model, prompt: 'hi' }).expect(200)).body.invocation_id as string;
  const running = await submit('slow'); // takes the one worker slot for 5 s
  while ((await output(app.authorization, running)).body.status !== 'IN_PROGRESS') await sleep(20);
  const queued = await submit('echo');
  assert.equal((await output(app.authorization, queued)).body.status, 'QUEUED');

  const cookie = await t.adminCookie();
  await t.http.post('/admin/platform/deactivate_app_client').set('cookie', cookie).send({ app_id: app.app_id }).expect(200);
  // Reactivate at once: the cancellation must already be decided by the worker's own check.
  await sleep(2500);
  await t.http.post('/admin/platform/activate_app_client').set('cookie', cookie).send({ app_id: app.app_id }).expect(200);
  const token = `Bearer ${await t.tokenFor(app)}`;

  let ended;
  for (let i = 0; i < 200 && (ended = await output(token, queued)).status !== 200; i++) await sleep(50);
  assert.equal(ended!.body.status, 'FAILED');
  assert.equal(ended!.body.error.code, 'APP_INACTIVE');
  assert.equal(upstream.count('echo'), 0, 'the queued invocation never reached the provider');
  const slow = (await output(token, running)).body;
  assert.equal(slow.status, 'FAILED');
  assert.equal(slow.error.code, 'APP_INACTIVE', 'aborted mid-call, not left to succeed');
});
