// Contract tests of the admin operations behind the portal's health (circuit breakers) and jobs pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { sqliteJobStore } from '../../handlers/platform/jobs/sqlite-job-store.ts';
import type { JobStore } from '../../handlers/platform/jobs/ports.ts';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;
let cookie: string;
let db: Database.Database;
let jobStore: JobStore;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo,fail-500', MODEL_MAX_RETRIES: '0', MODEL_CIRCUIT_BREAKER_FAILURES: '2' });
  cookie = await t.adminCookie();
  db = new Database(join(t.dataDir, 'platform.sqlite'));
  jobStore = sqliteJobStore(db);
});
after(async () => {
  db.close();
  await t.close();
  await upstream.close();
});

const get = (path: string, query: Record<string, string | number> = {}) => t.http.get(path).query(query).set('cookie', cookie);

describe('listCircuitBreakers', () => {
  it('lists no breaker before any upstream call, then the provider and model breakers with their state', async () => {
    assert.deepEqual((await get('/admin/platform/services/circuit_breakers').expect(200)).body, { items: [] });
    const app = await t.appAuth('breaker-app');
    const invoke = (model: string) => t.http.post('/model/invoke').set('authorization', app.authorization).send({ model_name: model, prompt: 'hi', max_tokens: 5 });
    await invoke('echo').expect(200);
    for (let i = 0; i < 2; i++) await invoke('fail-500');
    expectProblem(await invoke('fail-500'), 503, 'PROVIDER_UNAVAILABLE');

    const { items } = (await get('/admin/platform/services/circuit_breakers').expect(200)).body as { items: Record<string, unknown>[] };
    assert.deepEqual(items.map(({ reopens_at: _at, ...b }) => b), [
      { service_name: 'Model Invocation Service', provider: 'openai', state: 'closed', consecutive_failures: 0 },
      { service_name: 'Model Invocation Service', provider: 'openai', target: 'echo', state: 'closed', consecutive_failures: 0 },
      { service_name: 'Model Invocation Service', provider: 'openai', target: 'fail-500', state: 'open', consecutive_failures: 2 },
    ]);
    const reopensAt = Date.parse(String(items[2]!.reopens_at));
    assert.ok(reopensAt > Date.now() && reopensAt <= Date.now() + 31_000, 'reopens within the cooldown');
    assert.equal(items[0]!.reopens_at, undefined);
  });

  it('returns 401 without a session', async () => {
    expectProblem(await t.http.get('/admin/platform/services/circuit_breakers'), 401, 'SESSION_REQUIRED');
  });
});

describe('listAdminJobs', () => {
  it('lists the jobs of every app newest first, a page at a time, with progress and app names', async () => {
    const [a, b] = [await t.onboardApp('jobs-a'), await t.onboardApp('jobs-b')];
    const made: string[] = [];
    for (const [i, app] of [a, b, a, b, a].entries()) {
      const job = await jobStore.create({ appId: app.app_id, kind: i % 2 ? 'chunking' : 'extraction', items: [{ itemId: 'x' }, { itemId: 'y' }], start: true, retentionSeconds: 600 });
      made.unshift(job.jobId);
      await new Promise((resolve) => setTimeout(resolve, 2)); // distinct creation instants
    }
    await jobStore.startItem(a.app_id, made[0]!, 'x');
    await jobStore.completeItem(a.app_id, made[0]!, 'x', { result: 'ok' });

    const first = (await get('/admin/platform/jobs', { limit: 3 }).expect(200)).body;
    assert.deepEqual(first.items.map((j: { job_id: string }) => j.job_id), made.slice(0, 3));
    assert.deepEqual(first.items[0], {
      ...first.items[0], app_id: a.app_id, app_name: 'jobs-a', kind: 'extraction', state: 'IN_PROGRESS',
      progress: { done: 1, total: 2 }, succeeded: 1, failed: 0, cancelled: 0,
    });
    assert.equal(first.items[0].input, undefined, 'inputs are not shown');
    const second = (await get('/admin/platform/jobs', { limit: 3, cursor: first.next }).expect(200)).body;
    assert.deepEqual(second.items.map((j: { job_id: string }) => j.job_id), made.slice(3));
    assert.equal(second.next, null);

    const chunkingOfB = (await get('/admin/platform/jobs', { app_id: b.app_id, kind: 'chunking' }).expect(200)).body;
    assert.deepEqual(chunkingOfB.items.map((j: { job_id: string }) => j.job_id), [made[1], made[3]]);
    assert.deepEqual((await get('/admin/platform/jobs', { kind: 'vectorisation' }).expect(200)).body, { items: [], next: null });
  });

  it('returns 400 for a cursor it did not hand out and for a limit out of range', async () => {
    expectProblem(await get('/admin/platform/jobs', { cursor: 'not-a-cursor' }), 400, 'VALIDATION_ERROR');
    expectProblem(await get('/admin/platform/jobs', { limit: 101 }), 400, 'VALIDATION_ERROR');
  });

  it('returns 404 for an unknown app and 401 without a session', async () => {
    expectProblem(await get('/admin/platform/jobs', { app_id: 'nope' }), 404, 'APP_NOT_FOUND');
    expectProblem(await t.http.get('/admin/platform/jobs'), 401, 'SESSION_REQUIRED');
  });
});
