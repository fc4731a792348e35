import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { sqliteJobStore } from '../../handlers/platform/jobs/sqlite-job-store.ts';
import { ADMIN, expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let t: TestPlatform;
let cookie: string;

before(async () => {
  t = await startTestPlatform();
  cookie = await t.adminCookie();
});
after(() => t.close());

const adminPost = (path: string, body?: object) => {
  const req = t.http.post(path).set('cookie', cookie);
  return body ? req.send(body) : req;
};

describe('loginAdmin', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie scoped to /admin', async () => {
    const res = await t.http.post('/admin/auth/login').send(ADMIN).expect(200);
    const setCookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    assert.match(setCookie, /^gaf_admin_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\/admin/);
    assert.equal(res.body.username, 'admin');
    assert.ok(Date.parse(res.body.expires_at) > Date.now());
  });

  it('returns 401 for a wrong password and for an unknown user', async () => {
    expectProblem(await t.http.post('/admin/auth/login').send({ username: 'admin', password: 'nope' }), 401, 'INVALID_CREDENTIALS');
    expectProblem(await t.http.post('/admin/auth/login').send({ username: 'nobody', password: 'nope' }), 401, 'INVALID_CREDENTIALS');
  });

  it('slows down repeated failures with 429 and Retry-After, even for the right password', async () => {
    const own = await startTestPlatform();
    try {
      for (let i = 0; i < 5; i++) {
        expectProblem(await own.http.post('/admin/auth/login').send({ username: 'admin', password: `guess-${i}` }), 401, 'INVALID_CREDENTIALS');
      }
      const res = await own.http.post('/admin/auth/login').send(ADMIN);
      expectProblem(res, 429, 'LOGIN_THROTTLED');
      assert.ok(Number(res.headers['retry-after']) >= 1);
    } finally {
      await own.close();
    }
  });

  it('returns 403 for a cross-site sign-in (login CSRF)', async () => {
    expectProblem(await t.http.post('/admin/auth/login').set('origin', 'https://evil.example').send(ADMIN), 403, 'CSRF_REJECTED');
  });

  it('returns 400 for a missing password', async () => {
    expectProblem(await t.http.post('/admin/auth/login').send({ username: 'admin' }), 400, 'VALIDATION_ERROR');
  });
});

// The sign-in itself, against a stand-in pool, is test/security/admin-cognito-sign-in.test.ts.
describe('signInAdminWithCognito', () => {
  const verifier = 'v'.repeat(43);
  it('answers 404 SIGN_IN_NOT_CONFIGURED where the admin pool is not configured (the default)', async () => {
    expectProblem(await t.http.post('/admin/auth/cognito').send({ code: 'c', code_verifier: verifier, redirect_uri: 'https://a.example/cb' }), 404, 'SIGN_IN_NOT_CONFIGURED');
  });

  it('rejects a body without a valid PKCE verifier', async () => {
    expectProblem(await t.http.post('/admin/auth/cognito').send({ code: 'c', code_verifier: 'short', redirect_uri: 'https://a.example/cb' }), 400, 'VALIDATION_ERROR');
  });
});

describe('logoutAdmin', () => {
  it('ends the session so the cookie no longer works', async () => {
    const login = await t.http.post('/admin/auth/login').send(ADMIN).expect(200);
    const session = (login.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    const res = await t.http.post('/admin/auth/logout').set('cookie', session).expect(200);
    assert.match((res.headers['set-cookie'] as unknown as string[])[0]!, /Max-Age=0/);
    expectProblem(await t.http.get('/admin/auth/status').set('cookie', session), 401, 'SESSION_REQUIRED');
  });

  it('returns 401 without a session', async () => {
    expectProblem(await t.http.post('/admin/auth/logout'), 401, 'SESSION_REQUIRED');
  });
});

describe('getAdminSession', () => {
  it('describes the signed-in admin', async () => {
    const res = await t.http.get('/admin/auth/status').set('cookie', cookie).expect(200);
    assert.equal(res.body.message, 'You are authenticated');
    assert.equal(res.body.username, 'admin');
  });

  it('returns 401 for a forged session cookie', async () => {
    expectProblem(await t.http.get('/admin/auth/status').set('cookie', 'gaf_admin_session=forged'), 401, 'SESSION_REQUIRED');
  });
});

describe('createAppClient', () => {
  it('returns the credentials once, with the secret, and lists the app without it', async () => {
    const res = await adminPost('/admin/platform/create_app_client', { app_name: 'reports', description: 'Monthly reports' }).expect(200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body.status, 'active');
    assert.match(res.body.client_id, /^gaf_/);
    assert.ok(res.body.client_secret.length >= 43);
    assert.match(res.body.date_created, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const list = await t.http.get('/admin/platform/get_all_app_clients').set('cookie', cookie).expect(200);
    const listed = list.body.find((a: { app_id: string }) => a.app_id === res.body.app_id);
    assert.equal(listed.app_name, 'reports');
    assert.doesNotMatch(list.text, new RegExp(res.body.client_secret));
    assert.equal(listed.client_secret, undefined);
  });

  it('returns 400 for a blank name and for a missing description', async () => {
    expectProblem(await adminPost('/admin/platform/create_app_client', { app_name: '   ', description: 'x' }), 400, 'VALIDATION_ERROR');
    expectProblem(await adminPost('/admin/platform/create_app_client', { app_name: 'x' }), 400, 'VALIDATION_ERROR');
  });

  it('returns 401 without a session and 403 for a cross-site request', async () => {
    expectProblem(await t.http.post('/admin/platform/create_app_client').send({ app_name: 'x', description: 'y' }), 401, 'SESSION_REQUIRED');
    const crossSite = await adminPost('/admin/platform/create_app_client', { app_name: 'x', description: 'y' }).set('sec-fetch-site', 'cross-site');
    expectProblem(crossSite, 403, 'CSRF_REJECTED');
  });

  it('returns 415 for a form post (what a cross-site form could send)', async () => {
    const res = await t.http.post('/admin/platform/create_app_client').set('cookie', cookie).type('form').send({ app_name: 'x', description: 'y' });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('listAppClients', () => {
  it('lists apps oldest first', async () => {
    const own = await startTestPlatform();
    try {
      const first = await own.onboardApp('first');
      const second = await own.onboardApp('second');
      const res = await own.http.get('/admin/platform/get_all_app_clients').set('cookie', await own.adminCookie()).expect(200);
      assert.deepEqual(res.body.map((a: { app_id: string }) => a.app_id), [first.app_id, second.app_id]);
    } finally {
      await own.close();
    }
  });

  it('returns 401 without a session', async () => {
    expectProblem(await t.http.get('/admin/platform/get_all_app_clients'), 401, 'SESSION_REQUIRED');
  });
});

describe('deactivateAppClient', () => {
  it('marks the app inactive', async () => {
    const app = await t.onboardApp('to-deactivate');
    const res = await adminPost('/admin/platform/deactivate_app_client', { app_id: app.app_id }).expect(200);
    assert.deepEqual(res.body, { message: 'Client deactivated successfully', app_id: app.app_id, status: 'inactive' });
  });

  it('returns 404 for an unknown app', async () => {
    expectProblem(await adminPost('/admin/platform/deactivate_app_client', { app_id: 'missing' }), 404, 'APP_NOT_FOUND');
  });
});

describe('activateAppClient', () => {
  it('marks the app active again', async () => {
    const app = await t.onboardApp('to-activate');
    await adminPost('/admin/platform/deactivate_app_client', { app_id: app.app_id }).expect(200);
    const res = await adminPost('/admin/platform/activate_app_client', { app_id: app.app_id }).expect(200);
    assert.equal(res.body.status, 'active');
  });

  it('returns 404 for an unknown app', async () => {
    expectProblem(await adminPost('/admin/platform/activate_app_client', { app_id: 'missing' }), 404, 'APP_NOT_FOUND');
  });
});

describe('rotateAppClientSecret', () => {
  it('issues a new secret; the old one stops working for new tokens', async () => {
    const app = await t.onboardApp('to-rotate');
    const res = await adminPost('/admin/platform/rotate_app_client_secret', { app_id: app.app_id }).expect(200);
    assert.equal(res.body.client_id, app.client_id);
    assert.notEqual(res.body.client_secret, app.client_secret);
    await t.http.post('/oauth2/token').auth(app.client_id, app.client_secret).type('form').send({ grant_type: 'client_credentials' }).expect(401);
    await t.tokenFor({ client_id: app.client_id, client_secret: res.body.client_secret });
  });

  it('returns 404 for an unknown app', async () => {
    expectProblem(await adminPost('/admin/platform/rotate_app_client_secret', { app_id: 'missing' }), 404, 'APP_NOT_FOUND');
  });
});

describe('setAppClientLimits', () => {
  it('sets and clears the three limits, and lists them with the app', async () => {
    const app = await t.onboardApp('to-limit');
    const limits = { requests_per_minute: 60, tokens_per_minute: 10_000, monthly_token_budget: 1_000_000 };
    const res = await adminPost('/admin/platform/set_app_limits', { app_id: app.app_id, ...limits }).expect(200);
    assert.deepEqual(res.body.limits, limits);
    const list = await t.http.get('/admin/platform/get_all_app_clients').set('cookie', cookie).expect(200);
    assert.deepEqual(list.body.find((a: { app_id: string }) => a.app_id === app.app_id).limits, limits);
    const cleared = await adminPost('/admin/platform/set_app_limits', {
      app_id: app.app_id, requests_per_minute: null, tokens_per_minute: null, monthly_token_budget: null,
    }).expect(200);
    assert.deepEqual(cleared.body.limits, { requests_per_minute: null, tokens_per_minute: null, monthly_token_budget: null });
  });

  it('returns 400 for a limit of 0 or a missing one, and 404 for an unknown app', async () => {
    const app = await t.onboardApp('bad-limit');
    expectProblem(await adminPost('/admin/platform/set_app_limits', { app_id: app.app_id, requests_per_minute: 0, tokens_per_minute: null, monthly_token_budget: null }), 400, 'VALIDATION_ERROR');
    expectProblem(await adminPost('/admin/platform/set_app_limits', { app_id: app.app_id, requests_per_minute: 5 }), 400, 'VALIDATION_ERROR');
    expectProblem(await adminPost('/admin/platform/set_app_limits', { app_id: 'missing', requests_per_minute: null, tokens_per_minute: null, monthly_token_budget: null }), 404, 'APP_NOT_FOUND');
  });
});

describe('deleteAppClient', () => {
  it('deletes the app and the prompts it stored', async () => {
    const app = await t.appAuth('to-delete');
    await t.http.post('/prompt/template/save').set('authorization', app.authorization).send({ name: 'p', prompt_template: 't' }).expect(200);
    const res = await adminPost('/admin/platform/delete_app_client', { app_id: app.app_id }).expect(200);
    assert.deepEqual(res.body, { message: 'Client deleted successfully', app_id: app.app_id });
    const list = await t.http.get('/admin/platform/get_all_app_clients').set('cookie', cookie).expect(200);
    assert.ok(!list.body.some((a: { app_id: string }) => a.app_id === app.app_id));
    const db = new Database(join(t.dataDir, 'platform.sqlite'), { readonly: true });
    try {
      assert.deepEqual(db.prepare('SELECT count(*) AS n FROM prompt_versions WHERE app_id = ?').get(app.app_id), { n: 0 });
    } finally {
      db.close();
    }
  });

  it("cancels the app's unfinished jobs, which the job store keeps apart from the app", async () => {
    const app = await t.onboardApp('to-delete-with-jobs');
    const db = new Database(join(t.dataDir, 'platform.sqlite'));
    try {
      const jobs = sqliteJobStore(db);
      const { jobId } = await jobs.create({ appId: app.app_id, kind: 'x', items: [{ itemId: 'a' }], start: true, retentionSeconds: 60 });
      await adminPost('/admin/platform/delete_app_client', { app_id: app.app_id }).expect(200);
      assert.equal((await jobs.get(app.app_id, jobId))?.state, 'CANCELLED');
      assert.equal((await jobs.getItem(app.app_id, jobId, 'a'))?.state, 'CANCELLED');
    } finally {
      db.close();
    }
  });

  it('returns 404 for an unknown app', async () => {
    expectProblem(await adminPost('/admin/platform/delete_app_client', { app_id: 'missing' }), 404, 'APP_NOT_FOUND');
  });
});

describe('getServicesHealth', () => {
  it('reports each service as healthy', async () => {
    const res = await t.http.get('/admin/platform/services/health').set('cookie', cookie).expect(200);
    assert.deepEqual(res.body, [
      { service_name: 'Model Invocation Service', status: 'healthy' },
      { service_name: 'Prompt Management Service', status: 'healthy' },
      { service_name: 'Document Processing Service', status: 'healthy' },
      { service_name: 'Vector Service', status: 'healthy' },
      { service_name: 'OpenAI-compatible API', status: 'healthy' },
    ]);
  });

  it('returns 401 without a session', async () => {
    expectProblem(await t.http.get('/admin/platform/services/health'), 401, 'SESSION_REQUIRED');
  });
});

describe('getUsageReport', () => {
  const report = (query: Record<string, string>) => t.http.get('/admin/platform/usage').query(query).set('cookie', cookie);
  const row = (appId: string, createdAt: string, resource: string, status: 'SUCCESS' | 'FAILED' = 'SUCCESS') => t.platform.ledger.record({
    appId, service: 'model', operation: 'invoke', resource, provider: 'openai', units: { input_tokens: 10, output_tokens: 2 },
    latencyMs: 100, status, errorCode: status === 'FAILED' ? 'UPSTREAM_TIMEOUT' : null, requestId: `r-${Math.random()}`, costUsd: 0.5, createdAt,
  });

  it('adds up every app over the range, lists every bucket, and names the apps', async () => {
    const [a, b] = [await t.onboardApp('usage-a'), await t.onboardApp('usage-b')];
    row(a.app_id, '2030-01-01T00:10:00.000Z', 'gpt');
    row(a.app_id, '2030-01-01T02:10:00.000Z', 'gpt', 'FAILED');
    row(b.app_id, '2030-01-01T02:20:00.000Z', 'llama');
    const res = await report({ from: '2030-01-01T00:00:00Z', to: '2030-01-01T03:00:00Z', bucket: 'HOUR' }).expect(200);
    assert.equal(res.body.from, '2030-01-01T00:00:00.000Z');
    assert.equal(res.body.bucket_seconds, 3600);
    assert.deepEqual(res.body.series.map((x: { start: string; calls: number }) => [x.start, x.calls]), [
      ['2030-01-01T00:00:00.000Z', 1], ['2030-01-01T01:00:00.000Z', 0], ['2030-01-01T02:00:00.000Z', 2],
    ]);
    assert.deepEqual([res.body.totals.calls, res.body.totals.errors, res.body.totals.cost_usd, res.body.totals.units.input_tokens], [3, 1, 1.5, 30]);
    assert.deepEqual(res.body.by_app.map((x: { app_name: string; calls: number }) => [x.app_name, x.calls]), [['usage-a', 2], ['usage-b', 1]]);
    assert.deepEqual(res.body.by_resource.map((x: { resource: string }) => x.resource), ['gpt', 'llama']);
    assert.deepEqual(res.body.errors_by_code, [{ code: 'UPSTREAM_TIMEOUT', count: 1 }]);

    const one = await report({ from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', bucket: 'DAY', app_id: b.app_id }).expect(200);
    assert.deepEqual(one.body.series.map((x: { calls: number }) => x.calls), [1]);
    assert.deepEqual(one.body.by_app.map((x: { app_id: string }) => x.app_id), [b.app_id]);
  });

  it('returns 400 for an empty or too long range, too many buckets, or an unknown bucket', async () => {
    const at = '2030-01-01T00:00:00Z';
    const bad: Record<string, string>[] = [
      { from: at, to: at },
      { from: at, to: '2030-06-01T00:00:00Z', bucket: 'DAY' },
      { from: at, to: '2030-01-02T00:00:01Z', bucket: 'MINUTE' },
      { from: at, to: '2030-01-02T00:00:00Z', bucket: 'WEEK' },
      { from: 'yesterday', to: at },
    ];
    for (const query of bad) expectProblem(await report(query), 400, 'VALIDATION_ERROR');
  });

  it('returns 404 for an unknown app and 401 without a session', async () => {
    expectProblem(await report({ from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z', app_id: 'nope' }), 404, 'APP_NOT_FOUND');
    expectProblem(await t.http.get('/admin/platform/usage').query({ from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' }), 401, 'SESSION_REQUIRED');
  });
});
