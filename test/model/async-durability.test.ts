// A background invocation survives a restart of the process between submission and result.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

let upstream: FakeOpenAi;
const dataDir = mkdtempSync(join(tmpdir(), 'gaf-durable-'));

before(async () => { upstream = await startFakeOpenAi(); });
after(async () => {
  await upstream.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('finishes an invocation submitted before a restart', async () => {
  const env = { OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo' };
  // First process: the model API only, no worker — the job waits in the queue.
  const first = await startTestPlatform({ ...env, SERVICE: 'model' }, dataDir);
  const admin = await startTestPlatform(env, dataDir); // same data: onboard through a full instance
  const app = await admin.appAuth('durable-app');
  await admin.close();
  const submitted = await first.http.post('/model/async_invoke').set('authorization', app.authorization).send({ model_name: 'echo', prompt: 'survive' }).expect(200);
  const id = submitted.body.invocation_id;
  const queued = await first.http.get(`/model/async_output/${id}`).set('authorization', app.authorization).expect(202);
  assert.equal(queued.body.status, 'QUEUED');
  await first.close();
  assert.equal(upstream.count('echo'), 0);

  // Second process on the same data directory: its worker picks the job up.
  const second = await startTestPlatform(env, dataDir);
  try {
    const deadline = Date.now() + 10_000;
    let res;
    do {
      res = await second.http.get(`/model/async_output/${id}`).set('authorization', app.authorization);
      if (res.status === 200) break;
      await sleep(25);
    } while (Date.now() < deadline);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'SUCCEEDED');
    assert.equal(res.body.output_text, 'echo: survive');
    assert.equal(upstream.count('echo'), 1);
  } finally {
    await second.close();
  }
});
