// Contract tests of the admin operations behind the portal's health (circuit breakers) and jobs pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { sqliteJobStore } from '../../handlers/platform/jobs/sqlite-job-store.ts';
import type { JobStore } from '../../handlers/platform/jobs/ports.ts';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { MODULES } from '../../handlers/modules.ts';

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

/** A platform of every module but one, with an app onboarded and an admin session. */
async function withoutModule(name: string, check: (platform: TestPlatform, appId: string, cookie: string) => Promise<void>) {
  const other = await startTestPlatform({}, undefined, MODULES.filter((m) => m.name !== name));
  try {
    await check(other, (await other.onboardApp(`without-${name}`)).app_id, await other.adminCookie());
  } finally {
    await other.close();
  }
}

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

describe('listAppPromptTemplates', () => {
  it("lists one app's templates by name, a page at a time, with labels, and none of another app's", async () => {
    const app = await t.appAuth('prompts-a');
    const other = await t.appAuth('prompts-b');
    const save = (auth: string, name: string, prompt_template: string) =>
      t.http.post('/prompt/template/save').set('authorization', auth).send({ name, prompt_template }).expect(200);
    await save(app.authorization, 'beta', 'Hello {{name}}');
    await save(app.authorization, 'alpha', 'One');
    await save(app.authorization, 'alpha', 'Two');
    await save(other.authorization, 'gamma', 'Not yours');
    await t.http.post('/prompt/template/label').set('authorization', app.authorization).send({ name: 'alpha', label: 'production', version: 1 }).expect(200);

    const first = (await get(`/admin/platform/apps/${app.app_id}/prompts`, { limit: 1 }).expect(200)).body;
    assert.deepEqual(first.items.map(({ updated_at: _u, ...s }: { updated_at: string }) => s), [{ name: 'alpha', latest_version: 2, labels: { production: 1 } }]);
    const second = (await get(`/admin/platform/apps/${app.app_id}/prompts`, { limit: 1, cursor: first.next }).expect(200)).body;
    assert.deepEqual(second.items.map((s: { name: string }) => s.name), ['beta']);
    assert.equal(second.next, null);
  });

  it('returns 404 for an unknown app, 400 for a bad cursor, 401 without a session', async () => {
    const app = await t.onboardApp('prompts-c');
    expectProblem(await get('/admin/platform/apps/nope/prompts'), 404, 'APP_NOT_FOUND');
    expectProblem(await get(`/admin/platform/apps/${app.app_id}/prompts`, { cursor: '%%%' }), 400, 'VALIDATION_ERROR');
    expectProblem(await t.http.get(`/admin/platform/apps/${app.app_id}/prompts`), 401, 'SESSION_REQUIRED');
  });

  it('returns 404 SERVICE_NOT_PRESENT on a platform without the prompt service', () => withoutModule('prompt', async (other, appId, otherCookie) => {
    expectProblem(await other.http.get(`/admin/platform/apps/${appId}/prompts`).set('cookie', otherCookie), 404, 'SERVICE_NOT_PRESENT');
  }));
});

describe('listAppPromptTemplateVersions', () => {
  it('lists every version newest first, with its text, variables and labels', async () => {
    const app = await t.appAuth('versions-a');
    for (const text of ['Hi {{who}}', 'Hello {{who}}, {{mood}}']) {
      await t.http.post('/prompt/template/save').set('authorization', app.authorization).send({ name: 'greet', prompt_template: text }).expect(200);
    }
    await t.http.post('/prompt/template/label').set('authorization', app.authorization).send({ name: 'greet', label: 'staging', version: 2 }).expect(200);
    const { items } = (await get(`/admin/platform/apps/${app.app_id}/prompts/greet/versions`).expect(200)).body;
    assert.deepEqual(items.map((v: { version: number; prompt_template: string; labels: string[]; variables: string[] }) => [v.version, v.prompt_template, v.labels, v.variables]), [
      [2, 'Hello {{who}}, {{mood}}', ['staging'], ['who', 'mood']],
      [1, 'Hi {{who}}', [], ['who']],
    ]);
  });

  it("returns 404 for another app's template, an unknown app, and 401 without a session", async () => {
    const owner = await t.appAuth('versions-owner');
    const stranger = await t.onboardApp('versions-stranger');
    await t.http.post('/prompt/template/save').set('authorization', owner.authorization).send({ name: 'secret', prompt_template: 'x' }).expect(200);
    expectProblem(await get(`/admin/platform/apps/${stranger.app_id}/prompts/secret/versions`), 404, 'PROMPT_NOT_FOUND');
    expectProblem(await get('/admin/platform/apps/nope/prompts/secret/versions'), 404, 'APP_NOT_FOUND');
    expectProblem(await t.http.get(`/admin/platform/apps/${owner.app_id}/prompts/secret/versions`), 401, 'SESSION_REQUIRED');
  });
});

describe('createPlaygroundToken', () => {
  const mint = (appId: string) => t.http.post(`/admin/platform/apps/${appId}/playground_token`).set('cookie', cookie);

  it("mints a 10-minute token the app's routes accept, marked as a playground token and recorded in the ledger", async () => {
    const app = await t.onboardApp('playground-a');
    const res = await mint(app.app_id).expect(200);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 600);
    const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.purpose, 'playground');
    assert.equal(claims.client_id, app.client_id);
    assert.equal(claims.exp - claims.iat, 600);
    await t.http.get('/model/list_models').set('authorization', `Bearer ${res.body.access_token}`).expect(200);

    await t.platform.ledger.flush();
    const now = Date.now();
    const usage = (await get('/admin/platform/usage', { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString(), app_id: app.app_id }).expect(200)).body;
    assert.deepEqual(usage.by_service.map((s: { service: string; calls: number }) => [s.service, s.calls]), [['admin', 1]]);
  });

  it('returns 409 for a deactivated app and 404 for an unknown one', async () => {
    const app = await t.onboardApp('playground-b');
    await t.http.post('/admin/platform/deactivate_app_client').set('cookie', cookie).send({ app_id: app.app_id }).expect(200);
    expectProblem(await mint(app.app_id), 409, 'APP_NOT_ACTIVE');
    expectProblem(await mint('nope'), 404, 'APP_NOT_FOUND');
  });

  it('returns 403 for a cross-site request and 401 without a session', async () => {
    const app = await t.onboardApp('playground-c');
    expectProblem(await mint(app.app_id).set('origin', 'https://evil.example'), 403, 'CSRF_REJECTED');
    expectProblem(await t.http.post(`/admin/platform/apps/${app.app_id}/playground_token`), 401, 'SESSION_REQUIRED');
  });

  it('returns 404 TOKEN_MINTING_UNAVAILABLE where the platform does not issue tokens', () => withoutModule('auth', async (other, appId, otherCookie) => {
    expectProblem(await other.http.post(`/admin/platform/apps/${appId}/playground_token`).set('cookie', otherCookie), 404, 'TOKEN_MINTING_UNAVAILABLE');
  }));
});

describe('getAdminSignInMethods', () => {
  it('offers the password only, without a session, where the Cognito admin pool is not configured', async () => {
    assert.deepEqual((await t.http.get('/admin/auth/methods').expect(200)).body, { password: true });
  });

  it("offers the admin pool's hosted sign-in and the portal's client where it is configured", async () => {
    const withPool = await startTestPlatform({ COGNITO_ADMIN_CLIENT_ID: 'portalclient1', COGNITO_ADMIN_DOMAIN: 'https://admins.auth.example', COGNITO_ADMIN_ISSUER: 'https://issuer.example/pool' });
    try {
      assert.deepEqual((await withPool.http.get('/admin/auth/methods').expect(200)).body, {
        password: true,
        cognito: { authorize_url: 'https://admins.auth.example/oauth2/authorize', client_id: 'portalclient1', scope: 'openid email' },
      });
    } finally {
      await withPool.close();
    }
  });

  it('returns 400 for a query it does not know', async () => {
    expectProblem(await t.http.get('/admin/auth/methods').query({ extra: '1' }), 400, 'VALIDATION_ERROR');
  });
});
