// SQL over the embedded index's records: every write is one transaction that also keeps the
// index's FTS5 table and the removed-keys log in step, so the database alone is always a
// consistent picture (the in-memory ANN index follows it; see ann-index.ts).
import type { Statement } from 'better-sqlite3';
import { VectorIndexError, type ChunkRecord, type Citation, type IndexDefinition, type MetadataValue, type SearchFilters, type VectorSpace } from '../ports.ts';
import { ftsTable, type RecordsDatabase } from './database.ts';

export interface IndexRow {
  index_no: number;
  index_id: string;
  dimension: number;
  space: VectorSpace;
  embedding_model: string;
}

export interface RecordRow extends Citation {
  key: number;
  chunk_id: string;
  /** JSON of RecordMetadata.extra */
  extra: string;
  text: string;
}

const HIT_COLUMNS = 'r.key, r.chunk_id, r.file_name, r.generation, r.page_start, r.page_end, r.start, r."end", r.chunking_job_id, r.content_hash, r.extra, r.text';
/** Joining live_files keeps only records of their file's live generation. */
const LIVE = 'JOIN live_files l ON l.index_no = r.index_no AND l.file_name = r.file_name AND l.generation = r.generation';

export const toBlob = (vector: ArrayLike<number>) => {
  const floats = Float32Array.from(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
};
/** Copies: a Buffer's offset need not be 4-aligned. */
export const fromBlob = (blob: Buffer) => new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));

const bindable = (value: MetadataValue) => (typeof value === 'boolean' ? Number(value) : value);

/** The filters as a WHERE fragment over `r` (records), with its parameters. */
function filterSql(filters: SearchFilters | undefined): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filters?.file_name !== undefined) {
    parts.push('r.file_name IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify([filters.file_name].flat()));
  }
  if (filters?.page_from !== undefined) {
    parts.push('r.page_end >= ?');
    params.push(filters.page_from);
  }
  if (filters?.page_to !== undefined) {
    parts.push('r.page_start <= ?');
    params.push(filters.page_to);
  }
  if (filters?.chunking_job_id !== undefined) {
    parts.push('r.chunking_job_id = ?');
    params.push(filters.chunking_job_id);
  }
  for (const [key, value] of Object.entries(filters?.metadata ?? {})) {
    parts.push('EXISTS (SELECT 1 FROM json_each(r.extra) m WHERE m.key = ? AND m.value = ?)');
    params.push(key, bindable(value));
  }
  return { sql: parts.map((part) => ` AND ${part}`).join(''), params };
}

export class RecordStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: RecordsDatabase) {}

  /** Prepared once per distinct SQL text (filters make a handful of shapes). */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  getIndex(indexId: string): IndexRow | undefined {
    return this.sql('SELECT index_no, index_id, dimension, space, embedding_model FROM indexes WHERE index_id = ?').get(indexId) as IndexRow | undefined;
  }

  listIndexes(): IndexRow[] {
    return this.sql('SELECT index_no, index_id, dimension, space, embedding_model FROM indexes').all() as IndexRow[];
  }

  createIndex(definition: IndexDefinition, now: string): IndexRow {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.sql('INSERT INTO indexes (index_id, dimension, space, embedding_model, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(definition.indexId, definition.dimension, definition.space, definition.embeddingModel, now);
      const indexNo = Number(lastInsertRowid);
      // contentless: the text lives in `records`; contentless_delete lets rows be deleted by rowid (= record key).
      this.db.exec(`CREATE VIRTUAL TABLE ${ftsTable(indexNo)} USING fts5(text, content='', contentless_delete=1)`);
      return this.getIndex(definition.indexId)!;
    }).immediate();
  }

  deleteIndex(index: IndexRow): void {
    this.db.transaction(() => {
      for (const table of ['records', 'live_files', 'removed_keys', 'indexes']) this.db.prepare(`DELETE FROM ${table} WHERE index_no = ?`).run(index.index_no);
      this.db.exec(`DROP TABLE IF EXISTS ${ftsTable(index.index_no)}`);
    }).immediate();
  }

  liveGeneration(index: IndexRow, fileName: string): string | undefined {
    const row = this.sql('SELECT generation FROM live_files WHERE index_no = ? AND file_name = ?').get(index.index_no, fileName) as { generation: string } | undefined;
    return row?.generation;
  }

  /** Inserts or replaces the records; returns the new keys with their vectors and the keys replaced. */
  upsert(index: IndexRow, records: ChunkRecord[]): { added: { key: number; vector: Float32Array }[]; removed: number[] } {
    const fts = ftsTable(index.index_no);
    return this.db.transaction(() => {
      const checked = new Set<string>();
      const added: { key: number; vector: Float32Array }[] = [];
      const removed: number[] = [];
      for (const record of records) {
        const m = record.metadata;
        const fileGeneration = `${m.file_name}\u0000${m.generation}`;
        if (!checked.has(fileGeneration)) {
          if (this.liveGeneration(index, m.file_name) === m.generation) {
            throw new VectorIndexError('GENERATION_IS_LIVE', `generation ${m.generation} of ${m.file_name} is live; write a new generation and publish it`);
          }
          checked.add(fileGeneration);
        }
        const existing = this.sql('SELECT key FROM records WHERE index_no = ? AND file_name = ? AND generation = ? AND chunk_id = ?')
          .get(index.index_no, m.file_name, m.generation, record.id) as { key: number } | undefined;
        if (existing) removed.push(...this.removeKeys(index, [existing.key]));
        const vector = Float32Array.from(record.vector);
        const { lastInsertRowid } = this.sql(
          `INSERT INTO records (index_no, file_name, generation, chunk_id, app_id, store_id, page_start, page_end, start, "end", chunking_job_id, content_hash, extra, text, vector)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(index.index_no, m.file_name, m.generation, record.id, m.app_id, m.store_id, m.page_start, m.page_end, m.start, m.end,
          m.chunking_job_id, m.content_hash, JSON.stringify(m.extra ?? {}), record.text, toBlob(vector));
        const key = Number(lastInsertRowid);
        this.sql(`INSERT INTO ${fts} (rowid, text) VALUES (?, ?)`).run(key, record.text);
        added.push({ key, vector });
      }
      return { added, removed };
    }).immediate();
  }

  /** Deletes records by key with their full text, and logs the keys for the ANN file. */
  private removeKeys(index: IndexRow, keys: number[]): number[] {
    const fts = ftsTable(index.index_no);
    for (const key of keys) {
      this.sql('DELETE FROM records WHERE key = ?').run(key);
      this.sql(`DELETE FROM ${fts} WHERE rowid = ?`).run(key);
      this.sql('INSERT INTO removed_keys (index_no, key) VALUES (?, ?)').run(index.index_no, key);
    }
    return keys;
  }

  private keysOf(index: IndexRow, fileName: string, generation?: string): number[] {
    const rows = generation === undefined
      ? this.sql('SELECT key FROM records WHERE index_no = ? AND file_name = ?').all(index.index_no, fileName)
      : this.sql('SELECT key FROM records WHERE index_no = ? AND file_name = ? AND generation = ?').all(index.index_no, fileName, generation);
    return (rows as { key: number }[]).map((row) => row.key);
  }

  /** Switches the file's live generation and deletes the one it replaces, in one transaction. */
  publish(index: IndexRow, fileName: string, generation: string): number[] {
    return this.db.transaction(() => {
      const previous = this.liveGeneration(index, fileName);
      if (previous === generation) return [];
      this.sql('INSERT INTO live_files (index_no, file_name, generation) VALUES (?, ?, ?) ON CONFLICT (index_no, file_name) DO UPDATE SET generation = excluded.generation')
        .run(index.index_no, fileName, generation);
      return previous === undefined ? [] : this.removeKeys(index, this.keysOf(index, fileName, previous));
    }).immediate();
  }

  discardGeneration(index: IndexRow, fileName: string, generation: string): number[] {
    return this.db.transaction(() => {
      if (this.liveGeneration(index, fileName) === generation) return [];
      return this.removeKeys(index, this.keysOf(index, fileName, generation));
    }).immediate();
  }

  deleteFile(index: IndexRow, fileName: string): number[] {
    return this.db.transaction(() => {
      this.sql('DELETE FROM live_files WHERE index_no = ? AND file_name = ?').run(index.index_no, fileName);
      return this.removeKeys(index, this.keysOf(index, fileName));
    }).immediate();
  }

  findVectors(index: IndexRow, contentHashes: string[]): Map<string, number[]> {
    const rows = this.sql(
      `SELECT r.content_hash, r.vector FROM records r ${LIVE}
       WHERE r.index_no = ? AND r.content_hash IN (SELECT value FROM json_each(?)) GROUP BY r.content_hash`,
    ).all(index.index_no, JSON.stringify(contentHashes)) as { content_hash: string; vector: Buffer }[];
    return new Map(rows.map((row) => [row.content_hash, Array.from(fromBlob(row.vector))]));
  }

  /** The live records among `keys` that pass the filters. */
  liveRecords(index: IndexRow, keys: number[], filters?: SearchFilters): Map<number, RecordRow> {
    const where = filterSql(filters);
    const rows = this.sql(`SELECT ${HIT_COLUMNS} FROM records r ${LIVE} WHERE r.key IN (SELECT value FROM json_each(?))${where.sql}`)
      .all(JSON.stringify(keys), ...where.params) as RecordRow[];
    return new Map(rows.map((row) => [row.key, row]));
  }

  countLive(index: IndexRow, filters?: SearchFilters): number {
    const where = filterSql(filters);
    return (this.sql(`SELECT count(*) AS n FROM records r ${LIVE} WHERE r.index_no = ?${where.sql}`).get(index.index_no, ...where.params) as { n: number }).n;
  }

  /** Every live record passing the filters with its vector: the exact-search fallback's input. */
  liveVectors(index: IndexRow, filters?: SearchFilters): { keys: number[]; vectors: Float32Array } {
    const where = filterSql(filters);
    const rows = this.sql(`SELECT r.key, r.vector FROM records r ${LIVE} WHERE r.index_no = ?${where.sql}`)
      .all(index.index_no, ...where.params) as { key: number; vector: Buffer }[];
    const vectors = new Float32Array(rows.length * index.dimension);
    rows.forEach((row, i) => vectors.set(fromBlob(row.vector), i * index.dimension));
    return { keys: rows.map((row) => row.key), vectors };
  }

  /** BM25 over the index's live records; `match` is an FTS5 query. */
  textSearch(index: IndexRow, match: string, limit: number, filters?: SearchFilters): (RecordRow & { bm25: number })[] {
    const fts = ftsTable(index.index_no);
    const where = filterSql(filters);
    return this.sql(
      `SELECT ${HIT_COLUMNS}, -bm25(${fts}) AS bm25 FROM ${fts} JOIN records r ON r.key = ${fts}.rowid ${LIVE}
       WHERE ${fts} MATCH ?${where.sql} ORDER BY bm25(${fts}) LIMIT ?`,
    ).all(match, ...where.params, limit) as (RecordRow & { bm25: number })[];
  }

  // --- what the ANN index needs to follow the database ---

  allKeys(index: IndexRow): BigUint64Array {
    const rows = this.sql('SELECT key FROM records WHERE index_no = ? ORDER BY key').raw().all(index.index_no) as [number][];
    return BigUint64Array.from(rows, ([key]) => BigInt(key));
  }

  vectorsOf(keys: number[], dimension: number): Float32Array {
    const rows = this.sql('SELECT key, vector FROM records WHERE key IN (SELECT value FROM json_each(?))').all(JSON.stringify(keys)) as { key: number; vector: Buffer }[];
    const byKey = new Map(rows.map((row) => [row.key, row.vector]));
    const vectors = new Float32Array(keys.length * dimension);
    keys.forEach((key, i) => vectors.set(fromBlob(byKey.get(key)!), i * dimension));
    return vectors;
  }

  removedKeys(index: IndexRow): { keys: BigUint64Array; upTo: number } {
    const rows = this.sql('SELECT seq, key FROM removed_keys WHERE index_no = ? ORDER BY seq').all(index.index_no) as { seq: number; key: number }[];
    return { keys: BigUint64Array.from(rows, (row) => BigInt(row.key)), upTo: rows.at(-1)?.seq ?? 0 };
  }

  forgetRemovedKeys(index: IndexRow, upTo: number): void {
    this.sql('DELETE FROM removed_keys WHERE index_no = ? AND seq <= ?').run(index.index_no, upTo);
  }
}
