// The OpenSearch Serverless adapter against a loopback server that records and answers the
// data-plane requests: the shared contract, then the request shapes themselves, as OpenSearch's
// documentation gives them (k-NN plugin mapping and query with `filter`, _bulk, _msearch) and
// as AOSS needs them (SigV4 for service `aoss`, no document ids).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openSearchVectorIndex } from '../../handlers/vector/index/opensearch/opensearch-vector-index.ts';
import { inMemoryLiveGenerations } from '../../handlers/vector/index/opensearch/live-generations.ts';
import { VectorIndexError, type VectorIndex } from '../../handlers/vector/index/ports.ts';
import { near, record, vectorIndexContract } from '../adapters/vector-index-contract.ts';
import { startFakeOpenSearch, type FakeOpenSearch } from './fake-opensearch.ts';

const credentials = async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'token' });

function open(fake: FakeOpenSearch): VectorIndex {
  return openSearchVectorIndex({ endpointOf: async () => fake.url, region: 'eu-west-1', credentials, live: inMemoryLiveGenerations() });
}

vectorIndexContract('OpenSearch Serverless (loopback server)', async () => {
  const fake = await startFakeOpenSearch();
  const index = open(fake);
  return {
    index,
    async close() {
      await index.close();
      await fake.close();
    },
  };
});

describe('OpenSearch adapter: request shapes', () => {
  let fake: FakeOpenSearch;
  let vi: VectorIndex;
  before(async () => {
    fake = await startFakeOpenSearch();
    vi = open(fake);
    await vi.createIndex({ indexId: 'shapes', dimension: 8, space: 'cosine', embeddingModel: 'amazon.titan-embed-text-v2:0' });
    await vi.upsert('shapes', [0, 1].map((n) => record('shapes', 'a.pdf', 'g1', n)));
    await vi.publish('shapes', 'a.pdf', 'g1');
  });
  after(async () => {
    await vi.close();
    await fake.close();
  });
  const last = (path: string) => fake.requests.filter((r) => r.path.startsWith(path)).at(-1)!;

  it('signs every request with SigV4 for the aoss service', () => {
    for (const request of fake.requests) {
      assert.match(String(request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/aoss\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
      assert.equal(request.headers['x-amz-security-token'], 'token');
      assert.match(String(request.headers['x-amz-content-sha256']), /^[0-9a-f]{64}$/, 'AOSS requires the payload hash header');
    }
  });

  it('creates the index with an explicit knn_vector mapping (faiss HNSW, space, dimension) and a text field', () => {
    const create = fake.requests.find((r) => r.method === 'PUT' && r.path === '/shapes')!;
    assert.deepEqual((create.body as any).settings, { index: { knn: true } });
    const { properties, _meta } = (create.body as any).mappings;
    assert.deepEqual(properties.vector, {
      type: 'knn_vector', dimension: 8,
      method: { name: 'hnsw', engine: 'faiss', space_type: 'cosinesimil', parameters: { m: 16, ef_construction: 128 } },
    });
    assert.deepEqual(properties.text, { type: 'text' });
    assert.equal(properties.file_generation.type, 'keyword');
    assert.deepEqual(_meta, { embedding_model: 'amazon.titan-embed-text-v2:0', space: 'cosine', dimension: 8 });
  });

  it('bulk-indexes documents without ids (vector-search collections assign them), as NDJSON action/source pairs', () => {
    const bulk = last('/_bulk');
    assert.equal(bulk.method, 'POST');
    assert.match(String(bulk.headers['content-type']), /application\/(x-)?ndjson|application\/json/);
    const lines = bulk.body as any[];
    assert.deepEqual(lines[0], { index: { _index: 'shapes' } });
    assert.equal(lines[1].chunk_id, 'a.pdf#0');
    assert.equal(lines[1].file_generation, 'a.pdf\u001fg1');
    assert.equal(lines[1].vector.length, 8);
    assert.equal(lines.length, 4);
  });

  it('searches with the k-NN query, its efficient filter holding the live generations and the caller filters', async () => {
    await vi.search('shapes', { mode: 'vector', vector: near(0), k: 3, min_score: 0.2, filters: { file_name: 'a.pdf', page_from: 1 } });
    const { path, body } = last('/shapes/_search');
    assert.equal(path, '/shapes/_search');
    assert.deepEqual(body, {
      size: 3, _source: { excludes: ['vector'] }, min_score: 0.2,
      query: { knn: { vector: { vector: near(0), k: 3, filter: { bool: { filter: [
        { terms: { file_generation: ['a.pdf\u001fg1'] } },
        { terms: { file_name: ['a.pdf'] } },
        { range: { page_end: { gte: 1 } } },
      ] } } } } },
    });
  });

  it('sends hybrid as one _msearch of a k-NN and a BM25 match query, fused by rank in the adapter', async () => {
    const hits = await vi.search('shapes', { mode: 'hybrid', vector: near(1), text: 'chunk', k: 2 });
    assert.equal(hits.length, 2);
    const lines = last('/_msearch').body as any[];
    assert.deepEqual(lines[0], { index: 'shapes' });
    assert.ok(lines[1].query.knn.vector.k >= 2);
    assert.deepEqual(lines[2], { index: 'shapes' });
    assert.deepEqual(lines[3].query.bool.must, [{ match: { text: { query: 'chunk' } } }]);
  });

  it('deletes a replaced generation by query on its file_generation key', async () => {
    await vi.upsert('shapes', [record('shapes', 'a.pdf', 'g2', 0)]);
    assert.deepEqual(await vi.publish('shapes', 'a.pdf', 'g2'), { removed: 2 });
    const { body } = last('/shapes/_delete_by_query');
    assert.deepEqual(body, { query: { bool: { filter: [{ term: { file_generation: 'a.pdf\u001fg1' } }] } } });
  });
});

// AOSS makes writes searchable after its refresh interval: the fake hides each written document for
// a few requests, and publish must not make a generation live before all of it is searchable.
describe('OpenSearch adapter: publish waits until a generation is searchable', () => {
  let fake: FakeOpenSearch;
  let vi: VectorIndex;
  before(async () => {
    fake = await startFakeOpenSearch();
    vi = openSearchVectorIndex({
      endpointOf: async () => fake.url, region: 'eu-west-1', credentials, live: inMemoryLiveGenerations(),
      searchableWait: { timeoutMs: 300, firstPollMs: 1, maxPollMs: 20 },
    });
  });
  after(async () => {
    await vi.close();
    await fake.close();
  });
  const newIndex = async () => {
    const indexId = `late-${fake.indexes.size}`;
    await vi.createIndex({ indexId, dimension: 8, space: 'cosine', embeddingModel: 'm' });
    return indexId;
  };
  const counts = () => fake.requests.filter((r) => r.path.endsWith('/_count'));

  it('counts the generation\'s documents until all are searchable, then publishes all of them', async () => {
    const indexId = await newIndex();
    fake.visibleAfterRequests = 4;
    await vi.upsert(indexId, [0, 1, 2].map((n) => record(indexId, 'late.pdf', 'g1', n)));
    const before = counts().length;
    await vi.publish(indexId, 'late.pdf', 'g1', { expected: 3 });
    const polls = counts().slice(before);
    assert.ok(polls.length >= 2, 'the first count saw fewer than 3 and was repeated');
    assert.deepEqual(polls[0]!.body, { query: { bool: { filter: [{ term: { file_generation: 'late.pdf\u001fg1' } }] } } });
    assert.equal(polls[0]!.method, 'POST');
    const hits = await vi.search(indexId, { mode: 'vector', vector: near(0), k: 10 });
    assert.equal(hits.length, 3, 'a search right after publish sees every chunk');
  });

  it('without `expected`, waits for every distinct record it upserted into the generation (the worker\'s way)', async () => {
    const indexId = await newIndex();
    fake.visibleAfterRequests = 6;
    await vi.upsert(indexId, [0, 1].map((n) => record(indexId, 'own.pdf', 'g1', n)));
    await vi.upsert(indexId, [1, 2].map((n) => record(indexId, 'own.pdf', 'g1', n))); // chunk 1 rewritten: 3 distinct
    const before = counts().length;
    await vi.publish(indexId, 'own.pdf', 'g1');
    assert.ok(counts().length - before >= 2, 'it counted until all were searchable');
    assert.equal((await vi.search(indexId, { mode: 'vector', vector: near(0), k: 10 })).length, 3);
  });

  it('refuses to publish a generation still not all searchable at the deadline, and the old one stays live', async () => {
    const indexId = await newIndex();
    fake.visibleAfterRequests = 0;
    await vi.upsert(indexId, [0, 1].map((n) => record(indexId, 'slow.pdf', 'g1', n)));
    await vi.publish(indexId, 'slow.pdf', 'g1', { expected: 2 });
    fake.visibleAfterRequests = 1_000_000;
    await vi.upsert(indexId, [0, 1].map((n) => record(indexId, 'slow.pdf', 'g2', n)));
    await assert.rejects(vi.publish(indexId, 'slow.pdf', 'g2', { expected: 2 }), (error: unknown) =>
      error instanceof VectorIndexError && error.reason === 'BACKEND_UNAVAILABLE' && /0 of 2 documents searchable/.test(error.message));
    const hits = await vi.search(indexId, { mode: 'vector', vector: near(0), k: 10 });
    assert.deepEqual(hits.map((hit) => hit.generation), ['g1', 'g1']);
  });
});
