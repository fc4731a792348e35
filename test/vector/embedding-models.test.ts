// Which model a new index gets: the one asked for, else VECTOR_EMBEDDING_MODEL, else the first
// embedding model the platform offers, the offline local one first; its dimension from the catalogue.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ProblemError } from '../../handlers/platform/problems.ts';
import type { GatewayModel, ModelGateway } from '../../handlers/platform/capabilities/models.ts';
import { resolveEmbeddingModel } from '../../handlers/vector/embedding-models.ts';

const gateway = (models: GatewayModel[]) => ({ list: () => models }) as unknown as ModelGateway;
const TITAN: GatewayModel = { name: 'TITAN_EMBED_V2', kind: 'embed', provider: 'bedrock', contextWindow: 8192, dimensions: 1024 };
const LOCAL: GatewayModel = { name: 'LOCAL_USE_LITE_512', kind: 'embed', provider: 'local', contextWindow: 512, dimensions: 512 };
const CHAT: GatewayModel = { name: 'CLAUDE', kind: 'text', provider: 'bedrock', contextWindow: 200_000 };

const problem = (code: string) => (error: unknown) => error instanceof ProblemError && error.code === code && error.options.errors?.[0]?.path === 'body.embedding_model';

it('prefers the local embedder, else the first embedding model', () => {
  assert.deepEqual(resolveEmbeddingModel(gateway([CHAT, TITAN, LOCAL]), undefined, undefined), { name: 'LOCAL_USE_LITE_512', dimension: 512 });
  assert.deepEqual(resolveEmbeddingModel(gateway([CHAT, TITAN]), undefined, undefined), { name: 'TITAN_EMBED_V2', dimension: 1024 });
});

it('takes VECTOR_EMBEDDING_MODEL over the default, and the requested model over both', () => {
  assert.equal(resolveEmbeddingModel(gateway([LOCAL, TITAN]), 'TITAN_EMBED_V2', undefined).name, 'TITAN_EMBED_V2');
  assert.equal(resolveEmbeddingModel(gateway([LOCAL, TITAN]), 'TITAN_EMBED_V2', 'LOCAL_USE_LITE_512').name, 'LOCAL_USE_LITE_512');
});

it('refuses an unknown model, a text model, a model without dimensions, and a platform without embedders', () => {
  assert.throws(() => resolveEmbeddingModel(gateway([LOCAL]), undefined, 'NOPE'), problem('UNKNOWN_MODEL'));
  assert.throws(() => resolveEmbeddingModel(gateway([LOCAL, CHAT]), undefined, 'CLAUDE'), problem('WRONG_MODEL_KIND'));
  assert.throws(() => resolveEmbeddingModel(gateway([{ ...TITAN, dimensions: undefined }]), undefined, undefined), problem('WRONG_MODEL_KIND'));
  assert.throws(() => resolveEmbeddingModel(gateway([CHAT]), undefined, undefined), problem('UNKNOWN_MODEL'));
});
