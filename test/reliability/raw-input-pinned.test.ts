// Issue 10, row 5: /model/invoke_with_raw_input sent raw_input.model (any name) upstream while the
// ledger priced the catalogued model_id, and its prompt size was not capped. The upstream model is
// now the catalogue entry's, another name is refused, and the context window applies.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;
let app: { app_id: string; authorization: string };

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo,embedder:embed', OPENAI_CONTEXT_WINDOW: '1000' });
  app = await t.appAuth('raw-app');
});
after(async () => {
  await t.close();
  await upstream.close();
});

const raw = (rawInput: Record<string, unknown>, requestId: string) =>
  t.http.post('/model/invoke_with_raw_input').set('authorization', app.authorization).set('x-request-id', requestId)
    .send({ model_id: 'echo', raw_input: { messages: [{ role: 'user', content: 'hi' }], ...rawInput } });

it('refuses a raw_input.model that names another model, before any upstream call', async () => {
  const body = expectProblem(await raw({ model: 'some-expensive-model' }, 'raw-other'), 400, 'VALIDATION_ERROR');
  assert.deepEqual(body.errors?.map((e) => e.path), ['body.raw_input.model']);
  assert.equal(upstream.requests.length, 0);
});

it('sends the catalogue entry\'s model upstream and records that model in the ledger', async () => {
  await raw({}, 'raw-no-model').expect(200);
  await raw({ model: 'echo' }, 'raw-same-model').expect(200);
  assert.deepEqual(upstream.requests.map((r) => r.body.model), ['echo', 'echo']);
  await t.platform.ledger.flush();
  const rows = (await t.platform.ledger.list(app.app_id, 10)).filter((r) => r.requestId.startsWith('raw-'));
  assert.deepEqual(rows.map((r) => [r.requestId, r.resource, r.provider, r.status]).sort(), [
    ['raw-no-model', 'echo', 'openai', 'SUCCESS'],
    ['raw-same-model', 'echo', 'openai', 'SUCCESS'],
  ]);
});

it('answers 400 CONTEXT_WINDOW_EXCEEDED for a raw_input larger than the model reads, as /model/invoke does', async () => {
  const before = upstream.requests.length;
  const big = 'x'.repeat(8000); // about 2,000 tokens; the window is 1,000
  const body = expectProblem(await raw({ messages: [{ role: 'user', content: big }] }, 'raw-big'), 400, 'CONTEXT_WINDOW_EXCEEDED');
  assert.deepEqual(body.errors?.map((e) => e.path), ['body.raw_input']);
  expectProblem(await t.http.post('/model/invoke').set('authorization', app.authorization).send({ model_name: 'echo', prompt: big }), 400, 'CONTEXT_WINDOW_EXCEEDED');
  assert.equal(upstream.requests.length, before, 'nothing reached the provider');
});

it('sends an embedding model\'s native body to the embeddings endpoint', async () => {
  const res = await t.http.post('/model/invoke_with_raw_input').set('authorization', app.authorization)
    .send({ model_id: 'embedder', raw_input: { input: 'hello' } }).expect(200);
  assert.deepEqual(res.body.raw_output.data[0].embedding, [3, 4, 0]);
  const sent = upstream.requests.at(-1)!;
  assert.equal(sent.path, '/v1/embeddings');
  assert.deepEqual(sent.body, { input: 'hello', model: 'embedder' });
});
