// The OpenSearch Serverless backend: the store lifecycle on the control plane (aws-sdk-client-mock)
// and the indexes on the data plane (the loopback fake), joined through the catalogue (index →
// store) and AOSS (store → collection endpoint).
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetCollectionCommand, CreateAccessPolicyCommand, CreateCollectionCommand, CreateSecurityPolicyCommand, DeleteAccessPolicyCommand,
  DeleteCollectionCommand, DeleteSecurityPolicyCommand, OpenSearchServerlessClient,
} from '@aws-sdk/client-opensearchserverless';
import { createOpenSearchBackend } from '../../handlers/vector/backends/opensearch-backend.ts';
import { inMemoryLiveGenerations } from '../../handlers/vector/index/opensearch/live-generations.ts';
import { VectorIndexError } from '../../handlers/vector/index/ports.ts';
import type { VectorBackend } from '../../handlers/vector/backend.ts';
import type { VectorStoreRecord } from '../../handlers/vector/catalog/ports.ts';
import { near, record } from '../adapters/vector-index-contract.ts';
import { startFakeOpenSearch, type FakeOpenSearch } from './fake-opensearch.ts';

const aoss = mockClient(OpenSearchServerlessClient);
const config = {
  kind: 'opensearchserverless' as const, region: 'eu-west-1', prefix: 'gaf', vpcEndpointId: 'vpce-0abc',
  principals: ['arn:aws:iam::111122223333:role/gaf-vector', 'arn:aws:iam::111122223333:role/gaf-vector-worker'],
};
const credentials = async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' });
const store = (storeId: string): VectorStoreRecord => ({
  appId: 'app-1', storeId, storeName: 'kb', storeType: 'opensearchserverless', backend: 'opensearchserverless', backendName: '',
  description: 'knowledge base', tags: [{ key: 'team', value: 'rag' }], createdAt: '2026-12-01T00:00:00.000Z',
});
const rejectsWith = (reason: VectorIndexError['reason']) => (error: unknown) => error instanceof VectorIndexError && error.reason === reason;

describe('OpenSearch Serverless backend', () => {
  let fake: FakeOpenSearch;
  let backend: VectorBackend;
  const located = new Map([['ix-1', 'store-1'], ['ix-2', 'store-2']]);
  let collectionStatus: Record<string, 'CREATING' | 'ACTIVE'>;
  before(async () => {
    fake = await startFakeOpenSearch();
    backend = createOpenSearchBackend(config, {
      catalog: { locateIndex: async (indexId) => (located.has(indexId) ? { appId: 'app-1', storeId: located.get(indexId)! } : undefined) },
      live: inMemoryLiveGenerations(), aoss: new OpenSearchServerlessClient({ region: 'eu-west-1' }), credentials,
    });
  });
  after(async () => {
    await backend.close();
    await fake.close();
  });
  beforeEach(() => {
    aoss.reset();
    collectionStatus = { 'store-1': 'ACTIVE', 'store-2': 'CREATING' };
    aoss.on(BatchGetCollectionCommand).callsFake(({ names }: { names: string[] }) => ({
      collectionDetails: Object.entries(collectionStatus).filter(([id]) => names.includes(backend.backendNameOf(id))).map(([id, status]) => ({
        id: `col-${id}`, name: backend.backendNameOf(id), status, ...(status === 'ACTIVE' && { collectionEndpoint: fake.url }),
      })),
    }));
  });

  it('names a store\'s collection under the platform prefix', () => {
    assert.match(backend.backendNameOf('store-1'), /^gaf-[a-z2-7]{16}$/);
    assert.equal(backend.kind, 'opensearchserverless');
  });

  it('provisions a store: its three policies, then a VECTORSEARCH collection with the store\'s description and tags', async () => {
    aoss.on(CreateSecurityPolicyCommand).resolves({});
    aoss.on(CreateAccessPolicyCommand).resolves({});
    aoss.on(CreateCollectionCommand).resolves({ createCollectionDetail: { id: 'col-9', status: 'CREATING' } });
    await backend.provisionStore(store('store-9'));
    const name = backend.backendNameOf('store-9');
    const created = aoss.commandCalls(CreateCollectionCommand)[0]!.args[0].input;
    assert.deepEqual(created, { name, type: 'VECTORSEARCH', standbyReplicas: 'DISABLED', description: 'knowledge base', tags: [{ key: 'team', value: 'rag' }] });
    const access = JSON.parse(aoss.commandCalls(CreateAccessPolicyCommand)[0]!.args[0].input.policy!);
    assert.deepEqual(access[0].Principal, config.principals, 'both task roles get data access');
    const network = JSON.parse(aoss.commandCalls(CreateSecurityPolicyCommand)[1]!.args[0].input.policy!);
    assert.deepEqual(network[0].SourceVPCEs, ['vpce-0abc']);
  });

  it('reports a store\'s status from AOSS, NOT_FOUND when the collection is gone', async () => {
    assert.equal(await backend.status(store('store-1')), 'ACTIVE');
    assert.equal(await backend.status(store('store-2')), 'CREATING');
    assert.equal(await backend.status(store('store-gone')), 'NOT_FOUND');
  });

  it('serves an index from its store\'s collection endpoint, looked up once', async () => {
    await backend.index.createIndex({ indexId: 'ix-1', dimension: 8, space: 'cosine', embeddingModel: 'm' });
    await backend.index.upsert('ix-1', [0, 1].map((n) => record('ix-1', 'a.pdf', 'g1', n)));
    await backend.index.publish('ix-1', 'a.pdf', 'g1', { expected: 2 });
    const hits = await backend.index.search('ix-1', { mode: 'vector', vector: near(1), k: 1 });
    assert.deepEqual(hits.map((h) => h.chunk_id), ['a.pdf#1']);
    assert.ok(fake.indexes.has('ix-1'));
    assert.ok(aoss.commandCalls(BatchGetCollectionCommand).length <= 1, 'the endpoint is cached');
  });

  it('refuses index work while the store\'s collection is not ACTIVE, and serves it once it is', async () => {
    await assert.rejects(backend.index.createIndex({ indexId: 'ix-2', dimension: 8, space: 'cosine', embeddingModel: 'm' }), rejectsWith('BACKEND_UNAVAILABLE'));
    collectionStatus['store-2'] = 'ACTIVE';
    await backend.index.createIndex({ indexId: 'ix-2', dimension: 8, space: 'cosine', embeddingModel: 'm' });
    assert.ok(fake.indexes.has('ix-2'));
  });

  it('answers INDEX_NOT_FOUND for an index the catalogue does not know', async () => {
    await assert.rejects(backend.index.search('ix-unknown', { mode: 'text', text: 'x', k: 1 }), rejectsWith('INDEX_NOT_FOUND'));
  });

  it('removes a store: its collection and its three policies, and forgets its endpoint', async () => {
    aoss.on(DeleteCollectionCommand).resolves({});
    aoss.on(DeleteAccessPolicyCommand).resolves({});
    aoss.on(DeleteSecurityPolicyCommand).resolves({});
    await backend.removeStore(store('store-1'));
    const name = backend.backendNameOf('store-1');
    assert.deepEqual(aoss.commandCalls(DeleteCollectionCommand).map((c) => c.args[0].input), [{ id: 'col-store-1' }]);
    assert.deepEqual(aoss.commandCalls(DeleteAccessPolicyCommand).map((c) => c.args[0].input), [{ type: 'data', name: `${name}-dat` }]);
    assert.deepEqual(aoss.commandCalls(DeleteSecurityPolicyCommand).map((c) => c.args[0].input.name), [`${name}-net`, `${name}-enc`]);
    delete collectionStatus['store-1'];
    await assert.rejects(backend.index.search('ix-1', { mode: 'text', text: 'x', k: 1 }), rejectsWith('BACKEND_UNAVAILABLE'));
  });
});
