// The AWS sample's own clients, byte for byte: its Python SDK's token request (seed-inventory §7.1),
// its notebooks' JSON bodies without a Content-Type (§7.2), and its model test's `system` (§7.3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectProblem, listen, startTestPlatform, type TestPlatform } from './helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from './helpers/fake-openai.ts';

let t: TestPlatform;
let upstream: FakeOpenAi;
let server: Awaited<ReturnType<typeof listen>>;
let base: string;
let app: { app_id: string; client_id: string; client_secret: string; authorization: string };

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo' });
  app = await t.appAuth('seed-sdk-app');
  server = await listen(t.platform.handler);
  base = server.baseUrl;
});
after(async () => {
  await server.close();
  await t.close();
  await upstream.close();
});

/** One HTTP request with exactly these headers and body bytes (no client adds a Content-Type). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers: { ...headers, ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => {
        const isJson = /json/.test(res.headers['content-type'] ?? '');
        resolve({ status: res.statusCode!, headers: res.headers, body: isJson ? JSON.parse(text) : text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the SDK\'s token request (CognitoTokenManager._fetch_token_with_secret)', () => {
  it('Basic credentials plus client_id and scope in the form body get a token', async () => {
    // requests.post(url, headers={Authorization: Basic b64(id:secret), Content-Type: form}, data={...})
    const basic = Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64');
    const res = await raw('POST', '/oauth2/token', {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    }, `grant_type=client_credentials&client_id=${app.client_id}&scope=genaifoundations%2Fread`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.token_type, 'Bearer');
    const list = await raw('GET', '/model/list_models', { authorization: `Bearer ${res.body.access_token}` });
    assert.equal(list.status, 200);
  });
});

describe('JSON bodies sent without a Content-Type (the quickstart notebooks)', () => {
  const json = (body: object) => JSON.stringify(body);

  it('are read as JSON on the prompt and model services', async () => {
    const saved = await raw('POST', '/prompt/template/save', { authorization: app.authorization },
      json({ name: 'TYPELESS', prompt_template: 'Hello {{name}}' }));
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const rendered = await raw('POST', '/prompt/template/render', { authorization: app.authorization },
      json({ name: 'TYPELESS', variables: { name: 'world' } }));
    assert.equal(rendered.body.text, 'Hello world');
    const invoked = await raw('POST', '/model/invoke', { authorization: app.authorization }, json({ model_name: 'echo', prompt: 'hi' }));
    assert.equal(invoked.status, 200, JSON.stringify(invoked.body));
  });

  it('are still validated, and malformed JSON is a problem', async () => {
    const invalid = await raw('POST', '/prompt/template/save', { authorization: app.authorization }, json({ name: 'X' }));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.code, 'VALIDATION_ERROR');
    const malformed = await raw('POST', '/model/invoke', { authorization: app.authorization }, '{"model_name":');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, 'MALFORMED_JSON');
  });

  it('an explicit non-JSON type stays 415', async () => {
    const res = await raw('POST', '/model/invoke', { authorization: app.authorization, 'content-type': 'text/plain' }, json({ model_name: 'echo', prompt: 'hi' }));
    assert.equal(res.status, 415);
    assert.equal(res.body.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('the admin API keeps requiring application/json (CSRF defence)', async () => {
    const cookie = await t.adminCookie();
    const res = await raw('POST', '/admin/platform/create_app_client', { cookie }, json({ app_name: 'typeless', description: 'x' }));
    assert.equal(res.status, 415);
    assert.equal(res.body.code, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('`system`, the deprecated alias of system_prompts (the sample\'s model test)', () => {
  const post = (path: string, body: object) => t.http.post(path).set('authorization', app.authorization).send(body);
  const systemSent = () => (upstream.requests.at(-1)!.body.messages as { role: string; content: string }[])
    .filter((m) => m.role === 'system').map((m) => m.content);
  const messages = [{ role: 'user', content: [{ text: 'Hello' }] }];

  it('is honoured on /model/invoke, as a list or as one string', async () => {
    await post('/model/invoke', { model_name: 'echo', prompt: messages, system: [{ text: 'Be terse.' }] }).expect(200);
    assert.deepEqual(systemSent(), ['Be terse.']);
    await post('/model/invoke', { model_name: 'echo', prompt: 'Hello', system: 'Answer in French.' }).expect(200);
    assert.deepEqual(systemSent(), ['Answer in French.']);
  });

  it('is honoured on /model/invoke_stream and /model/async_invoke', async () => {
    const stream = await post('/model/invoke_stream', { model_name: 'echo', prompt: messages, system: [{ text: 'Stream tersely.' }] }).expect(200);
    assert.match(stream.text, /event: done/);
    assert.deepEqual(systemSent(), ['Stream tersely.']);
    const submitted = await post('/model/async_invoke', { model_name: 'echo', prompt: messages, system: [{ text: 'Later.' }] }).expect(200);
    for (let i = 0; i < 100; i++) {
      const res = await t.http.get(`/model/async_output/${submitted.body.invocation_id}`).set('authorization', app.authorization);
      if (res.status === 200) break;
      await sleep(50);
    }
    assert.deepEqual(systemSent(), ['Later.']);
  });

  it('with system_prompts as well is a 400 naming both, on every route', async () => {
    for (const path of ['/model/invoke', '/model/invoke_stream', '/model/async_invoke']) {
      const res = await post(path, { model_name: 'echo', prompt: 'Hi', system_prompts: [{ text: 'a' }], system: [{ text: 'b' }] });
      const problem = expectProblem(res, 400, 'VALIDATION_ERROR');
      assert.deepEqual(problem.errors!.map((e: { path: string }) => e.path).sort(), ['body.system', 'body.system_prompts'], path);
    }
  });

  it('is marked deprecated in the spec', async () => {
    const spec = (await t.http.get('/openapi/model.json').expect(200)).body;
    assert.equal(spec.components.schemas.InvokeModelRequest.properties.system.deprecated, true);
  });
});
