// The vector service's store, index, search and health operations, one describe block each: the
// answer's status and fields (the AWS sample's shapes kept), each documented problem, another
// application's ids (404), and the AWS sample clients' exact requests over raw HTTP. Search runs
// over records written straight into the platform's backend (vectors made here, no embeddings),
// plus one search embedded for real by the offline local model. The vectorisation job operations
// are tested in test/vector/vectorisation-jobs.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { expectProblem } from '../helpers/platform.ts';
import { axisVector, putChunks, startVectorPlatform, type VectorTestPlatform } from '../helpers/vector-platform.ts';
import { headingPathExtra } from '../../handlers/vector/chunk-metadata.ts';
import type { UsageEvent } from '../../handlers/platform/usage/usage-ledger.ts';

const DIM = 512; // LOCAL_USE_LITE_512, the default embedding model
let t: VectorTestPlatform;
let auth: string;
let appId: string;
let other: string;
/** A store and an index of the first app holding CHUNKS. */
let storeId: string;
let indexId: string;

const post = (path: string, body?: unknown, as = auth) => {
  const req = t.http.post(path).set('authorization', as);
  return body === undefined ? req : req.send(body as object);
};
const get = (path: string, as = auth) => t.http.get(path).set('authorization', as);
const del = (path: string, as = auth) => t.http.delete(path).set('authorization', as);

async function newStore(name = 'SolarSystem', as = auth): Promise<string> {
  return (await post('/vector/store/create', { store_name: name, store_type: 'default' }, as).expect(200)).body.store_id;
}
async function newIndex(store: string, name: string, extra: Record<string, unknown> = {}, as = auth) {
  return (await post('/vector/store/index/create', { store_id: store, index_name: name, ...extra }, as).expect(200)).body;
}

// Chunks along distinct axes: a query along axis a finds the chunk on a first, then its neighbour.
const CHUNKS = [
  { file: 'planets.pdf', n: 0, page: 1, text: 'Mercury is the closest planet to the Sun.', extra: { lang: 'en', ...headingPathExtra(['Planets', 'Mercury']) } },
  { file: 'planets.pdf', n: 1, page: 2, text: 'Venus has a thick atmosphere of carbon dioxide.', extra: { lang: 'en' } },
  { file: 'planets.pdf', n: 2, page: 3, text: 'Earth has one moon.', extra: { lang: 'en' } },
  { file: 'planets.pdf', n: 3, page: 7, text: 'Saturn has 146 known moons, more than any other planet.', extra: { lang: 'en' } },
  { file: 'moons.txt', n: 4, page: 1, text: 'Titan is the largest moon of Saturn.', extra: { lang: 'fr' }, chunkingJobId: 'chunking-2' },
  { file: 'moons.txt', n: 5, page: 2, text: 'Ganymede orbits Jupiter.', extra: { lang: 'fr' }, chunkingJobId: 'chunking-2' },
].map((c) => ({ ...c, vector: axisVector(DIM, c.n, 0.1) }));

before(async () => {
  t = await startVectorPlatform();
  const app = await t.appAuth('vector-ops-app');
  auth = app.authorization;
  appId = app.app_id;
  other = (await t.appAuth('vector-ops-other')).authorization;
  storeId = await newStore();
  indexId = (await newIndex(storeId, 'docs')).index_id;
  await putChunks(t.backend, { appId, storeId, indexId }, CHUNKS);
});
after(() => t.close());

describe('createVectorStore', () => {
  it('creates an ACTIVE store on the embedded backend and answers its name as given', async () => {
    const res = await post('/vector/store/create', { store_name: 'Notes', store_type: 'opensearchserverless', description: 'mine' }).expect(200);
    assert.deepEqual({ ...res.body, store_id: undefined, created_at: undefined }, {
      store_name: 'Notes', store_type: 'opensearchserverless', store_id: undefined, message: 'Vector store created successfully',
      status: 'ACTIVE', backend: 'embedded', created_at: undefined,
    });
    assert.match(res.body.store_id, /^[0-9a-f-]{36}$/);
    const store = await get(`/vector/stores/${res.body.store_id}`).expect(200);
    assert.deepEqual(store.body.tags, [{ key: 'project', value: 'GenerativeAI' }], 'the AWS sample\'s default tags');
    assert.equal(store.body.description, 'mine');
  });

  it('takes the AWS sample notebook\'s exact request (tags as a list of {key, value})', async () => {
    const raw = '{"store_name": "SolarSystem", "store_type": "opensearchserverless", "description": "Vector store for the solar system", "tags": [{"key": "project", "value": "GenerativeAI"}]}';
    const res = await t.http.post('/vector/store/create').set('authorization', auth).set('content-type', 'application/json').send(raw).expect(200);
    assert.equal(res.body.store_name, 'SolarSystem');
    assert.equal(res.body.message, 'Vector store created successfully');
  });

  it('refuses an unknown store_type with a 400 naming the field (the AWS sample answered 500)', async () => {
    const body = expectProblem(await post('/vector/store/create', { store_name: 'x', store_type: 'pinecone' }), 400, 'VALIDATION_ERROR');
    assert.ok(body.errors?.some((e) => e.path.includes('store_type')), JSON.stringify(body.errors));
  });

  it('refuses tags as an object (the shape of the AWS sample\'s docstring) with a 400 naming the field', async () => {
    const body = expectProblem(await post('/vector/store/create', { store_name: 'x', store_type: 'default', tags: { project: 'x' } }), 400, 'VALIDATION_ERROR');
    assert.ok(body.errors?.some((e) => e.path.includes('tags')), JSON.stringify(body.errors));
  });

  it('refuses unknown fields and a missing name', async () => {
    expectProblem(await post('/vector/store/create', { store_name: 'x', store_type: 'default', owner: 'someone' }), 400, 'VALIDATION_ERROR');
    expectProblem(await post('/vector/store/create', { store_type: 'default' }), 400, 'VALIDATION_ERROR');
  });

  it('needs a token', async () => {
    expectProblem(await t.http.post('/vector/store/create').send({ store_name: 'x', store_type: 'default' }), 401, 'UNAUTHENTICATED');
  });
});

describe('getVectorStoreStatus', () => {
  it('answers the backend\'s status', async () => {
    const res = await post('/vector/store/status', { store_id: storeId }).expect(200);
    assert.deepEqual(res.body, { store_id: storeId, status: 'ACTIVE' });
  });

  it('answers CREATING while the backend provisions the store', async () => {
    const id = await newStore('slow');
    t.storeStatus.set(id, 'CREATING');
    assert.equal((await post('/vector/store/status', { store_id: id }).expect(200)).body.status, 'CREATING');
    t.storeStatus.delete(id);
  });

  it('answers 404 for another application\'s store and an unknown one', async () => {
    expectProblem(await post('/vector/store/status', { store_id: storeId }, other), 404, 'VECTOR_STORE_NOT_FOUND');
    expectProblem(await post('/vector/store/status', { store_id: randomUUID() }), 404, 'VECTOR_STORE_NOT_FOUND');
  });
});

describe('createVectorIndex', () => {
  it('creates an index of the default embedding model, its dimension from the model catalogue', async () => {
    const store = await newStore();
    const res = await post('/vector/store/index/create', { store_id: store, index_name: 'my_index2' }).expect(200);
    assert.deepEqual({ ...res.body, index_id: undefined }, {
      index_name: 'my_index2', index_id: undefined, store_id: store, store_type: 'default', message: 'Index created successfully',
      embedding_model: 'LOCAL_USE_LITE_512', dimension: 512, space: 'cosine', created: true,
    });
    assert.ok(await t.backend.index.describeIndex(res.body.index_id), 'the backend has it');
  });

  it('answers the existing index for the same name and model (created: false), never a second one', async () => {
    const store = await newStore();
    const first = await newIndex(store, 'twice', { space: 'l2' });
    const again = await newIndex(store, 'twice');
    assert.deepEqual({ ...again, created: true }, first);
    assert.equal(again.created, false);
    assert.equal((await get(`/vector/store/${store}/indexes`).expect(200)).body.length, 1);
  });

  it('answers 409 VECTOR_INDEX_EXISTS for the same name with another space', async () => {
    const store = await newStore();
    await newIndex(store, 'taken');
    expectProblem(await post('/vector/store/index/create', { store_id: store, index_name: 'taken', space: 'innerproduct' }), 409, 'VECTOR_INDEX_EXISTS');
  });

  it('refuses index names OpenSearch would refuse, naming the field', async () => {
    for (const name of ['MyIndex', 'has space', '', 'x'.repeat(64)]) {
      const body = expectProblem(await post('/vector/store/index/create', { store_id: storeId, index_name: name }), 400, 'VALIDATION_ERROR');
      assert.ok(body.errors?.some((e) => e.path.includes('index_name')), name);
    }
  });

  it('refuses an unknown embedding model with 400 UNKNOWN_MODEL', async () => {
    const body = expectProblem(await post('/vector/store/index/create', { store_id: storeId, index_name: 'x', embedding_model: 'NO_SUCH_MODEL' }), 400, 'UNKNOWN_MODEL');
    assert.deepEqual(body.errors?.map((e) => e.path), ['body.embedding_model']);
  });

  it('answers 409 VECTOR_STORE_NOT_READY while the store is not ACTIVE', async () => {
    const store = await newStore('provisioning');
    t.storeStatus.set(store, 'CREATING');
    expectProblem(await post('/vector/store/index/create', { store_id: store, index_name: 'early' }), 409, 'VECTOR_STORE_NOT_READY');
    t.storeStatus.delete(store);
    await newIndex(store, 'early');
  });

  it('answers 404 for another application\'s store', async () => {
    expectProblem(await post('/vector/store/index/create', { store_id: storeId, index_name: 'intruder' }, other), 404, 'VECTOR_STORE_NOT_FOUND');
  });
});

describe('getVectorIndexStatus', () => {
  it('answers ACTIVE for an index the backend has', async () => {
    assert.deepEqual((await post('/vector/store/index/status', { index_id: indexId }).expect(200)).body, { index_id: indexId, status: 'ACTIVE' });
  });

  it('answers 404 for another application\'s index and an unknown one', async () => {
    expectProblem(await post('/vector/store/index/status', { index_id: indexId }, other), 404, 'VECTOR_INDEX_NOT_FOUND');
    expectProblem(await post('/vector/store/index/status', { index_id: randomUUID() }), 404, 'VECTOR_INDEX_NOT_FOUND');
  });
});

describe('listAllVectorStores', () => {
  it('answers a bare array, newest first, to a POST without a body nor a Content-Type (the AWS sample\'s call)', async () => {
    const res = await t.http.post('/vector/stores/list').set('authorization', auth).expect(200);
    assert.ok(Array.isArray(res.body));
    assert.ok(res.body.length >= 2);
    assert.deepEqual(Object.keys(res.body[0]).sort(), ['created_at', 'store_id', 'store_name', 'store_type']);
    const times = res.body.map((s: { created_at: string }) => s.created_at);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.ok(res.body.some((s: { store_id: string }) => s.store_id === storeId));
  });

  it('never lists another application\'s stores', async () => {
    const res = await post('/vector/stores/list', undefined, other).expect(200);
    assert.ok(!res.body.some((s: { store_id: string }) => s.store_id === storeId));
  });
});

describe('listAllVectorIndexes', () => {
  it('answers the store\'s indexes as a bare array with their model and dimension', async () => {
    const res = await get(`/vector/store/${storeId}/indexes`).expect(200);
    assert.deepEqual(res.body, [{ index_id: indexId, index_name: 'docs', embedding_model: 'LOCAL_USE_LITE_512', dimension: 512 }]);
  });

  it('answers 404 for another application\'s store', async () => {
    expectProblem(await get(`/vector/store/${storeId}/indexes`, other), 404, 'VECTOR_STORE_NOT_FOUND');
  });
});

describe('listVectorStores', () => {
  it('pages through the stores, newest first', async () => {
    const { authorization } = await t.appAuth('vector-pager');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await newStore(`s${i}`, authorization));
    const first = await get('/vector/stores?limit=2', authorization).expect(200);
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.next);
    const second = await get(`/vector/stores?limit=2&cursor=${first.body.next}`, authorization).expect(200);
    assert.equal(second.body.next, null);
    const seen = [...first.body.items, ...second.body.items].map((s: { store_id: string }) => s.store_id);
    assert.deepEqual(new Set(seen), new Set(ids));
    assert.equal(first.body.items[0].backend, 'embedded');
  });

  it('refuses a cursor it did not hand out, and a limit out of 1–100', async () => {
    expectProblem(await get('/vector/stores?cursor=bogus!'), 400, 'VALIDATION_ERROR');
    expectProblem(await get('/vector/stores?limit=0'), 400, 'VALIDATION_ERROR');
    expectProblem(await get('/vector/stores?limit=101'), 400, 'VALIDATION_ERROR');
  });
});

describe('getVectorStore', () => {
  it('answers the store with its backend status', async () => {
    const res = await get(`/vector/stores/${storeId}`).expect(200);
    assert.equal(res.body.store_id, storeId);
    assert.equal(res.body.status, 'ACTIVE');
    assert.equal(res.body.store_name, 'SolarSystem');
  });

  it('answers 404 for another application\'s store', async () => {
    expectProblem(await get(`/vector/stores/${storeId}`, other), 404, 'VECTOR_STORE_NOT_FOUND');
  });
});

describe('deleteVectorStore', () => {
  it('deletes the store, its indexes and their vectors', async () => {
    const store = await newStore('doomed');
    const a = (await newIndex(store, 'a')).index_id;
    const b = (await newIndex(store, 'b')).index_id;
    await putChunks(t.backend, { appId, storeId: store, indexId: a }, CHUNKS.slice(0, 2));
    const res = await del(`/vector/stores/${store}`).expect(200);
    assert.deepEqual(res.body, { store_id: store, deleted: true, deleted_indexes: 2 });
    assert.equal(await t.backend.index.describeIndex(a), undefined);
    assert.equal(await t.backend.index.describeIndex(b), undefined);
    expectProblem(await post('/vector/store/status', { store_id: store }), 404, 'VECTOR_STORE_NOT_FOUND');
    expectProblem(await post('/vector/search', { query: 'x', index_id: a, mode: 'text' }), 404, 'VECTOR_INDEX_NOT_FOUND');
  });

  it('answers 404 for another application\'s store and leaves it whole', async () => {
    expectProblem(await del(`/vector/stores/${storeId}`, other), 404, 'VECTOR_STORE_NOT_FOUND');
    await get(`/vector/stores/${storeId}`).expect(200);
    assert.ok(await t.backend.index.describeIndex(indexId));
  });
});

describe('listVectorIndexes', () => {
  it('pages through a store\'s indexes, oldest first', async () => {
    const store = await newStore('many');
    const ids = [];
    for (const name of ['one', 'two', 'three']) ids.push((await newIndex(store, name)).index_id);
    const first = await get(`/vector/stores/${store}/indexes?limit=2`).expect(200);
    const second = await get(`/vector/stores/${store}/indexes?limit=2&cursor=${first.body.next}`).expect(200);
    assert.deepEqual([...first.body.items, ...second.body.items].map((i: { index_id: string }) => i.index_id), ids);
    assert.equal(second.body.next, null);
    assert.deepEqual(Object.keys(first.body.items[0]).sort(), ['created_at', 'dimension', 'embedding_model', 'index_id', 'index_name', 'space', 'store_id']);
  });

  it('answers 404 for another application\'s store', async () => {
    expectProblem(await get(`/vector/stores/${storeId}/indexes`, other), 404, 'VECTOR_STORE_NOT_FOUND');
  });
});

describe('getVectorIndex', () => {
  it('answers the index with its store, model, dimension and space', async () => {
    const res = await get(`/vector/indexes/${indexId}`).expect(200);
    assert.deepEqual({ ...res.body, created_at: undefined }, {
      index_id: indexId, index_name: 'docs', embedding_model: 'LOCAL_USE_LITE_512', dimension: 512, store_id: storeId, space: 'cosine', created_at: undefined,
    });
  });

  it('answers 404 for another application\'s index', async () => {
    expectProblem(await get(`/vector/indexes/${indexId}`, other), 404, 'VECTOR_INDEX_NOT_FOUND');
  });
});

describe('deleteVectorIndex', () => {
  it('deletes the index and its vectors, and frees its name', async () => {
    const store = await newStore();
    const index = (await newIndex(store, 'gone')).index_id;
    await putChunks(t.backend, { appId, storeId: store, indexId: index }, CHUNKS.slice(0, 2));
    assert.deepEqual((await del(`/vector/indexes/${index}`).expect(200)).body, { index_id: index, deleted: true });
    assert.equal(await t.backend.index.describeIndex(index), undefined);
    expectProblem(await get(`/vector/indexes/${index}`), 404, 'VECTOR_INDEX_NOT_FOUND');
    assert.equal((await newIndex(store, 'gone')).created, true);
  });

  it('answers 404 for another application\'s index and leaves it whole', async () => {
    expectProblem(await del(`/vector/indexes/${indexId}`, other), 404, 'VECTOR_INDEX_NOT_FOUND');
    assert.ok(await t.backend.index.describeIndex(indexId));
  });
});

describe('searchVectorIndex', () => {
  const search = (body: Record<string, unknown>, as = auth) => post('/vector/search', { index_id: indexId, query: 'moons', ...body }, as);
  const names = (hits: { file_name: string; chunk_id: string }[]) => hits.map((h) => `${h.file_name}#${h.chunk_id}`);

  it('answers the k nearest chunks, best first, each with its score and citation', async () => {
    const res = await search({ vector: axisVector(DIM, 3, 0.05), k: 2 }).expect(200);
    assert.deepEqual(names(res.body), ['planets.pdf#3', 'planets.pdf#2'], 'chunk 2 leans towards axis 3');
    const [hit] = res.body;
    assert.deepEqual({ ...hit, score: undefined }, {
      text: 'Saturn has 146 known moons, more than any other planet.', score: undefined, chunk_id: '3', file_name: 'planets.pdf',
      page_start: 7, page_end: 7, start: 300, end: 300 + hit.text.length, chunking_job_id: 'chunking-1', metadata: { lang: 'en' },
    });
    assert.ok(hit.score > res.body[1].score && hit.score <= 1);
  });

  it('answers 4 hits by default (the AWS sample\'s k)', async () => {
    assert.equal((await search({ vector: axisVector(DIM, 0) }).expect(200)).body.length, 4);
  });

  it('gives the heading path of a chunk that has one', async () => {
    const [hit] = (await search({ vector: axisVector(DIM, 0), k: 1 }).expect(200)).body;
    assert.deepEqual(hit.heading_path, ['Planets', 'Mercury']);
    assert.deepEqual(hit.metadata, { lang: 'en' });
  });

  it('finds chunks by their words in text mode (BM25), without embedding', async () => {
    const res = await search({ query: 'Titan Saturn', mode: 'text', k: 3 }).expect(200);
    assert.equal(names(res.body)[0], 'moons.txt#4');
  });

  it('fuses both rankings in hybrid mode', async () => {
    const res = await search({ query: 'Ganymede Jupiter', mode: 'hybrid', vector: axisVector(DIM, 5), k: 3 }).expect(200);
    assert.equal(names(res.body)[0], 'moons.txt#5');
    assert.ok(res.body[0].score <= 2 / 61, 'a reciprocal-rank fusion score');
  });

  it('applies filters without losing k: file names, pages, chunking job and metadata', async () => {
    const along = axisVector(DIM, 4);
    const byFile = await search({ vector: along, k: 3, filters: { file_name: 'planets.pdf' } }).expect(200);
    assert.equal(byFile.body.length, 3);
    assert.ok(byFile.body.every((h: { file_name: string }) => h.file_name === 'planets.pdf'));
    const byFiles = await search({ vector: along, k: 10, filters: { file_name: ['moons.txt', 'nothing.pdf'] } }).expect(200);
    assert.deepEqual(names(byFiles.body).sort(), ['moons.txt#4', 'moons.txt#5']);
    const byPages = await search({ vector: along, k: 10, filters: { file_name: 'planets.pdf', page_from: 2, page_to: 3 } }).expect(200);
    assert.deepEqual(names(byPages.body).sort(), ['planets.pdf#1', 'planets.pdf#2']);
    const byJob = await search({ vector: along, k: 10, filters: { chunking_job_id: 'chunking-2' } }).expect(200);
    assert.deepEqual(names(byJob.body).sort(), ['moons.txt#4', 'moons.txt#5']);
    const byMetadata = await search({ vector: along, k: 10, filters: { metadata: { lang: 'fr' } } }).expect(200);
    assert.deepEqual(names(byMetadata.body).sort(), ['moons.txt#4', 'moons.txt#5']);
  });

  it('drops hits below min_score', async () => {
    const all = (await search({ vector: axisVector(DIM, 3, 0.05), k: 6 }).expect(200)).body as { score: number }[];
    const cut = (all[0]!.score + all[1]!.score) / 2;
    assert.equal((await search({ vector: axisVector(DIM, 3, 0.05), k: 6, min_score: cut }).expect(200)).body.length, 1);
  });

  it('refuses k out of 1–100, an unknown mode and a vector of another dimension, naming the field', async () => {
    for (const [body, field] of [[{ k: 0 }, 'k'], [{ k: 101 }, 'k'], [{ mode: 'semantic' }, 'mode'], [{ vector: [1, 0, 0] }, 'vector'], [{ query: '' }, 'query']] as const) {
      const problem = expectProblem(await search(body), 400, 'VALIDATION_ERROR');
      assert.ok(problem.errors?.some((e) => e.path.includes(field)), `${JSON.stringify(body)}: ${JSON.stringify(problem.errors)}`);
    }
    const pages = expectProblem(await search({ vector: axisVector(DIM, 0), filters: { page_from: 5, page_to: 2 } }), 400, 'VALIDATION_ERROR');
    assert.ok(pages.errors?.some((e) => e.path.includes('page_to')));
  });

  it('answers 404 for another application\'s index: a search never crosses applications', async () => {
    expectProblem(await search({ mode: 'text' }, other), 404, 'VECTOR_INDEX_NOT_FOUND');
    expectProblem(await search({ index_id: randomUUID(), mode: 'text' }), 404, 'VECTOR_INDEX_NOT_FOUND');
  });

  it('embeds the AWS sample\'s {query, index_id} with the index\'s model, and meters one search and one embedding', async () => {
    const raw = JSON.stringify({ query: 'Which planet has the most moons?', index_id: indexId });
    const res = await t.http.post('/vector/search').set('authorization', auth).set('content-type', 'application/json').send(raw).expect(200);
    assert.equal(res.body.length, 4);
    assert.ok(res.body.every((hit: { text: string }) => typeof hit.text === 'string' && hit.text.length > 0));
    await t.platform.ledger.flush();
    const rows: UsageEvent[] = await t.platform.ledger.list(appId, 1000);
    const requestId = res.headers['x-request-id'];
    const mine = rows.filter((r) => r.requestId === requestId);
    assert.deepEqual(mine.map((r) => `${r.service}/${r.operation}`).sort(), ['model/vector.embed', 'vector/search']);
    const searchRow = mine.find((r) => r.service === 'vector')!;
    assert.deepEqual({ units: searchRow.units, resource: searchRow.resource, status: searchRow.status }, { units: { queries: 1 }, resource: indexId, status: 'SUCCESS' });
  });
});

describe('getVectorServiceHealth', () => {
  it('answers UP', async () => {
    assert.deepEqual((await get('/vector/service/health').expect(200)).body, { status: 'UP' });
  });

  it('needs a token', async () => {
    expectProblem(await t.http.get('/vector/service/health'), 401, 'UNAUTHENTICATED');
  });
});
