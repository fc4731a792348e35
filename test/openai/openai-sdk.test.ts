// The official `openai` npm client against the platform's /v1 surface, with an app's API key:
// chat, streaming, embeddings, models and errors, as an application would call it (only baseURL
// and apiKey change). The upstream is the fake OpenAI-compatible server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { listen, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { createApiKey } from '../helpers/api-keys.ts';

let t: TestPlatform;
let upstream: FakeOpenAi;
let server: { baseUrl: string; close(): Promise<void> };

const client = (apiKey: string) => new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey, maxRetries: 0 });

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo,endless-stream,cut-stream,fail-500,embedder:embed' });
  server = await listen(t.platform.handler);
});
after(async () => {
  await server.close();
  await t.close();
  await upstream.close();
});

describe('the openai client through /v1', () => {
  let openai: OpenAI;
  let appId: string;
  before(async () => {
    const app = await t.onboardApp('sdk-app');
    appId = app.app_id;
    openai = client((await createApiKey(t, appId)).api_key);
  });

  it('chats: a completion in OpenAI\'s shape, metered in the ledger as openai.chat', async () => {
    const answer = await openai.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }],
      max_tokens: 50, temperature: 0.2, stop: ['\n\n'], user: 'u-1',
    });
    assert.equal(answer.object, 'chat.completion');
    assert.equal(answer.model, 'echo');
    assert.equal(answer.choices[0]!.message.content, 'echo: hello');
    assert.equal(answer.choices[0]!.finish_reason, 'stop');
    assert.deepEqual(answer.usage, { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    const sent = upstream.requests.at(-1)!.body;
    assert.deepEqual(sent.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }]);
    assert.equal(sent.max_tokens, 50);
    await t.platform.ledger.flush();
    const [row] = await t.platform.ledger.list(appId, 1);
    assert.equal(row!.service, 'model');
    assert.equal(row!.operation, 'openai.chat');
    assert.equal(row!.resource, 'echo');
    assert.deepEqual(row!.units, { input_tokens: 11, output_tokens: 7 });
  });

  it('reads tool results and max_completion_tokens', async () => {
    await openai.chat.completions.create({
      model: 'echo', max_completion_tokens: 9,
      messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: 'Let me look.' }, { role: 'tool', tool_call_id: 'call_1', content: 'sunny' }, { role: 'user', content: [{ type: 'text', text: 'so?' }] }],
    });
    const sent = upstream.requests.at(-1)!.body;
    assert.equal(sent.max_tokens, 9);
    // The tool result and the next user message are one turn (providers such as Bedrock take alternating turns only).
    assert.deepEqual(sent.messages, [
      { role: 'user', content: 'weather?' }, { role: 'assistant', content: 'Let me look.' },
      { role: 'user', content: 'Result of tool call call_1:\nsunny\n\nso?' },
    ]);
  });

  it('streams: chunks with the role, the text, the finish reason and the usage, then [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'echo', messages: [{ role: 'user', content: 'streamed' }], stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: (string | null)[] = [];
    let usage;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? '';
        finishes.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, 'echo: streamed');
    assert.equal(finishes.at(-1), 'stop');
    assert.deepEqual(usage, { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    await t.platform.ledger.flush();
    assert.equal((await t.platform.ledger.list(appId, 1))[0]!.operation, 'openai.stream');
  });

  it('streams raw SSE lines ending in data: [DONE], with no usage chunk unless asked', async () => {
    const res = await t.http.post('/v1/chat/completions').set('authorization', `Bearer ${(await createApiKey(t, appId)).api_key}`)
      .send({ model: 'echo', messages: [{ role: 'user', content: 'x' }], stream: true });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/event-stream/);
    const lines = res.text.trim().split('\n\n');
    assert.equal(lines.at(-1), 'data: [DONE]');
    assert.ok(lines.every((line) => line.startsWith('data: ')), 'no event names');
    assert.ok(!res.text.includes('"usage"'));
  });

  it('tells a stream that fails half-way as an error the client raises', async () => {
    const stream = await openai.chat.completions.create({ model: 'cut-stream', messages: [{ role: 'user', content: 'x' }], stream: true });
    await assert.rejects(async () => {
      for await (const _chunk of stream) { /* reads until the error */ }
    }, (error: unknown) => error instanceof OpenAI.APIError);
  });

  it('closes the upstream when the client stops reading', async () => {
    const stream = await openai.chat.completions.create({ model: 'endless-stream', messages: [{ role: 'user', content: 'x' }], stream: true });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break; // the SDK aborts its request on break
    }
    await upstream.streamClosed;
    await t.platform.ledger.flush();
    const row = (await t.platform.ledger.list(appId, 5)).find((r) => r.resource === 'endless-stream');
    assert.equal(row?.status, 'CANCELLED');
  });

  it('embeds: float and base64 (the SDK\'s default) agree, one upstream request and one ledger row for the batch', async () => {
    const before = upstream.requests.length;
    const floats = await openai.embeddings.create({ model: 'embedder', input: ['one', 'two'], encoding_format: 'float' });
    assert.deepEqual(upstream.requests.slice(before).map((r) => r.body.input), [['one', 'two']], 'the batch went upstream as one request');
    assert.equal(floats.object, 'list');
    assert.deepEqual(floats.data.map((d) => [d.index, d.embedding]), [[0, [3, 4, 0]], [1, [3, 4, 0]]]);
    assert.deepEqual(floats.usage, { prompt_tokens: 10, total_tokens: 10 });
    const decoded = await openai.embeddings.create({ model: 'embedder', input: 'one' });
    assert.deepEqual(decoded.data[0]!.embedding, [3, 4, 0]);
    await t.platform.ledger.flush();
    const rows = (await t.platform.ledger.list(appId, 2)).filter((r) => r.operation === 'openai.embed');
    assert.equal(rows.length, 2);
  });

  it('lists the models, text and embedding, in OpenAI\'s shape', async () => {
    const ids = [];
    for await (const model of openai.models.list()) {
      assert.equal(model.object, 'model');
      ids.push(model.id);
    }
    assert.ok(ids.includes('echo') && ids.includes('embedder'));
  });

  it('raises OpenAI\'s errors: an unsupported parameter names it, an unknown model, an upstream failure', async () => {
    await assert.rejects(
      openai.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] }),
      (error: InstanceType<typeof OpenAI.BadRequestError>) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.equal(error.param, 'tools');
        assert.equal(error.code, 'unsupported_parameter');
        assert.equal(error.type, 'invalid_request_error');
        return true;
      },
    );
    await assert.rejects(openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }), (error: InstanceType<typeof OpenAI.APIError>) => {
      assert.equal(error.status, 400);
      assert.equal(error.code, 'unknown_model');
      assert.equal(error.param, 'model');
      return true;
    });
    await assert.rejects(openai.chat.completions.create({ model: 'echo', n: 2, messages: [{ role: 'user', content: 'x' }] }), (error: InstanceType<typeof OpenAI.APIError>) => {
      assert.equal(error.status, 400);
      assert.equal(error.param, 'n');
      return true;
    });
    await assert.rejects(openai.chat.completions.create({ model: 'fail-500', messages: [{ role: 'user', content: 'x' }] }), (error: InstanceType<typeof OpenAI.APIError>) => {
      assert.ok(error.status! >= 500);
      assert.equal(error.type, 'api_error');
      assert.doesNotMatch(JSON.stringify(error.error), /upstream-internal-detail|sk-should-never-leak/);
      return true;
    });
  });
});
