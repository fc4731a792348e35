// One behavioural contract for every VectorCatalog adapter (sqlite-vector-catalog.test.ts; the
// DynamoDB one runs it too): records round-trip, tenancy, newest-first / oldest-first pages with
// opaque cursors, one index per name per store (also under concurrency), deletes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../../handlers/platform/problems.ts';
import type { VectorCatalog, VectorIndexRecord, VectorStoreRecord } from '../../handlers/vector/catalog/ports.ts';

export interface VectorCatalogUnderTest {
  catalog: VectorCatalog;
  close(): Promise<void>;
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

export function storeRecord(appId: string, overrides: Partial<VectorStoreRecord> = {}): VectorStoreRecord {
  const storeId = overrides.storeId ?? randomUUID();
  return {
    appId, storeId, storeName: 'SolarSystem', storeType: 'opensearchserverless', backend: 'embedded', backendName: storeId,
    description: 'Planets', tags: [{ key: 'project', value: 'GenerativeAI' }], createdAt: at(0), ...overrides,
  };
}

export function indexRecord(store: VectorStoreRecord, overrides: Partial<VectorIndexRecord> = {}): VectorIndexRecord {
  return {
    appId: store.appId, storeId: store.storeId, indexId: randomUUID(), indexName: 'my_index', embeddingModel: 'LOCAL_USE_LITE_512',
    dimension: 512, space: 'cosine', createdAt: at(0), ...overrides,
  };
}

async function rejectsAsBadCursor(promise: Promise<unknown>) {
  await assert.rejects(promise, (error: unknown) => error instanceof ProblemError && error.code === 'VALIDATION_ERROR'
    && Boolean(error.options.errors?.[0]?.path.includes('cursor')));
}

export function vectorCatalogContract(label: string, open: () => Promise<VectorCatalogUnderTest>) {
  describe(`vector catalogue contract: ${label}`, () => {
    let under: VectorCatalogUnderTest;
    let catalog: VectorCatalog;
    before(async () => {
      under = await open();
      catalog = under.catalog;
    });
    after(() => under.close());

    it('stores a store record and reads it back whole, for its app only', async () => {
      const store = storeRecord(randomUUID(), { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '' }] });
      await catalog.putStore(store);
      assert.deepEqual(await catalog.getStore(store.appId, store.storeId), store);
      assert.equal(await catalog.getStore(randomUUID(), store.storeId), undefined);
      assert.equal(await catalog.getStore(store.appId, randomUUID()), undefined);
    });

    it('refuses a store id already in use', async () => {
      const store = storeRecord(randomUUID());
      await catalog.putStore(store);
      await assert.rejects(catalog.putStore({ ...store, storeName: 'other' }));
      assert.equal((await catalog.getStore(store.appId, store.storeId))?.storeName, 'SolarSystem');
    });

    it('lists an app\'s stores newest first, a page at a time, and never another app\'s', async () => {
      const appId = randomUUID();
      const stores = [0, 1, 2, 3, 4].map((s) => storeRecord(appId, { createdAt: at(s) }));
      for (const store of stores) await catalog.putStore(store);
      await catalog.putStore(storeRecord(randomUUID(), { createdAt: at(9) }));
      const first = await catalog.listStores(appId, { limit: 2 });
      const newestFirst = [...stores].reverse().map((s) => s.storeId);
      assert.deepEqual(first.items.map((s) => s.storeId), newestFirst.slice(0, 2));
      assert.ok(first.next);
      const second = await catalog.listStores(appId, { limit: 2, cursor: first.next });
      assert.deepEqual(second.items.map((s) => s.storeId), newestFirst.slice(2, 4));
      const last = await catalog.listStores(appId, { limit: 2, cursor: second.next! });
      assert.deepEqual(last.items.map((s) => s.storeId), newestFirst.slice(4));
      assert.equal(last.next, null);
      const all = await catalog.listStores(appId, { limit: 1000 });
      assert.equal(all.items.length, 5);
      assert.deepEqual(all.items[0], stores.at(-1));
      assert.deepEqual((await catalog.listStores(randomUUID())).items, []);
    });

    it('orders stores created in the same instant by id, without losing or repeating one across pages', async () => {
      const appId = randomUUID();
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const store = storeRecord(appId, { createdAt: at(1) });
        ids.add(store.storeId);
        await catalog.putStore(store);
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await catalog.listStores(appId, { limit: 2, cursor });
        seen.push(...page.items.map((s) => s.storeId));
        cursor = page.next ?? undefined;
      } while (cursor);
      assert.deepEqual(new Set(seen), ids);
      assert.equal(seen.length, 5);
    });

    it('refuses a cursor it did not hand out as a validation error on the cursor', async () => {
      await rejectsAsBadCursor(catalog.listStores(randomUUID(), { cursor: 'not-a-cursor!' }));
      await rejectsAsBadCursor(catalog.listIndexes(randomUUID(), randomUUID(), { cursor: 'not-a-cursor!' }));
    });

    it('deletes a store for its app only', async () => {
      const store = storeRecord(randomUUID());
      await catalog.putStore(store);
      assert.equal(await catalog.deleteStore(randomUUID(), store.storeId), false);
      assert.ok(await catalog.getStore(store.appId, store.storeId));
      assert.equal(await catalog.deleteStore(store.appId, store.storeId), true);
      assert.equal(await catalog.getStore(store.appId, store.storeId), undefined);
      assert.equal(await catalog.deleteStore(store.appId, store.storeId), false);
    });

    it('adds an index and reads it back whole, for its app only', async () => {
      const store = storeRecord(randomUUID());
      await catalog.putStore(store);
      const index = indexRecord(store, { space: 'l2', dimension: 384 });
      assert.deepEqual(await catalog.putIndex(index), { created: true, index });
      assert.deepEqual(await catalog.getIndex(store.appId, index.indexId), index);
      assert.equal(await catalog.getIndex(randomUUID(), index.indexId), undefined);
    });

    it('answers the existing index when the store already has one of that name', async () => {
      const store = storeRecord(randomUUID());
      await catalog.putStore(store);
      const first = indexRecord(store);
      await catalog.putIndex(first);
      const again = await catalog.putIndex(indexRecord(store, { embeddingModel: 'OTHER', dimension: 3 }));
      assert.equal(again.created, false);
      assert.deepEqual(again.index, first);
      const page = await catalog.listIndexes(store.appId, store.storeId);
      assert.equal(page.items.length, 1);
    });

    it('keeps index names per store: the same name in another store is another index', async () => {
      const appId = randomUUID();
      const a = storeRecord(appId);
      const b = storeRecord(appId);
      await catalog.putStore(a);
      await catalog.putStore(b);
      assert.equal((await catalog.putIndex(indexRecord(a))).created, true);
      assert.equal((await catalog.putIndex(indexRecord(b))).created, true);
    });

    it('makes one index of many concurrent creations of the same name', async () => {
      const store = storeRecord(randomUUID());
      await catalog.putStore(store);
      const results = await Promise.all(Array.from({ length: 8 }, () => catalog.putIndex(indexRecord(store))));
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(new Set(results.map((r) => r.index.indexId)).size, 1);
      assert.equal((await catalog.listIndexes(store.appId, store.storeId)).items.length, 1);
    });

    it('lists a store\'s indexes oldest first, a page at a time, for its app only', async () => {
      const store = storeRecord(randomUUID());
      await catalog.putStore(store);
      const other = storeRecord(store.appId);
      await catalog.putStore(other);
      const indexes = [0, 1, 2].map((s) => indexRecord(store, { indexName: `i${s}`, createdAt: at(s) }));
      for (const index of [...indexes].reverse()) await catalog.putIndex(index);
      await catalog.putIndex(indexRecord(other, { indexName: 'elsewhere' }));
      const first = await catalog.listIndexes(store.appId, store.storeId, { limit: 2 });
      assert.deepEqual(first.items, indexes.slice(0, 2));
      const rest = await catalog.listIndexes(store.appId, store.storeId, { limit: 2, cursor: first.next! });
      assert.deepEqual(rest.items, indexes.slice(2));
      assert.equal(rest.next, null);
      assert.deepEqual((await catalog.listIndexes(randomUUID(), store.storeId)).items, []);
    });

    it('deletes an index for its app only, and frees its name', async () => {
      const store = storeRecord(randomUUID());
      await catalog.putStore(store);
      const index = indexRecord(store);
      await catalog.putIndex(index);
      assert.equal(await catalog.deleteIndex(randomUUID(), index.indexId), false);
      assert.equal(await catalog.deleteIndex(store.appId, index.indexId), true);
      assert.equal(await catalog.getIndex(store.appId, index.indexId), undefined);
      assert.equal(await catalog.deleteIndex(store.appId, index.indexId), false);
      const again = indexRecord(store);
      assert.deepEqual(await catalog.putIndex(again), { created: true, index: again });
    });
  });
}
