// kill -9 in the middle of background work, then a restart on the same data: nothing is lost, and
// only the invocations that were in flight reach the provider again (at most the worker concurrency).
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { appBearer, freePort, startPlatformProcess } from '../helpers/platform-process.ts';
import { startFakeOpenAi } from '../helpers/fake-openai.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gaf-crash-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const JOBS = 40;
const CONCURRENCY = 4;

it('loses no background invocation to a SIGKILL and repeats only those in flight', { timeout: 120_000 }, async () => {
  const upstream = await startFakeOpenAi();
  const env = {
    HOST: '127.0.0.1', PORT: String(await freePort()), DATA_DIR: dataDir, ADMIN_PASSWORD: 'crash-test-password',
    OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'paced', ASYNC_CONCURRENCY: String(CONCURRENCY), ASYNC_LEASE_SECONDS: '3',
  };
  try {
    let platform = await startPlatformProcess(env);
    const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
      const headers = new Headers(init.headers);
      if (init.json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${platform.url}${path}`, { ...init, headers, body: init.json === undefined ? init.body : JSON.stringify(init.json) });
    };
    const auth = await appBearer(platform.url, env.ADMIN_PASSWORD);

    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const res = await call('/model/async_invoke', { method: 'POST', headers: auth, json: { model_name: 'paced', prompt: `job-${i}` } });
      ids.push((await res.json()).invocation_id);
    }
    while (upstream.requests.length < JOBS / 4) await sleep(10);
    platform.child.kill('SIGKILL');
    await once(platform.child, 'exit');
    const beforeCrash = upstream.requests.length;

    platform = await startPlatformProcess(env);
    try {
      for (const id of ids) {
        let status;
        for (let i = 0; i < 600 && status !== 'SUCCEEDED' && status !== 'FAILED'; i++) {
          status = (await (await call(`/model/async_output/${id}`, { headers: auth })).json()).status;
          if (status !== 'SUCCEEDED') await sleep(50);
        }
        assert.equal(status, 'SUCCEEDED', `invocation ${id}`);
      }
    } finally {
      await platform.stop();
    }

    const perPrompt = new Map<string, number>();
    for (const { body } of upstream.requests) {
      const text = (body.messages as { content: string }[]).at(-1)!.content;
      perPrompt.set(text, (perPrompt.get(text) ?? 0) + 1);
    }
    assert.equal(perPrompt.size, JOBS, 'every invocation reached the provider');
    const repeated = [...perPrompt.values()].filter((n) => n > 1).length;
    assert.ok(repeated <= CONCURRENCY, `${repeated} invocations repeated (crash after ${beforeCrash} upstream calls)`);
    assert.ok(upstream.requests.length <= JOBS + CONCURRENCY);
  } finally {
    await upstream.close();
  }
});
