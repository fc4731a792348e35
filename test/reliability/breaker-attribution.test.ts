// Issue 10, row 1: one app dropping its own slow calls must not open the provider's circuit
// breaker for every app. A caller's abort is the caller's doing, not a provider failure.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

const ABORTED_CALLS = 5;
let upstream: FakeOpenAi;
let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;
let base: string;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo', MODEL_CIRCUIT_BREAKER_FAILURES: '2' });
  // A real socket: the abort must travel as a closed connection, as it does in production.
  server = await listen(t.platform.handler);
  base = server.baseUrl;
});
after(async () => {
  await server.close();
  await t.close();
  await upstream.close();
});

const invoke = (authorization: string, prompt: string, signal?: AbortSignal) =>
  fetch(`${base}/model/invoke`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ model_name: 'echo', prompt }),
    signal,
  });

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 5000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

it('serves app B while app A keeps aborting slow calls to the same model', async () => {
  const a = await t.appAuth('app-a');
  const b = await t.appAuth('app-b');

  const controllers = Array.from({ length: ABORTED_CALLS }, () => new AbortController());
  const calls = controllers.map((c) => invoke(a.authorization, 'sleep 5000', c.signal).catch(() => undefined));
  await until(() => upstream.count('echo') >= ABORTED_CALLS, 'the slow calls to reach the upstream');
  for (const c of controllers) c.abort();
  await Promise.all(calls);
  const cancelled = async () => {
    await t.platform.ledger.flush();
    // Cancelled by the caller, with no error put on the provider.
    return (await t.platform.ledger.list(a.app_id, 100)).filter((row) => row.status === 'CANCELLED' && row.errorCode === null).length;
  };
  await until(async () => (await cancelled()) === ABORTED_CALLS, 'the platform to see every abort');

  const res = await invoke(b.authorization, 'hello');
  assert.equal(res.status, 200, `app B got ${res.status} ${await res.clone().text()}`);
  assert.equal((await res.json()).output_text, 'echo: hello');

  const health = await (await fetch(`${base}/model/service/health`, { headers: { authorization: b.authorization } })).json();
  assert.deepEqual(health, {
    status: 'UP',
    circuit_breakers: [
      { provider: 'openai', state: 'closed', consecutive_failures: 0 },
      { provider: 'openai', model_name: 'echo', state: 'closed', consecutive_failures: 0 },
    ],
  });
});
