// Contract of the OpenAI-compatible surface and of the admin API's API keys: OpenAI's error
// envelope on every failure, a key that only its app's calls use, and refusal (401 in OpenAI's
// shape) of revoked, expired, deactivated and deleted apps' keys.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { createApiKey } from '../helpers/api-keys.ts';

let t: TestPlatform;
let upstream: FakeOpenAi;
let cookie: string;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo,embedder:embed' });
  cookie = await t.adminCookie();
});
after(async () => {
  await t.close();
  await upstream.close();
});

const bearer = (key: string) => `Bearer ${key}`;
const chat = (key: string, body: Record<string, unknown> = {}) =>
  t.http.post('/v1/chat/completions').set('authorization', bearer(key)).send({ model: 'echo', messages: [{ role: 'user', content: 'hi' }], ...body });

/** Asserts OpenAI's error envelope with this status and code; returns the error. */
function expectOpenAiError(res: Response, status: number, code: string, param: string | null = null) {
  assert.equal(res.status, status, res.text);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const { error } = JSON.parse(res.text);
  assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(error.code, code);
  assert.equal(error.param, param);
  assert.ok(error.message.length > 0);
  return error as { message: string; type: string };
}

describe('createChatCompletion', () => {
  let key: string;
  before(async () => { key = (await createApiKey(t, (await t.onboardApp('chat')).app_id)).api_key; });

  it('answers a chat completion', async () => {
    const res = await chat(key).expect(200);
    assert.equal(res.body.choices[0].message.content, 'echo: hi');
  });
  it('refuses a request without a key, or with an app token, as authentication_error', async () => {
    assert.equal(expectOpenAiError(await t.http.post('/v1/chat/completions').send({}), 401, 'unauthenticated').type, 'authentication_error');
    const app = await t.appAuth('token-app');
    expectOpenAiError(await t.http.post('/v1/chat/completions').set('authorization', app.authorization).send({ model: 'echo', messages: [] }), 401, 'invalid_api_key');
    expectOpenAiError(await chat('gaf_sk_made-up'), 401, 'invalid_api_key');
    // …and a key opens only /v1.
    expectProblem(await t.http.post('/model/invoke').set('authorization', bearer(key)).send({ model_name: 'echo', prompt: 'x' }), 401, 'INVALID_TOKEN');
  });
  it('names a missing or invalid field in param', async () => {
    expectOpenAiError(await chat(key, { messages: [] }), 400, 'validation_error', 'messages');
    expectOpenAiError(await chat(key, { temperature: 3 }), 400, 'validation_error', 'temperature');
    expectOpenAiError(await chat(key, { max_tokens: 5, max_completion_tokens: 5 }), 400, 'validation_error', 'max_tokens');
    expectOpenAiError(await chat(key, { messages: [{ role: 'tool', content: 'x' }] }), 400, 'validation_error', 'messages[0].tool_call_id');
  });
  it('refuses an unsupported parameter by name', async () => {
    expectOpenAiError(await chat(key, { response_format: { type: 'json_object' } }), 400, 'unsupported_parameter', 'response_format');
    expectOpenAiError(await chat(key, { logprobs: true }), 400, 'unsupported_parameter', 'logprobs');
  });
  it('answers malformed JSON in the envelope', async () => {
    const res = await t.http.post('/v1/chat/completions').set('authorization', bearer(key)).set('content-type', 'application/json').send('{"model":');
    expectOpenAiError(res, 400, 'malformed_json');
  });
  it('enforces the app\'s limits', async () => {
    const app = await t.onboardApp('limited');
    await t.http.post('/admin/platform/set_app_limits').set('cookie', cookie)
      .send({ app_id: app.app_id, requests_per_minute: 1, tokens_per_minute: null, monthly_token_budget: null }).expect(200);
    const limited = (await createApiKey(t, app.app_id)).api_key;
    await chat(limited).expect(200);
    const error = expectOpenAiError(await chat(limited), 429, 'rate_limited');
    assert.equal(error.type, 'rate_limit_error');
  });
  it('keeps a key to its model allow-list', async () => {
    const app = await t.onboardApp('allow-list');
    const only = (await createApiKey(t, app.app_id, { name: 'embed only', models: ['embedder'] })).api_key;
    expectOpenAiError(await chat(only), 403, 'model_not_allowed', 'model');
  });
});

describe('createEmbedding', () => {
  it('embeds a string and refuses a token array', async () => {
    const key = (await createApiKey(t, (await t.onboardApp('embed')).app_id)).api_key;
    const res = await t.http.post('/v1/embeddings').set('authorization', bearer(key)).send({ model: 'embedder', input: 'x', encoding_format: 'float' }).expect(200);
    assert.deepEqual(res.body.data[0].embedding, [3, 4, 0]);
    expectOpenAiError(await t.http.post('/v1/embeddings').set('authorization', bearer(key)).send({ model: 'embedder', input: [[1, 2]] }), 400, 'validation_error', 'input');
    expectOpenAiError(await t.http.post('/v1/embeddings').set('authorization', bearer(key)).send({ model: 'echo', input: 'x' }), 400, 'wrong_model_kind', 'model');
  });
});

describe('listOpenAiModels', () => {
  it('lists only the models of the key\'s allow-list', async () => {
    const app = await t.onboardApp('models');
    const key = (await createApiKey(t, app.app_id, { name: 'k', models: ['echo'] })).api_key;
    const res = await t.http.get('/v1/models').set('authorization', bearer(key)).expect(200);
    assert.deepEqual(res.body, { object: 'list', data: [{ id: 'echo', object: 'model', created: 0, owned_by: 'openai' }] });
  });
});

describe('createAppApiKey', () => {
  it('shows the key once, keeps its prefix, and refuses an unknown app or a past expiry', async () => {
    const app = await t.onboardApp('keys');
    const created = await createApiKey(t, app.app_id, { name: 'prod', models: ['echo'], expires_at: '2999-01-01T00:00:00Z' });
    assert.match(created.api_key, /^gaf_sk_[A-Za-z0-9_-]{43}$/);
    assert.ok(created.api_key.startsWith(created.prefix));
    expectProblem(await t.http.post('/admin/platform/apps/nope/api_keys').set('cookie', cookie).send({ name: 'x' }), 404, 'APP_NOT_FOUND');
    expectProblem(await t.http.post(`/admin/platform/apps/${app.app_id}/api_keys`).set('cookie', cookie).send({ name: 'x', expires_at: '2001-01-01T00:00:00Z' }), 400, 'VALIDATION_ERROR');
    expectProblem(await t.http.post(`/admin/platform/apps/${app.app_id}/api_keys`).send({ name: 'x' }), 401, 'SESSION_REQUIRED');
  });
});

describe('listAppApiKeys', () => {
  it('lists prefixes, never the keys, and only the app\'s own', async () => {
    const [a, b] = [await t.onboardApp('list-a'), await t.onboardApp('list-b')];
    const key = await createApiKey(t, a.app_id);
    await createApiKey(t, b.app_id);
    const res = await t.http.get(`/admin/platform/apps/${a.app_id}/api_keys`).set('cookie', cookie).expect(200);
    assert.deepEqual(res.body.items.map((k: { key_id: string }) => k.key_id), [key.key_id]);
    assert.ok(!res.text.includes(key.api_key));
    assert.equal(res.body.items[0].prefix, key.prefix);
  });
});

describe('revokeAppApiKey', () => {
  it('refuses the key at once; another app cannot revoke it', async () => {
    const [a, b] = [await t.onboardApp('revoke-a'), await t.onboardApp('revoke-b')];
    const key = await createApiKey(t, a.app_id);
    await chat(key.api_key).expect(200);
    expectProblem(await t.http.delete(`/admin/platform/apps/${b.app_id}/api_keys/${key.key_id}`).set('cookie', cookie), 404, 'API_KEY_NOT_FOUND');
    await chat(key.api_key).expect(200);
    const res = await t.http.delete(`/admin/platform/apps/${a.app_id}/api_keys/${key.key_id}`).set('cookie', cookie).expect(200);
    assert.ok(res.body.revoked_at);
    expectOpenAiError(await chat(key.api_key), 401, 'invalid_api_key');
  });
});

describe('API keys and their application', () => {
  it('one app\'s key meters only that app', async () => {
    const [a, b] = [await t.onboardApp('tenant-a'), await t.onboardApp('tenant-b')];
    await chat((await createApiKey(t, a.app_id)).api_key).expect(200);
    await t.platform.ledger.flush();
    assert.equal((await t.platform.ledger.list(a.app_id, 10)).length, 1);
    assert.equal((await t.platform.ledger.list(b.app_id, 10)).length, 0);
  });
  it('refuses the keys of a deactivated app at once, and again after it is reactivated only if revoked', async () => {
    const app = await t.onboardApp('deactivated');
    const key = (await createApiKey(t, app.app_id)).api_key;
    await t.http.post('/admin/platform/deactivate_app_client').set('cookie', cookie).send({ app_id: app.app_id }).expect(200);
    expectOpenAiError(await chat(key), 401, 'app_inactive');
    await t.http.post('/admin/platform/activate_app_client').set('cookie', cookie).send({ app_id: app.app_id }).expect(200);
    await chat(key).expect(200);
  });
  it('refuses the keys of a deleted app', async () => {
    const app = await t.onboardApp('deleted');
    const key = (await createApiKey(t, app.app_id)).api_key;
    await t.http.post('/admin/platform/delete_app_client').set('cookie', cookie).send({ app_id: app.app_id }).expect(200);
    expectOpenAiError(await chat(key), 401, 'invalid_api_key');
  });
  it('refuses an expired key', async () => {
    const app = await t.onboardApp('expiring');
    const key = await createApiKey(t, app.app_id, { name: 'short', expires_at: '2999-01-01T00:00:00Z' });
    await chat(key.api_key).expect(200);
    // Its expiry passes (set in the store rather than waited for).
    const db = new Database(join(t.dataDir, 'platform.sqlite'));
    db.prepare('UPDATE api_keys SET expires_at = ? WHERE key_id = ?').run(new Date(Date.now() - 1000).toISOString(), key.key_id);
    db.close();
    expectOpenAiError(await chat(key.api_key), 401, 'invalid_api_key');
  });
});
