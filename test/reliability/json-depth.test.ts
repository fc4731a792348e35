// Issue 10, row 10: a body nested thousands of levels deep once overflowed the stack (500 from
// JSON.stringify on /model/invoke_with_raw_input). Every JSON route now refuses nesting beyond
// MAX_JSON_DEPTH with a 400 before anything walks the body.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { MAX_JSON_DEPTH } from '../../handlers/platform/http/json-depth.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;
let authorization: string;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo' });
  authorization = (await t.appAuth('deep')).authorization;
});
after(async () => {
  await t.close();
  await upstream.close();
});

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const rawWith = (value: string) => `{"model_id":"echo","raw_input":{"messages":[{"role":"user","content":"hi"}],"x":${value}}}`;

/** Every operation of every bundled spec that takes a JSON body, with its path parameters filled. */
function jsonRoutes(): string[] {
  return readdirSync('generated/openapi').filter((f) => f.endsWith('.json')).flatMap((file) => {
    const spec = JSON.parse(readFileSync(`generated/openapi/${file}`, 'utf8')) as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> };
    return Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.values(item).some((op) => op.requestBody?.content?.['application/json']) ? [path.replace(/\{[^}]+\}/g, 'x')] : []);
  });
}

it('answers 400 VALIDATION_ERROR, not 500, to a body nested 5,000 levels on every JSON route', async () => {
  const routes = jsonRoutes();
  assert.ok(routes.includes('/model/invoke_with_raw_input') && routes.length > 10, routes.join());
  const cookie = await t.adminCookie();
  for (const route of routes) {
    const res = await t.http.post(route).set('authorization', authorization).set('cookie', cookie)
      .set('origin', 'http://localhost:8080').type('json').send(rawWith(nested(5000)));
    if (route.startsWith('/v1/')) {
      // The OpenAI-compatible surface answers in OpenAI's error envelope (docs/openai.md).
      assert.equal(res.status, 400, `${route}: ${res.text}`);
      assert.equal(res.body.error.type, 'invalid_request_error', route);
      continue;
    }
    const body = expectProblem(res, 400, 'VALIDATION_ERROR');
    assert.deepEqual(body.errors?.map((e) => e.path), ['body'], route);
  }
  assert.equal(upstream.requests.length, 0, 'nothing reached the provider');
});

it(`accepts nesting up to ${MAX_JSON_DEPTH} levels, and brackets inside strings do not count`, async () => {
  // The body's own object and raw_input's take two levels.
  const ok = await t.http.post('/model/invoke_with_raw_input').set('authorization', authorization).type('json')
    .send(rawWith(nested(MAX_JSON_DEPTH - 2)));
  assert.equal(ok.status, 200, ok.text);
  expectProblem(await t.http.post('/model/invoke_with_raw_input').set('authorization', authorization).type('json')
    .send(rawWith(nested(MAX_JSON_DEPTH - 1))), 400, 'VALIDATION_ERROR');
  const text = `${'[{\\"'.repeat(3000)}`;
  await t.http.post('/model/invoke').set('authorization', authorization).type('json')
    .send(`{"model_name":"echo","prompt":"${text}"}`).expect(200);
});
