// Small things an attacker or a careless cache would use (issue 10, row 12): control characters in
// names, cacheable credentials and admin answers, and a data directory others can read.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let t: TestPlatform;

before(async () => {
  // A data directory that does not exist yet, so the platform creates it.
  t = await startTestPlatform({}, join(mkdtempSync(join(tmpdir(), 'gaf-hygiene-')), 'data'));
});
after(async () => {
  await t.close();
  rmSync(join(t.dataDir, '..'), { recursive: true, force: true });
});

it('refuses control characters in names', async () => {
  const cookie = await t.adminCookie();
  for (const app_name of ['evil\u001b[2Jname', 'line\nbreak', 'nul\u0000', 'del\u007f', '   ']) {
    const res = await t.http.post('/admin/platform/create_app_client').set('cookie', cookie).send({ app_name, description: 'x' });
    expectProblem(res, 400, 'VALIDATION_ERROR');
  }
  await t.http.post('/admin/platform/create_app_client').set('cookie', cookie).send({ app_name: 'ünïcode name', description: 'x' }).expect(200);
  expectProblem(await t.http.post('/admin/auth/login').send({ username: 'admin\r\nX-Injected: 1', password: 'x' }), 400, 'VALIDATION_ERROR');
  const { authorization } = await t.appAuth('hygiene-names');
  const save = await t.http.post('/prompt/template/save').set('authorization', authorization).send({ name: 'a\u0007b', prompt_template: 'x' });
  expectProblem(save, 400, 'VALIDATION_ERROR');
  const invoke = await t.http.post('/model/embed').set('authorization', authorization).send({ model_name: 'LOCAL_USE_LITE_512\u0000', input_text: 'x' });
  expectProblem(invoke, 400, 'VALIDATION_ERROR');
});

it('answers the token endpoint and every admin request with Cache-Control: no-store', async () => {
  const cookie = await t.adminCookie();
  const app = await t.onboardApp('hygiene-cache');
  const answers = [
    await t.http.post('/admin/auth/login').send(ADMIN),
    await t.http.post('/admin/auth/login').send({ ...ADMIN, password: 'wrong-password' }),
    await t.http.get('/admin/auth/status').set('cookie', cookie),
    await t.http.get('/admin/auth/status'),
    await t.http.get('/admin/platform/get_all_app_clients').set('cookie', cookie),
    await t.http.post('/admin/platform/create_app_client').set('cookie', cookie).send({ app_name: 'cache', description: 'x' }),
    await t.http.post('/admin/platform/rotate_app_client_secret').set('cookie', cookie).send({ app_id: app.app_id }),
    await t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials', client_id: app.client_id, client_secret: 'wrong' }),
  ];
  answers.forEach((res, i) => assert.equal(res.headers['cache-control'], 'no-store', `answer ${i} (${res.status})`));
  const rotated = answers[6]!.body as { client_secret: string };
  const token = await t.http.post('/oauth2/token').auth(app.client_id, rotated.client_secret).type('form').send({ grant_type: 'client_credentials' }).expect(200);
  assert.equal(token.headers['cache-control'], 'no-store');
});

it('keeps DATA_DIR and the files the platform creates in it to its own user', () => {
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
  assert.equal(mode(t.dataDir), '700');
  for (const file of ['platform.sqlite', 'platform.sqlite-wal', 'platform.sqlite-shm', 'signing-key.jwk.json']) {
    assert.equal(mode(join(t.dataDir, file)), '600', file);
  }
});
