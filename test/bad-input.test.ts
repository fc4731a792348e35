// Bad input gets a clear problem, never a 500: the cases the platform promises, then a small
// fuzzer that throws wrong-typed, oversized and odd bodies at every operation of every spec.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from './helpers/platform.ts';
import { loadSpec } from '../handlers/platform/http/service-app.ts';
import { specPath } from '../handlers/platform-app.ts';
import { createApiKey } from './helpers/api-keys.ts';

let t: TestPlatform;
let auth: string;
let cookie: string;
/** The OpenAI-compatible surface's credentials: an API key. */
let apiKeyAuth: string;

before(async () => {
  t = await startTestPlatform({ BODY_LIMIT_BYTES: '65536' });
  const app = await t.appAuth('bad-input-app');
  auth = app.authorization;
  cookie = await t.adminCookie();
  apiKeyAuth = `Bearer ${(await createApiKey(t, app.app_id)).api_key}`;
});
after(() => t.close());

describe('bad input', () => {
  it('answers 400 MALFORMED_JSON for broken JSON', async () => {
    const res = await t.http.post('/prompt/template/get').set('authorization', auth).set('content-type', 'application/json').send('{"name": ');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await t.http.post('/prompt/template/get').set('authorization', auth).set('content-type', 'text/plain').send('name=x');
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over BODY_LIMIT_BYTES', async () => {
    const res = await t.http.post('/prompt/template/save').set('authorization', auth).send({ name: 'big', prompt_template: 'x'.repeat(70_000) });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 400 for a JSON body that is an array, a string or null', async () => {
    for (const body of ['[]', '"name"', 'null']) {
      const res = await t.http.post('/prompt/template/get').set('authorization', auth).set('content-type', 'application/json').send(body);
      assert.equal(res.status, 400, body);
      assert.match(String(res.headers['content-type']), /problem\+json/);
    }
  });

  it('answers 400 for a missing body', async () => {
    const res = await t.http.post('/prompt/template/get').set('authorization', auth).set('content-type', 'application/json');
    expectProblem(res, 400, 'VALIDATION_ERROR');
  });

  it('answers 404 ROUTE_NOT_FOUND for unknown paths, inside and outside a service', async () => {
    expectProblem(await t.http.get('/prompt/nothing-here').set('authorization', auth), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await t.http.get('/nowhere'), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers 405 for a known path with the wrong method', async () => {
    expectProblem(await t.http.get('/prompt/template/save').set('authorization', auth), 405, 'METHOD_NOT_ALLOWED');
  });

  it('checks the token before the body, so a caller without one learns nothing from validation', async () => {
    expectProblem(await t.http.post('/prompt/template/save').send({ wrong: true }), 401, 'UNAUTHENTICATED');
  });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    const kept = await t.http.get('/nowhere').set('x-request-id', 'trace-123');
    assert.equal(kept.headers['x-request-id'], 'trace-123');
    const replaced = await t.http.get('/nowhere').set('x-request-id', 'bad id\twith spaces');
    assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  it('reports the platform time in Server-Timing', async () => {
    const res = await t.http.get('/prompt/service/health').set('authorization', auth).expect(200);
    assert.match(String(res.headers['server-timing']), /^app;dur=\d+\.\d{2}$/);
  });
});

// The fuzzer: deterministic, so a failure reproduces.
const nasty: unknown[] = [
  null, true, -1, 0, 1.5, 2 ** 53, '', ' ', 'x'.repeat(60_000), '\u0000\u202e', '{{x}}', [], [1, 'a'], {}, { $ne: null },
  { __proto__: { admin: true } }, { constructor: { prototype: {} } },
];

function bodiesFor(example: Record<string, unknown> | undefined): unknown[] {
  const base = example ?? {};
  const bodies: unknown[] = [{}, [], 'text', 42, null, { unknown_field: 1 }];
  for (const key of Object.keys(base)) for (const value of nasty) bodies.push({ ...base, [key]: value });
  return bodies;
}

// Signing in and out changes the session the other operations use, so those two go last.
const LAST = ['logoutAdmin', 'loginAdmin'];

describe('fuzzing every operation', () => {
  const operations = ['auth', 'prompt', 'model', 'admin', 'openai'].flatMap((service) =>
    Object.entries((loadSpec(specPath(service)) as unknown as { paths: Record<string, Record<string, Operation>> }).paths).flatMap(
      ([path, item]) => Object.entries(item).map(([method, op]) => ({ service, path, method, op })),
    ),
  );
  operations.sort((a, b) => LAST.indexOf(a.op.operationId) - LAST.indexOf(b.op.operationId));
  for (const { service, path, method, op } of operations) {
    it(`${op.operationId} never answers 5xx and always explains a 4xx`, async () => {
      const content = op.requestBody?.content ?? {};
      const form = 'application/x-www-form-urlencoded' in content;
      const example = Object.values(content)[0]?.example;
      for (const body of op.requestBody ? bodiesFor(example) : [undefined]) {
        let req = (t.http as unknown as Record<string, (p: string) => import('supertest').Test>)[method]!(path)
          .set('authorization', service === 'openai' ? apiKeyAuth : auth)
          .set('cookie', cookie);
        if (body !== undefined) {
          req = form
            ? req.type('form').send(Object.fromEntries(Object.entries((body ?? {}) as object).map(([k, v]) => [k, String(v)])))
            : req.set('content-type', 'application/json').send(JSON.stringify(body));
        }
        const res = await req;
        assert.ok(res.status < 500, `${op.operationId} ${JSON.stringify(body)?.slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400) {
          const type = String(res.headers['content-type']);
          const explained = /problem\+json/.test(type) || (path === '/oauth2/token' && typeof res.body.error === 'string')
            || (service === 'openai' && typeof res.body.error?.message === 'string'); // OpenAI's envelope
          assert.ok(explained, `${op.operationId} ${res.status} without a problem: ${type}`);
        }
      }
    });
  }
});

type Operation = { operationId: string; requestBody?: { content: Record<string, { example?: Record<string, unknown> }> } };
