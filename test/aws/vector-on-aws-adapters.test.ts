// The vector service as deployed: STORE=dynamodb (dynalite), QUEUE=sqs (local-aws-sqs) and
// VECTOR_BACKEND=opensearchserverless, its control plane a loopback stub and its data plane the
// loopback fake OpenSearch (documents searchable late, as on AOSS). Over HTTP: a store becomes a
// collection, an index an OpenSearch index in it, records published only once searchable, every
// search mode with citations, another app's ids refused, and deleting the store removes the
// collection and its index.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectProblem } from '../helpers/platform.ts';
import { startLocalAws, type LocalAws } from '../helpers/aws-local.ts';
import { startAossControlStub, type AossControlStub } from '../helpers/aoss-control-stub.ts';
import { axisVector, putChunks, startVectorPlatform, type VectorTestPlatform } from '../helpers/vector-platform.ts';
import { startFakeOpenSearch, type FakeOpenSearch } from '../vector/fake-opensearch.ts';

const DIM = 512; // LOCAL_USE_LITE_512, the default embedding model
let aws: LocalAws;
let openSearch: FakeOpenSearch;
let control: AossControlStub;
let t: VectorTestPlatform;

before(async () => {
  aws = await startLocalAws();
  await aws.createTables('vaws');
  await aws.createQueues('vaws');
  openSearch = await startFakeOpenSearch();
  control = await startAossControlStub(openSearch.url);
  process.env.AWS_ENDPOINT_URL_OPENSEARCHSERVERLESS = control.url; // the SDK's endpoint for the AOSS control plane
  t = await startVectorPlatform({
    STORE: 'dynamodb', DYNAMODB_TABLE_PREFIX: 'vaws', QUEUE: 'sqs', SQS_QUEUE_PREFIX: 'vaws', SQS_WAIT_SECONDS: '0',
    VECTOR_BACKEND: 'opensearchserverless', AWS_REGION: 'us-east-1', VECTOR_AOSS_PREFIX: 'vaws', VECTOR_AOSS_VPC_ENDPOINT_ID: 'vpce-0123',
    VECTOR_AOSS_PRINCIPALS: 'arn:aws:iam::123456789012:role/vector,arn:aws:iam::123456789012:role/vector-worker',
  });
});
after(async () => {
  await t.close();
  delete process.env.AWS_ENDPOINT_URL_OPENSEARCHSERVERLESS;
  await control.close();
  await openSearch.close();
  await aws.close();
});

it('runs a store\'s life on OpenSearch Serverless: collection, index, searchable-then-published chunks, search, delete', async () => {
  const app = await t.appAuth('vector-aws-app');
  const other = await t.appAuth('vector-aws-other');
  const post = (path: string, body: object, auth = app.authorization) => t.http.post(path).set('authorization', auth).send(body);

  const created = await post('/vector/store/create', { store_name: 'KnowledgeBase', store_type: 'opensearchserverless' }).expect(200);
  const storeId = created.body.store_id as string;
  assert.equal(created.body.backend, 'opensearchserverless');
  assert.equal(control.collections.size, 1);
  const [collection] = control.collections;
  assert.match(collection!, /^vaws-[a-z2-7]{16}$/);
  let status = '';
  for (const deadline = Date.now() + 10_000; status !== 'ACTIVE' && Date.now() < deadline; await sleep(20)) {
    status = (await post('/vector/store/status', { store_id: storeId }).expect(200)).body.status;
  }
  assert.equal(status, 'ACTIVE');

  const index = (await post('/vector/store/index/create', { store_id: storeId, index_name: 'docs' }).expect(200)).body;
  assert.equal(index.dimension, DIM);
  const mapping = openSearch.indexes.get(index.index_id)!.mappings;
  assert.equal(mapping.properties.vector.dimension, DIM);

  openSearch.visibleAfterRequests = 3; // AOSS refreshes later: publish must wait for every chunk
  const chunks = [0, 1, 2].map((n) => ({ file: 'guide.pdf', n, page: n + 1, text: `Chapter ${n} explains topic ${['alpha', 'beta', 'gamma'][n]}.`, vector: axisVector(DIM, n, 0.1) }));
  await putChunks(t.backend, { appId: app.app_id, storeId, indexId: index.index_id }, chunks);

  const search = (body: object, auth = app.authorization) => post('/vector/search', { index_id: index.index_id, ...body }, auth);
  const byVector = (await search({ query: 'chapter', vector: axisVector(DIM, 1, 0.1), k: 3 }).expect(200)).body;
  assert.equal(byVector.length, 3, 'every chunk is live right after publish');
  assert.deepEqual([byVector[0].file_name, byVector[0].page_start, byVector[0].chunk_id], ['guide.pdf', 2, '1']);
  const byText = (await search({ query: 'gamma', mode: 'text', k: 2 }).expect(200)).body;
  assert.equal(byText[0].chunk_id, '2');
  const hybrid = (await search({ query: 'beta', mode: 'hybrid', vector: axisVector(DIM, 1, 0.1), k: 2 }).expect(200)).body;
  assert.equal(hybrid[0].chunk_id, '1');
  expectProblem(await search({ query: 'chapter', vector: axisVector(DIM, 1), k: 3 }, other.authorization), 404, 'VECTOR_INDEX_NOT_FOUND');
  expectProblem(await post('/vector/store/status', { store_id: storeId }, other.authorization), 404, 'VECTOR_STORE_NOT_FOUND');

  await t.http.delete(`/vector/stores/${storeId}`).set('authorization', app.authorization).expect(200);
  assert.equal(control.collections.size, 0, 'the collection is deleted');
  assert.ok(!openSearch.indexes.has(index.index_id), 'the index is deleted');
});
