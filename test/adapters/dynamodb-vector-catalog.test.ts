// The DynamoDB vector catalogue on dynalite: what the port promises (until the shared contract
// test/adapters/vector-catalog-contract.ts runs here too), with the name claim under concurrency.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDynamo, type Dynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { tableName } from '../../handlers/platform/store/dynamodb/tables.ts';
import { ProblemError } from '../../handlers/platform/problems.ts';
import { dynamoVectorCatalog, type IndexLocator } from '../../handlers/vector/catalog/dynamodb-vector-catalog.ts';
import { VECTOR_TABLES } from '../../handlers/vector/catalog/dynamodb-vector-tables.ts';
import type { VectorCatalog, VectorIndexRecord, VectorStoreRecord } from '../../handlers/vector/catalog/ports.ts';
import { createTable, startLocalAws, type LocalAws } from '../helpers/aws-local.ts';

const store = (appId: string, n: number, over: Partial<VectorStoreRecord> = {}): VectorStoreRecord => ({
  appId, storeId: `vs-${randomUUID()}`, storeName: `store ${n}`, storeType: 'opensearchserverless', backend: 'opensearchserverless',
  backendName: `gaf-${n}`, description: 'd', tags: [{ key: 'team', value: 'rag' }], createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), ...over,
});
const index = (s: VectorStoreRecord, name: string, n = 0): VectorIndexRecord => ({
  appId: s.appId, storeId: s.storeId, indexId: `ix-${randomUUID()}`, indexName: name, embeddingModel: 'local-use-lite-512', dimension: 512, space: 'cosine',
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
});
const isProblem = (code: string) => (error: unknown) => error instanceof ProblemError && error.code === code;

describe('DynamoDB vector catalogue (dynalite)', () => {
  let aws: LocalAws;
  let dynamo: Dynamo;
  let catalog: VectorCatalog & IndexLocator;
  before(async () => {
    aws = await startLocalAws();
    await createTable(tableName('cat', 'vector-catalog'), VECTOR_TABLES['vector-catalog']);
    dynamo = createDynamo('cat');
    catalog = dynamoVectorCatalog(dynamo);
  });
  after(async () => {
    dynamo.doc.destroy();
    await aws.close();
  });

  it('stores a store and reads it back only for its own app', async () => {
    const s = store('app-a', 1);
    await catalog.putStore(s);
    assert.deepEqual(await catalog.getStore('app-a', s.storeId), s);
    assert.equal(await catalog.getStore('app-b', s.storeId), undefined);
  });

  it('refuses a store id already in use', async () => {
    const s = store('app-a', 1);
    await catalog.putStore(s);
    await assert.rejects(catalog.putStore({ ...s, storeName: 'other' }), isProblem('CONFLICT'));
  });

  it('lists an app\'s stores newest first, page by page, and no other app\'s', async () => {
    const app = `app-${randomUUID()}`;
    const made = [];
    for (let n = 0; n < 5; n++) made.push(store(app, n));
    await Promise.all(made.map((s) => catalog.putStore(s)));
    await catalog.putStore(store(`other-${app}`, 9));
    const first = await catalog.listStores(app, { limit: 2 });
    assert.deepEqual(first.items.map((s) => s.storeName), ['store 4', 'store 3']);
    const second = await catalog.listStores(app, { limit: 2, cursor: first.next! });
    const third = await catalog.listStores(app, { limit: 2, cursor: second.next! });
    assert.deepEqual([...second.items, ...third.items].map((s) => s.storeName), ['store 2', 'store 1', 'store 0']);
    assert.equal(third.next, null);
    assert.deepEqual((await catalog.listStores(app)).items, made.reverse());
  });

  it('refuses a cursor it did not issue', async () => {
    await assert.rejects(catalog.listStores('app-a', { cursor: 'not a cursor' }), isProblem('VALIDATION_ERROR'));
  });

  it('deletes a store once; another app cannot', async () => {
    const s = store('app-a', 2);
    await catalog.putStore(s);
    assert.equal(await catalog.deleteStore('app-b', s.storeId), false);
    assert.equal(await catalog.deleteStore('app-a', s.storeId), true);
    assert.equal(await catalog.deleteStore('app-a', s.storeId), false);
    assert.equal(await catalog.getStore('app-a', s.storeId), undefined);
  });

  it('adds an index once per name: the same name again returns the first (created: false)', async () => {
    const s = store('app-a', 3);
    await catalog.putStore(s);
    const first = index(s, 'docs');
    assert.deepEqual(await catalog.putIndex(first), { created: true, index: first });
    assert.deepEqual(await catalog.putIndex(index(s, 'docs')), { created: false, index: first });
    assert.deepEqual(await catalog.getIndex('app-a', first.indexId), first);
    assert.equal(await catalog.getIndex('app-b', first.indexId), undefined, 'another app\'s index id is not found');
    assert.deepEqual(await catalog.locateIndex(first.indexId), { appId: 'app-a', storeId: s.storeId });
    assert.equal(await catalog.locateIndex('ix-missing'), undefined);
  });

  it('lets the same index name live in two stores', async () => {
    const [s1, s2] = [store('app-a', 4), store('app-a', 5)];
    await Promise.all([catalog.putStore(s1), catalog.putStore(s2)]);
    assert.equal((await catalog.putIndex(index(s1, 'docs'))).created, true);
    assert.equal((await catalog.putIndex(index(s2, 'docs'))).created, true);
  });

  it('creates exactly one index when 20 callers create the same name at once', async () => {
    const s = store('app-a', 6);
    await catalog.putStore(s);
    const results = await Promise.all(Array.from({ length: 20 }, () => catalog.putIndex(index(s, 'race'))));
    const created = results.filter((r) => r.created);
    assert.equal(created.length, 1);
    for (const r of results) assert.equal(r.index.indexId, created[0]!.index.indexId);
    assert.equal((await catalog.listIndexes('app-a', s.storeId)).items.length, 1);
  });

  it('lists a store\'s indexes oldest first, page by page, only for its app', async () => {
    const s = store('app-a', 7);
    await catalog.putStore(s);
    const made = ['c', 'a', 'b'].map((name, n) => index(s, name, n));
    for (const i of made) await catalog.putIndex(i);
    const first = await catalog.listIndexes('app-a', s.storeId, { limit: 2 });
    const second = await catalog.listIndexes('app-a', s.storeId, { limit: 2, cursor: first.next! });
    assert.deepEqual([...first.items, ...second.items], made);
    assert.equal(second.next, null);
    assert.deepEqual((await catalog.listIndexes('app-b', s.storeId)).items, []);
  });

  it('deletes an index and frees its name; another app cannot delete it', async () => {
    const s = store('app-a', 8);
    await catalog.putStore(s);
    const first = index(s, 'again');
    await catalog.putIndex(first);
    assert.equal(await catalog.deleteIndex('app-b', first.indexId), false);
    assert.equal(await catalog.deleteIndex('app-a', first.indexId), true);
    assert.equal(await catalog.deleteIndex('app-a', first.indexId), false);
    assert.equal(await catalog.getIndex('app-a', first.indexId), undefined);
    const second = index(s, 'again');
    assert.deepEqual(await catalog.putIndex(second), { created: true, index: second });
  });
});
