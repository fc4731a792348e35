// Which model a new index gets: the one asked for, else VECTOR_EMBEDDING_MODEL, else the first
// embedding model the platform offers, the offline local one first; its dimension from the
// catalogue, or measured with one embedding when the model declares none (OpenAI-compatible ones).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ProblemError } from '../../handlers/platform/problems.ts';
import type { GatewayEmbedRequest, GatewayModel, ModelCallContext, ModelGateway } from '../../handlers/platform/capabilities/models.ts';
import { resolveEmbeddingModel } from '../../handlers/vector/embedding-models.ts';

const TITAN: GatewayModel = { name: 'TITAN_EMBED_V2', kind: 'embed', provider: 'bedrock', contextWindow: 8192, dimensions: 1024 };
const LOCAL: GatewayModel = { name: 'LOCAL_USE_LITE_512', kind: 'embed', provider: 'local', contextWindow: 512, dimensions: 512 };
const CHAT: GatewayModel = { name: 'CLAUDE', kind: 'text', provider: 'bedrock', contextWindow: 200_000 };
const NOMIC: GatewayModel = { name: 'nomic-embed-text', kind: 'embed', provider: 'openai', contextWindow: 8192 };
const CONTEXT = { appId: 'app-1', requestId: 'req-1', via: 'vector' } as ModelCallContext;

function gateway(models: GatewayModel[]) {
  const calls: { context: ModelCallContext; request: GatewayEmbedRequest }[] = [];
  const api = {
    list: () => models,
    embed: async (context: ModelCallContext, request: GatewayEmbedRequest) => {
      calls.push({ context, request });
      return { model: request.model, embeddings: [new Array<number>(768).fill(0.1)], inputTokens: 1 };
    },
  } as unknown as ModelGateway;
  return { models: api, calls };
}
const resolve = (models: GatewayModel[], configured?: string, requested?: string) => resolveEmbeddingModel(gateway(models).models, configured, requested, CONTEXT);
const problem = (code: string) => (error: unknown) => error instanceof ProblemError && error.code === code && error.options.errors?.[0]?.path === 'body.embedding_model';

it('prefers the local embedder, else the first embedding model', async () => {
  assert.deepEqual(await resolve([CHAT, TITAN, LOCAL]), { name: 'LOCAL_USE_LITE_512', dimension: 512 });
  assert.deepEqual(await resolve([CHAT, TITAN]), { name: 'TITAN_EMBED_V2', dimension: 1024 });
});

it('takes VECTOR_EMBEDDING_MODEL over the default, and the requested model over both', async () => {
  assert.equal((await resolve([LOCAL, TITAN], 'TITAN_EMBED_V2')).name, 'TITAN_EMBED_V2');
  assert.equal((await resolve([LOCAL, TITAN], 'TITAN_EMBED_V2', 'LOCAL_USE_LITE_512')).name, 'LOCAL_USE_LITE_512');
});

it('measures the dimension of a model that declares none with one embedding on the caller\'s behalf', async () => {
  const { models, calls } = gateway([LOCAL, NOMIC]);
  assert.deepEqual(await resolveEmbeddingModel(models, undefined, 'nomic-embed-text', CONTEXT), { name: 'nomic-embed-text', dimension: 768 });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]!.context, CONTEXT);
  assert.equal(calls[0]!.request.model, 'nomic-embed-text');
  await resolveEmbeddingModel(models, undefined, undefined, CONTEXT);
  assert.equal(calls.length, 1, 'a model with declared dimensions is not called');
});

it('refuses an unknown model, a text model, and a platform without embedders', async () => {
  await assert.rejects(resolve([LOCAL], undefined, 'NOPE'), problem('UNKNOWN_MODEL'));
  await assert.rejects(resolve([LOCAL, CHAT], undefined, 'CLAUDE'), problem('WRONG_MODEL_KIND'));
  await assert.rejects(resolve([CHAT]), problem('UNKNOWN_MODEL'));
});
