// LangChain.js against the platform's /v1 surface, configured as its documentation tells a user
// to point it at an OpenAI-compatible server (only `configuration.baseURL` and `apiKey` change):
// a chat call, a streamed one, a chat turned into a runnable chain, and embeddings. LangChain sends
// what the plain `openai` client does not (stream_options, n, its own defaults), so this is the
// request shape of the framework most RAG applications are written in.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { listen, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { createApiKey } from '../helpers/api-keys.ts';

let t: TestPlatform;
let upstream: FakeOpenAi;
let server: { baseUrl: string; close(): Promise<void> };
let apiKey: string;
let appId: string;

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo,embedder:embed' });
  server = await listen(t.platform.handler);
  const app = await t.onboardApp('langchain-app');
  appId = app.app_id;
  apiKey = (await createApiKey(t, appId)).api_key;
});
after(async () => {
  await server.close();
  await t.close();
  await upstream.close();
});

const configuration = () => ({ baseURL: `${server.baseUrl}/v1` });

it('invokes ChatOpenAI, with the call metered for the app', async () => {
  const chat = new ChatOpenAI({ model: 'echo', apiKey, configuration: configuration(), maxRetries: 0, temperature: 0.2, maxTokens: 40 });
  const answer = await chat.invoke([['system', 'Be brief.'], ['human', 'hello']]);
  assert.equal(answer.content, 'echo: hello');
  assert.equal(answer.usage_metadata?.input_tokens, 11);
  assert.equal(answer.usage_metadata?.output_tokens, 7);
  await t.platform.ledger.flush();
  const [row] = await t.platform.ledger.list(appId, 1);
  assert.equal(row!.operation, 'openai.chat');
});

it('streams ChatOpenAI token by token, with usage at the end', async () => {
  const chat = new ChatOpenAI({ model: 'echo', apiKey, configuration: configuration(), maxRetries: 0, streaming: true });
  let text = '';
  let chunks = 0;
  let usage: { input_tokens: number; output_tokens: number } | undefined;
  for await (const chunk of await chat.stream('streamed hello')) {
    text += String(chunk.content);
    chunks++;
    usage = chunk.usage_metadata ?? usage;
  }
  assert.equal(text, 'echo: streamed hello');
  assert.ok(chunks > 1, 'several chunks');
  assert.ok(usage && usage.input_tokens > 0 && usage.output_tokens > 0, 'LangChain asks for stream usage and gets it');
});

it('runs a prompt | model | parser chain', async () => {
  const chain = ChatPromptTemplate.fromMessages([['human', 'Capital of {country}?']])
    .pipe(new ChatOpenAI({ model: 'echo', apiKey, configuration: configuration(), maxRetries: 0 }))
    .pipe(new StringOutputParser());
  assert.equal(await chain.invoke({ country: 'France' }), 'echo: Capital of France?');
});

it('embeds documents and a query with OpenAIEmbeddings', async () => {
  const embeddings = new OpenAIEmbeddings({ model: 'embedder', apiKey, configuration: configuration(), maxRetries: 0 });
  const before = upstream.requests.length;
  const vectors = await embeddings.embedDocuments(['first text', 'second text', 'third text']);
  const query = await embeddings.embedQuery('a question');
  // The fake upstream answers [3, 4, 0] for any text: what is checked is that every text went through.
  assert.deepEqual([...vectors, query], [[3, 4, 0], [3, 4, 0], [3, 4, 0], [3, 4, 0]]);
  const sent = upstream.requests.slice(before).filter((r) => r.path.endsWith('/embeddings')).flatMap((r) => [r.body.input].flat());
  assert.deepEqual(sent, ['first text', 'second text', 'third text', 'a question']);
});

it('surfaces the platform\'s refusal as LangChain\'s error', async () => {
  const chat = new ChatOpenAI({ model: 'echo', apiKey: 'gaf_sk_not-a-key', configuration: configuration(), maxRetries: 0 });
  await assert.rejects(chat.invoke('hello'), (error: Error & { status?: number }) => {
    assert.equal(error.status, 401);
    return true;
  });
});
