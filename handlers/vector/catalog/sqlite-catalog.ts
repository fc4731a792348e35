// The vector catalogue on the embedded SQLite database (tables from sqlite-migrations.ts).
import type { SqliteDatabase } from '../../platform/store/sqlite/database.ts';
import type { VectorSpace } from '../index/ports.ts';
import { catalogPageSize, encodeCatalogCursor, orderKey, splitOrderKey } from './pages.ts';
import type { VectorBackendKind, VectorCatalog, VectorIndexRecord, VectorStoreRecord } from './ports.ts';

interface StoreRow {
  store_id: string; app_id: string; store_name: string; store_type: string; backend: string;
  backend_name: string; description: string; tags: string; created_at: string;
}
interface IndexRow {
  index_id: string; app_id: string; store_id: string; index_name: string; embedding_model: string;
  dimension: number; space: string; created_at: string;
}

const toStore = (r: StoreRow): VectorStoreRecord => ({
  appId: r.app_id, storeId: r.store_id, storeName: r.store_name, storeType: r.store_type,
  backend: r.backend as VectorBackendKind, backendName: r.backend_name, description: r.description,
  tags: JSON.parse(r.tags) as VectorStoreRecord['tags'], createdAt: r.created_at,
});
const toIndex = (r: IndexRow): VectorIndexRecord => ({
  appId: r.app_id, storeId: r.store_id, indexId: r.index_id, indexName: r.index_name,
  embeddingModel: r.embedding_model, dimension: r.dimension, space: r.space as VectorSpace, createdAt: r.created_at,
});

export function sqliteVectorCatalog(db: SqliteDatabase): VectorCatalog {
  const q = {
    insertStore: db.prepare(`INSERT INTO vector_stores (store_id, app_id, store_name, store_type, backend, backend_name, description, tags, created_at)
      VALUES (@storeId, @appId, @storeName, @storeType, @backend, @backendName, @description, @tags, @createdAt)`),
    getStore: db.prepare<[string, string], StoreRow>('SELECT * FROM vector_stores WHERE app_id = ? AND store_id = ?'),
    deleteStore: db.prepare<[string, string]>('DELETE FROM vector_stores WHERE app_id = ? AND store_id = ?'),
    insertIndex: db.prepare(`INSERT INTO vector_indexes (index_id, app_id, store_id, index_name, embedding_model, dimension, space, created_at)
      VALUES (@indexId, @appId, @storeId, @indexName, @embeddingModel, @dimension, @space, @createdAt)
      ON CONFLICT (store_id, index_name) DO NOTHING`),
    indexByName: db.prepare<[string, string], IndexRow>('SELECT * FROM vector_indexes WHERE store_id = ? AND index_name = ?'),
    getIndex: db.prepare<[string, string], IndexRow>('SELECT * FROM vector_indexes WHERE app_id = ? AND index_id = ?'),
    deleteIndex: db.prepare<[string, string]>('DELETE FROM vector_indexes WHERE app_id = ? AND index_id = ?'),
  };

  return {
    async putStore(store) {
      q.insertStore.run({ ...store, tags: JSON.stringify(store.tags) });
    },
    async getStore(appId, storeId) {
      const row = q.getStore.get(appId, storeId);
      return row && toStore(row);
    },
    async listStores(appId, page) {
      const size = catalogPageSize(page);
      const after = page?.cursor === undefined ? undefined : splitOrderKey(page.cursor);
      const rows = db.prepare<unknown[], StoreRow>(
        `SELECT * FROM vector_stores WHERE app_id = ? ${after ? 'AND (created_at, store_id) < (?, ?)' : ''}
         ORDER BY created_at DESC, store_id DESC LIMIT ?`,
      ).all(appId, ...(after ?? []), size + 1);
      const items = rows.slice(0, size);
      const last = items.at(-1);
      return { items: items.map(toStore), next: rows.length > size && last ? encodeCatalogCursor(orderKey(last.created_at, last.store_id)) : null };
    },
    async deleteStore(appId, storeId) {
      return q.deleteStore.run(appId, storeId).changes > 0;
    },

    async putIndex(index) {
      return db.transaction(() => {
        if (q.insertIndex.run(index).changes > 0) return { created: true, index };
        return { created: false, index: toIndex(q.indexByName.get(index.storeId, index.indexName)!) };
      }).immediate();
    },
    async getIndex(appId, indexId) {
      const row = q.getIndex.get(appId, indexId);
      return row && toIndex(row);
    },
    async listIndexes(appId, storeId, page) {
      const size = catalogPageSize(page);
      const after = page?.cursor === undefined ? undefined : splitOrderKey(page.cursor);
      const rows = db.prepare<unknown[], IndexRow>(
        `SELECT * FROM vector_indexes WHERE app_id = ? AND store_id = ? ${after ? 'AND (created_at, index_id) > (?, ?)' : ''}
         ORDER BY created_at, index_id LIMIT ?`,
      ).all(appId, storeId, ...(after ?? []), size + 1);
      const items = rows.slice(0, size);
      const last = items.at(-1);
      return { items: items.map(toIndex), next: rows.length > size && last ? encodeCatalogCursor(orderKey(last.created_at, last.index_id)) : null };
    },
    async deleteIndex(appId, indexId) {
      return q.deleteIndex.run(appId, indexId).changes > 0;
    },
  };
}
