import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, UPSTREAM_SECRET, type FakeOpenAi } from '../helpers/fake-openai.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;
let app: { app_id: string; authorization: string };
let other: { app_id: string; authorization: string };

const MODELS = 'echo,ignores-stream,throttle-once,always-throttled,fail-500,rejects,malformed,slow,endless-stream,embedder:embed';

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({
    OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: MODELS, MODEL_TIMEOUT_MS: '1500', MODEL_MAX_RETRIES: '2',
    MODEL_CIRCUIT_BREAKER_FAILURES: '1000', OPENAI_CONTEXT_WINDOW: '1000',
  });
  app = await t.appAuth('model-app');
  other = await t.appAuth('other-model-app');
});
after(async () => {
  await t.close();
  await upstream.close();
});

const post = (path: string, body: object, authorization = app.authorization) => t.http.post(path).set('authorization', authorization).send(body);
const sentTo = (model: string) => upstream.requests.filter((r) => r.body.model === model).at(-1)!.body;
const ledger = async (appId = app.app_id) => {
  await t.platform.ledger.flush();
  return t.platform.ledger.list(appId, 100);
};
const noLeak = (text: string) => {
  assert.ok(!text.includes(UPSTREAM_SECRET), 'upstream text leaked');
  assert.ok(!text.includes('sk-should-never-leak'), 'upstream credentials leaked');
};

describe('invokeModel', () => {
  it('answers a text prompt with the output and token counts', async () => {
    const res = await post('/model/invoke', { model_name: 'echo', prompt: 'Hello there' }).expect(200);
    assert.deepEqual(res.body, { output_text: 'echo: Hello there', input_tokens: 11, output_tokens: 7, model_name: 'echo', finish_reason: 'stop' });
  });

  it('sends chat messages and system prompts, and honours parameters of 0', async () => {
    await post('/model/invoke', {
      model_name: 'echo',
      prompt: [{ role: 'user', content: [{ text: 'Hi' }] }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Bye' }],
      system_prompts: [{ text: 'Be brief.' }],
      temperature: 0, top_p: 0, top_k: 0, max_tokens: 5, stop_sequences: ['END'],
    }).expect(200);
    assert.deepEqual(sentTo('echo'), {
      model: 'echo',
      messages: [
        { role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Bye' },
      ],
      max_tokens: 5, temperature: 0, top_p: 0, top_k: 0, stop: ['END'],
    });
  });

  it('treats null parameters, as the seed clients send them, as not set', async () => {
    await post('/model/invoke', { model_name: 'echo', prompt: 'x', temperature: null, max_tokens: null, system_prompts: null }).expect(200);
    assert.deepEqual(Object.keys(sentTo('echo')), ['model', 'messages']);
  });

  it('returns 400 naming an unknown model and how to list the models', async () => {
    const body = expectProblem(await post('/model/invoke', { model_name: 'GPT_99', prompt: 'x' }), 400, 'UNKNOWN_MODEL');
    assert.match(body.detail, /GPT_99.*\/model\/list_models/);
  });

  it('returns 400 for an embedding model', async () => {
    expectProblem(await post('/model/invoke', { model_name: 'embedder', prompt: 'x' }), 400, 'WRONG_MODEL_KIND');
  });

  it('returns 503 naming the variables to set for a provider that is not configured', async () => {
    const body = expectProblem(await post('/model/invoke', { model_name: 'ANTHROPIC_CLAUDE_3_HAIKU_V1', prompt: 'x' }), 503, 'PROVIDER_NOT_CONFIGURED');
    assert.match(body.detail, /AWS_REGION/);
  });

  it("returns 400 for a prompt larger than the model's context window", async () => {
    expectProblem(await post('/model/invoke', { model_name: 'echo', prompt: 'x'.repeat(5000) }), 400, 'CONTEXT_WINDOW_EXCEEDED');
  });

  for (const [name, body] of [
    ['temperature above 2', { temperature: 2.5 }], ['negative top_p', { top_p: -0.1 }], ['max_tokens of 0', { max_tokens: 0 }],
    ['fractional top_k', { top_k: 1.5 }], ['nine stop sequences', { stop_sequences: Array(9).fill('x') }],
    ['an empty message list', { prompt: [] }], ['a message without content', { prompt: [{ role: 'user' }] }],
    ['a message with an unknown role', { prompt: [{ role: 'system', content: 'x' }] }], ['an empty prompt', { prompt: '' }],
  ] as const) {
    it(`returns 400 for ${name}`, async () => {
      expectProblem(await post('/model/invoke', { model_name: 'echo', prompt: 'x', ...body }), 400, 'VALIDATION_ERROR');
    });
  }

  it('retries a throttled call after Retry-After and succeeds', async () => {
    await post('/model/invoke', { model_name: 'throttle-once', prompt: 'x' }).expect(200);
    assert.equal(upstream.count('throttle-once'), 2);
  });

  it('answers 429 with Retry-After when the provider keeps throttling', async () => {
    const res = await post('/model/invoke', { model_name: 'always-throttled', prompt: 'x' });
    expectProblem(res, 429, 'UPSTREAM_THROTTLED');
    assert.ok(Number(res.headers['retry-after']) >= 1);
    noLeak(res.text);
  });

  it('answers 502 after retrying a failing provider, without its text', async () => {
    const res = await post('/model/invoke', { model_name: 'fail-500', prompt: 'x' });
    expectProblem(res, 502, 'UPSTREAM_ERROR');
    assert.equal(upstream.count('fail-500'), 3, 'one call and two retries');
    noLeak(res.text);
  });

  it('answers 422 without retrying when the provider rejects the request', async () => {
    const res = await post('/model/invoke', { model_name: 'rejects', prompt: 'x' });
    expectProblem(res, 422, 'UPSTREAM_REJECTED');
    assert.equal(upstream.count('rejects'), 1);
    noLeak(res.text);
  });

  it('answers 502 for a malformed answer', async () => {
    const res = await post('/model/invoke', { model_name: 'malformed', prompt: 'x' });
    expectProblem(res, 502, 'UPSTREAM_ERROR');
    noLeak(res.text);
  });

  it('answers 504 when the provider misses the deadline', async () => {
    expectProblem(await post('/model/invoke', { model_name: 'slow', prompt: 'x' }), 504, 'UPSTREAM_TIMEOUT');
  });

  it('records one ledger row per call, failures included, with cost and request id', async () => {
    const res = await post('/model/invoke', { model_name: 'echo', prompt: 'ledger me' }).set('x-request-id', 'ledger-test-1').expect(200);
    await post('/model/invoke', { model_name: 'rejects', prompt: 'x' }).set('x-request-id', 'ledger-test-2');
    const rows = await ledger();
    const ok = rows.find((r) => r.requestId === 'ledger-test-1')!;
    assert.deepEqual(
      { service: ok.service, op: ok.operation, model: ok.resource, provider: ok.provider, in: ok.units.input_tokens, out: ok.units.output_tokens, status: ok.status },
      { service: 'model', op: 'invoke', model: 'echo', provider: 'openai', in: res.body.input_tokens, out: res.body.output_tokens, status: 'SUCCESS' },
    );
    assert.ok(ok.latencyMs > 0);
    const failed = rows.find((r) => r.requestId === 'ledger-test-2')!;
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.errorCode, 'UPSTREAM_REJECTED');
  });
});

describe('invokeModelStream', () => {
  it('streams deltas, then one done event with usage and finish reason', async () => {
    const res = await post('/model/invoke_stream', { model_name: 'echo', prompt: 'stream me' }).set('x-request-id', 'stream-1').expect(200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    const events = res.text.trim().split('\n\n').map((block) => {
      const [event, data] = block.split('\n');
      return { event: event!.slice('event: '.length), data: JSON.parse(data!.slice('data: '.length)) };
    });
    assert.deepEqual(events, [
      { event: 'delta', data: { text: 'echo' } },
      { event: 'delta', data: { text: ': ' } },
      { event: 'delta', data: { text: 'stream me' } },
      { event: 'done', data: { input_tokens: 11, output_tokens: 3, finish_reason: 'stop', model_name: 'echo' } },
    ]);
    const row = (await ledger()).find((r) => r.requestId === 'stream-1')!;
    assert.deepEqual([row.operation, row.status, row.units.output_tokens], ['stream', 'SUCCESS', 3]);
  });

  it('passes on a whole completion from a server that ignores stream: true', async () => {
    const res = await post('/model/invoke_stream', { model_name: 'ignores-stream', prompt: 'all at once' }).expect(200);
    assert.match(res.text, /^event: delta\ndata: {"text":"echo: all at once"}\n\nevent: done\ndata: {"input_tokens":11,"output_tokens":7,/);
  });

  it('answers a problem, not a stream, when the call fails before the first event', async () => {
    expectProblem(await post('/model/invoke_stream', { model_name: 'rejects', prompt: 'x' }), 422, 'UPSTREAM_REJECTED');
    expectProblem(await post('/model/invoke_stream', { model_name: 'nope', prompt: 'x' }), 400, 'UNKNOWN_MODEL');
  });

  it('stops the upstream call when the client disconnects, and records what was consumed', async () => {
    const server = createServer(t.platform.handler).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const controller = new AbortController();
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/model/invoke_stream`, {
        method: 'POST',
        headers: { authorization: app.authorization, 'content-type': 'application/json', 'x-request-id': 'cancel-1' },
        body: JSON.stringify({ model_name: 'endless-stream', prompt: 'go' }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await upstream.streamClosed; // the platform closed its connection to the provider
      const deadline = Date.now() + 5000;
      let row;
      while (!(row = (await ledger()).find((r) => r.requestId === 'cancel-1')) && Date.now() < deadline) await sleep(20);
      assert.equal(row?.status, 'CANCELLED');
      assert.ok(row!.units.output_tokens! > 0);
    } finally {
      server.close();
    }
  });
});

describe('invokeModelWithRawInput', () => {
  it('passes the native body through and returns the native answer, recording usage', async () => {
    const raw = { model: 'echo', messages: [{ role: 'user', content: 'raw hello' }], logprobs: true };
    const res = await post('/model/invoke_with_raw_input', { model_id: 'echo', raw_input: raw }).set('x-request-id', 'raw-1').expect(200);
    assert.deepEqual(sentTo('echo'), { ...raw, stream: false });
    assert.equal((res.body.raw_output.choices as { message: { content: string } }[])[0]!.message.content, 'echo: raw hello');
    assert.equal(res.body.input_tokens, 11);
    const row = (await ledger()).find((r) => r.requestId === 'raw-1')!;
    assert.deepEqual([row.operation, row.units.input_tokens, row.units.output_tokens], ['raw', 11, 7]);
  });

  it('returns 400 for an unknown model id', async () => {
    const body = expectProblem(await post('/model/invoke_with_raw_input', { model_id: 'nope', raw_input: {} }), 400, 'UNKNOWN_MODEL');
    assert.equal(body.errors?.[0]?.path, 'body.model_id');
  });
});

describe('embedText', () => {
  it('embeds locally with no configuration: 512 unit-length dimensions that place similar texts closer', async (ctx) => {
    // A platform of its own on default settings: loading the model can outlast this file's 1.5 s deadline.
    const plain = await startTestPlatform();
    ctx.after(() => plain.close());
    const { authorization } = await plain.appAuth();
    const embed = async (text: string) =>
      (await plain.http.post('/model/embed').set('authorization', authorization).send({ model_name: 'LOCAL_USE_LITE_512', input_text: text }).expect(200))
        .body as { embedding: number[]; dimensions: number; input_tokens: number };
    const [invoice, payment, cat] = [await embed('When is the invoice due?'), await embed('What are the payment terms?'), await embed('The cat sat on the mat.')];
    assert.equal(invoice.dimensions, 512);
    assert.equal(invoice.embedding.length, 512);
    assert.ok(Math.abs(Math.hypot(...invoice.embedding) - 1) < 1e-3);
    assert.ok(invoice.input_tokens > 0);
    const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    assert.ok(cosine(invoice.embedding, payment.embedding) > cosine(invoice.embedding, cat.embedding));
  });

  it('normalises when asked, even if the provider does not', async () => {
    const res = await post('/model/embed', { model_name: 'embedder', input_text: 'x', normalize: true }).expect(200);
    assert.deepEqual(res.body.embedding, [0.6, 0.8, 0]);
    assert.equal(res.body.input_tokens, 5);
  });

  it('returns 400 for a text model, and for dimensions the local model does not have', async () => {
    expectProblem(await post('/model/embed', { model_name: 'echo', input_text: 'x' }), 400, 'WRONG_MODEL_KIND');
    expectProblem(await post('/model/embed', { model_name: 'LOCAL_USE_LITE_512', input_text: 'x', dimensions: 256 }), 422, 'UPSTREAM_REJECTED');
  });
});

const pollOutput = async (id: string, authorization = app.authorization) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await t.http.get(`/model/async_output/${id}`).set('authorization', authorization);
    if (res.status !== 202 || Date.now() > deadline) return res;
    await sleep(25);
  }
};

describe('invokeModelAsync', () => {
  it('queues the invocation and the worker completes it', async () => {
    const submitted = await post('/model/async_invoke', { model_name: 'echo', prompt: 'later' }).expect(200);
    assert.equal(submitted.body.status, 'QUEUED');
    const res = await pollOutput(submitted.body.invocation_id);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'SUCCEEDED');
    assert.equal(res.body.output_text, 'echo: later');
    assert.equal(res.body.input_tokens, 11);
    const row = (await ledger()).find((r) => r.operation === 'async')!;
    assert.equal(row.status, 'SUCCESS');
  });

  it('checks the request at submission', async () => {
    expectProblem(await post('/model/async_invoke', { model_name: 'nope', prompt: 'x' }), 400, 'UNKNOWN_MODEL');
  });
});

describe('getAsyncModelOutput', () => {
  it('reports a failed invocation with its problem', async () => {
    const submitted = await post('/model/async_invoke', { model_name: 'rejects', prompt: 'x' }).set('x-request-id', 'submit-rejected').expect(200);
    const res = await pollOutput(submitted.body.invocation_id);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'FAILED');
    const { code, status, type, request_id, instance } = res.body.error;
    assert.deepEqual(
      { code, status, type, request_id, instance },
      { code: 'UPSTREAM_REJECTED', status: 422, type: '/problems/upstream-rejected', request_id: 'submit-rejected', instance: `/model/async_output/${submitted.body.invocation_id}` },
      'the problem the submission would have had, with its request id',
    );
    noLeak(res.text);
  });

  it("answers 404 for another app's invocation and for an unknown id", async () => {
    const submitted = await post('/model/async_invoke', { model_name: 'echo', prompt: 'mine' }).expect(200);
    await pollOutput(submitted.body.invocation_id);
    expectProblem(await t.http.get(`/model/async_output/${submitted.body.invocation_id}`).set('authorization', other.authorization), 404, 'INVOCATION_NOT_FOUND');
    expectProblem(await t.http.get('/model/async_output/does-not-exist').set('authorization', app.authorization), 404, 'INVOCATION_NOT_FOUND');
  });
});

describe('listModels', () => {
  it('lists only models whose provider is configured, by kind', async () => {
    const res = await t.http.get('/model/list_models').set('authorization', app.authorization).expect(200);
    const names = (list: { model_name: string }[]) => list.map((m) => m.model_name);
    assert.ok(names(res.body.text_models).includes('echo'));
    assert.ok(names(res.body.embed_models).includes('embedder'));
    assert.ok(names(res.body.embed_models).includes('LOCAL_USE_LITE_512'));
    assert.ok(!names(res.body.text_models).includes('ANTHROPIC_CLAUDE_3_HAIKU_V1'), 'Bedrock is not configured');
    const local = res.body.embed_models.find((m: { model_name: string }) => m.model_name === 'LOCAL_USE_LITE_512');
    assert.deepEqual({ provider: local.provider, dimensions: local.dimensions }, { provider: 'local', dimensions: 512 });
  });
});

describe('getModelServiceHealth', () => {
  it('answers UP, with the state of each circuit breaker that has seen a call', async () => {
    const { body } = await t.http.get('/model/service/health').set('authorization', app.authorization).expect(200);
    assert.equal(body.status, 'UP');
    const breakers = body.circuit_breakers as { provider: string; model_name?: string; state: string }[];
    assert.ok(breakers.some((b) => b.provider === 'openai' && b.model_name === undefined), 'the endpoint\'s own breaker');
    assert.ok(breakers.some((b) => b.provider === 'openai' && b.model_name === 'fail-500'));
    assert.ok(breakers.every((b) => b.state === 'closed'), 'the threshold here is far above the failures');
  });
});
