// Bedrock through the whole platform, with aws-sdk-client-mock playing the Bedrock runtime.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const bedrock = mockClient(BedrockRuntimeClient);
let t: TestPlatform;
let authorization: string;

before(async () => {
  t = await startTestPlatform({ AWS_REGION: 'eu-west-1', MODEL_MAX_RETRIES: '1', MODEL_STREAM_IDLE_TIMEOUT_MS: '200' });
  authorization = (await t.appAuth('bedrock-app')).authorization;
});
afterEach(() => bedrock.reset());
after(async () => {
  bedrock.restore();
  await t.close();
});

const post = (path: string, body: object) => t.http.post(path).set('authorization', authorization).send(body);
const encode = (value: object) => new TextEncoder().encode(JSON.stringify(value));

describe('Bedrock provider', () => {
  it('invokes through Converse with system prompts, 0-valued parameters and top_k for Anthropic', async () => {
    bedrock.on(ConverseCommand).resolves({
      output: { message: { role: 'assistant', content: [{ text: 'Paris' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 14, outputTokens: 2, totalTokens: 16 },
      metrics: { latencyMs: 1 },
    });
    const res = await post('/model/invoke', {
      model_name: 'ANTHROPIC_CLAUDE_3_HAIKU_V1', prompt: 'Capital of France?', system_prompts: [{ text: 'One word.' }],
      temperature: 0, top_p: 0, top_k: 0, max_tokens: 10,
    }).expect(200);
    assert.deepEqual(res.body, { output_text: 'Paris', input_tokens: 14, output_tokens: 2, model_name: 'ANTHROPIC_CLAUDE_3_HAIKU_V1', finish_reason: 'stop' });
    const input = bedrock.commandCalls(ConverseCommand)[0]!.args[0].input;
    assert.deepEqual(input, {
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }],
      system: [{ text: 'One word.' }],
      inferenceConfig: { maxTokens: 10, temperature: 0, topP: 0 },
      additionalModelRequestFields: { top_k: 0 },
    });
  });

  it('calls a model that needs an inference profile through the profile of the region\'s geography', async () => {
    bedrock.on(ConverseCommand).resolves({
      output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 1 },
    });
    await post('/model/invoke', { model_name: 'ANTHROPIC_CLAUDE_3_7_SONNET_V1', prompt: 'x' }).expect(200);
    assert.equal(bedrock.commandCalls(ConverseCommand)[0]!.args[0].input.modelId, 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0');
    const listed = (await t.http.get('/model/list_models').set('authorization', authorization).expect(200)).body.text_models;
    const claude = listed.find((m: { model_name: string }) => m.model_name === 'ANTHROPIC_CLAUDE_3_7_SONNET_V1');
    assert.equal(claude.invocation_id, 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0');
    assert.equal(listed.find((m: { model_name: string }) => m.model_name === 'ANTHROPIC_CLAUDE_V2').deprecated, true);
  });

  it('streams through ConverseStream', async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: (async function* () {
        yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Pa' } } };
        yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'ris' } } };
        yield { messageStop: { stopReason: 'max_tokens' } };
        yield { metadata: { usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 }, metrics: { latencyMs: 1 } } };
      })() as never,
    });
    const res = await post('/model/invoke_stream', { model_name: 'AMAZON_NOVA_MICRO_V1', prompt: 'x' }).expect(200);
    assert.match(res.text, /event: delta\ndata: {"text":"Pa"}/);
    assert.match(res.text, /event: done\ndata: {"input_tokens":9,"output_tokens":2,"finish_reason":"length","model_name":"AMAZON_NOVA_MICRO_V1"}/);
  });

  it('ends a stream that stalls at the idle timeout, even if the stream ignores its abort signal', async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: (async function* () {
        yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Pa' } } };
        await new Promise((resolve) => setTimeout(resolve, 2000));
      })() as never,
    });
    const res = await post('/model/invoke_stream', { model_name: 'AMAZON_NOVA_MICRO_V1', prompt: 'x' }).expect(200);
    assert.match(res.text, /event: delta\ndata: {"text":"Pa"}\n\nevent: error\ndata: {[^\n]*"code":"UPSTREAM_TIMEOUT"/);
    assert.match(res.text, /sent no token for 0\.2 s/);
  });

  it('embeds with Titan V2, passing dimensions and normalize', async () => {
    bedrock.on(InvokeModelCommand).resolves({ body: encode({ embedding: [0.1, 0.2], inputTextTokenCount: 4 }) as never, contentType: 'application/json' });
    const res = await post('/model/embed', { model_name: 'TITAN_TEXT_EMBED_V2', input_text: 'hello', dimensions: 256, normalize: false }).expect(200);
    assert.deepEqual(res.body, { embedding: [0.1, 0.2], input_tokens: 4, model_name: 'TITAN_TEXT_EMBED_V2', dimensions: 2 });
    const sent = bedrock.commandCalls(InvokeModelCommand)[0]!.args[0].input;
    assert.equal(sent.modelId, 'amazon.titan-embed-text-v2:0');
    assert.deepEqual(JSON.parse(String(sent.body)), { inputText: 'hello', dimensions: 256, normalize: false });
  });

  it('embeds with Cohere, passing the input type', async () => {
    bedrock.on(InvokeModelCommand).resolves({ body: encode({ embeddings: [[0.5, 0.5]] }) as never, contentType: 'application/json' });
    await post('/model/embed', { model_name: 'COHERE_EMBED_ENGLISH_V3', input_text: 'q', input_type: 'search_query' }).expect(200);
    assert.deepEqual(JSON.parse(String(bedrock.commandCalls(InvokeModelCommand)[0]!.args[0].input.body)), { texts: ['q'], input_type: 'search_query', truncate: 'END' });
  });

  it('passes a raw body to InvokeModel and reads the usage from the native answer', async () => {
    bedrock.on(InvokeModelCommand).resolves({
      body: encode({ content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: 3, output_tokens: 1 } }) as never,
      contentType: 'application/json',
    });
    const raw = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
    const res = await post('/model/invoke_with_raw_input', { model_id: 'anthropic.claude-3-haiku-20240307-v1:0', raw_input: raw }).expect(200);
    assert.equal(res.body.model_name, 'ANTHROPIC_CLAUDE_3_HAIKU_V1');
    assert.deepEqual([res.body.input_tokens, res.body.output_tokens], [3, 1]);
    assert.deepEqual(JSON.parse(String(bedrock.commandCalls(InvokeModelCommand)[0]!.args[0].input.body)), raw);
  });

  it('retries throttling, then answers 429 without the exception text', async () => {
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ message: 'Rate exceeded for account 123456789012', $metadata: {} }));
    const res = await post('/model/invoke', { model_name: 'ANTHROPIC_CLAUDE_3_HAIKU_V1', prompt: 'x' });
    expectProblem(res, 429, 'UPSTREAM_THROTTLED');
    assert.equal(bedrock.commandCalls(ConverseCommand).length, 2, 'one call and one retry');
    assert.doesNotMatch(res.text, /123456789012/);
  });

  it('lists the Bedrock models once a region is configured, the seed names included', async () => {
    const res = await t.http.get('/model/list_models').set('authorization', authorization).expect(200);
    const names = res.body.text_models.map((m: { model_name: string }) => m.model_name);
    for (const seedName of ['TITAN_TEXT_PREMIER_V1', 'ANTHROPIC_CLAUDE_V2:1', 'MISTRAL_LARGE_V1:0', 'META_LLAMA3_70B_INSTRUCT_V1']) assert.ok(names.includes(seedName), seedName);
    assert.equal(res.body.text_models.length + res.body.embed_models.length, 35);
  });
});
