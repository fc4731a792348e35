// The embedded vector index: records, live generations and BM25 in SQLite (records.sqlite), one
// usearch HNSW index per vector index in memory, saved beside it (see ann-index.ts for why a crash
// never loses or corrupts anything). One process owns the directory: the ANN lives in its memory.
//
// Filtered vector search never loses k:
// - a filter that at most EXACT_SEARCH_MAX_CANDIDATES live records pass is answered exactly;
// - otherwise the ANN is asked for k ÷ (share of records passing) × OVERFETCH_SLACK neighbours,
//   the misses dropped, and the request repeated ×4 deeper while short, up to MAX_ANN_FETCH;
// - past that bound, exact search over the records passing the filter (cost linear in them).
// Unpublished generations (being written) also fill ANN slots and are handled the same way.
import { join } from 'node:path';
import { exactSearch } from 'usearch';
import {
  VectorIndexError, type ChunkRecord, type IndexDefinition, type SearchHit, type SearchRequest, type VectorIndex,
} from '../ports.ts';
import { fuseByRank, knnScore } from '../scores.ts';
import { rankingDepth } from '../search-plan.ts';
import { queryTerms } from '../text-query.ts';
import { checkDefinition, checkRecords, checkSearch, sameDefinition } from '../validation.ts';
import { AnnIndex, measureOf, metricOf } from './ann-index.ts';
import { openRecordsDatabase } from './database.ts';
import { RecordStore, type IndexRow, type RecordRow } from './record-store.ts';

export const EXACT_SEARCH_MAX_CANDIDATES = 4096;
export const MAX_ANN_FETCH = 4096;
const OVERFETCH_SLACK = 1.5;

export interface EmbeddedVectorIndexOptions {
  /** Where records.sqlite and the .usearch files live, e.g. DATA_DIR/vector-index. */
  dir: string;
  /** How long after a write the ANN files are saved (writes in between are batched); close() saves too. */
  saveDelayMs?: number;
  /** usearch threads for adding vectors (searches use one each). */
  threads?: number;
  now?: () => Date;
}

const toHit = (row: RecordRow, score: number): SearchHit => ({
  chunk_id: row.chunk_id, score, text: row.text, file_name: row.file_name, page_start: row.page_start, page_end: row.page_end,
  start: row.start, end: row.end, chunking_job_id: row.chunking_job_id, content_hash: row.content_hash, generation: row.generation,
  extra: JSON.parse(row.extra) as SearchHit['extra'],
});

/** Opens the directory and loads (and brings up to date) every index's ANN. */
export function openEmbeddedVectorIndex(options: EmbeddedVectorIndexOptions): VectorIndex {
  return new EmbeddedVectorIndex(options);
}

class EmbeddedVectorIndex implements VectorIndex {
  private readonly db;
  private readonly records: RecordStore;
  private readonly anns = new Map<number, AnnIndex>();
  /** Live records per index, for the unfiltered over-fetch; dropped on every write. */
  private readonly liveCounts = new Map<number, number>();
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly threads: number;

  constructor(private readonly options: EmbeddedVectorIndexOptions) {
    this.db = openRecordsDatabase(options.dir);
    this.records = new RecordStore(this.db);
    this.threads = options.threads ?? 1;
    for (const row of this.records.listIndexes()) this.anns.set(row.index_no, this.openAnn(row));
  }

  private openAnn(row: IndexRow): AnnIndex {
    return AnnIndex.open(join(this.options.dir, `${row.index_id}.usearch`), this.records, row, this.threads);
  }

  private index(indexId: string): { row: IndexRow; ann: AnnIndex } {
    const row = this.records.getIndex(indexId);
    if (!row) throw new VectorIndexError('INDEX_NOT_FOUND', `index ${indexId} does not exist`);
    return { row, ann: this.anns.get(row.index_no)! };
  }

  private changed(row: IndexRow, ann: AnnIndex, removed: number[]): void {
    ann.remove(removed);
    this.liveCounts.delete(row.index_no);
    if (ann.needsSave && !this.saveTimer) {
      this.saveTimer = setTimeout(() => this.saveAll(), this.options.saveDelayMs ?? 5000);
      this.saveTimer.unref();
    }
  }

  private saveAll(): void {
    this.saveTimer = undefined;
    for (const ann of this.anns.values()) if (ann.needsSave) ann.save();
  }

  async createIndex(definition: IndexDefinition): Promise<void> {
    checkDefinition(definition);
    const existing = this.describe(definition.indexId);
    if (existing) {
      if (sameDefinition(existing, definition)) return;
      throw new VectorIndexError('INDEX_EXISTS', `index ${definition.indexId} exists with another definition`);
    }
    const row = this.records.createIndex(definition, (this.options.now?.() ?? new Date()).toISOString());
    this.anns.set(row.index_no, this.openAnn(row));
  }

  async deleteIndex(indexId: string): Promise<void> {
    const row = this.records.getIndex(indexId);
    if (!row) return;
    this.records.deleteIndex(row);
    this.anns.get(row.index_no)?.deleteFile();
    this.anns.delete(row.index_no);
    this.liveCounts.delete(row.index_no);
  }

  private describe(indexId: string): IndexDefinition | undefined {
    const row = this.records.getIndex(indexId);
    return row && { indexId: row.index_id, dimension: row.dimension, space: row.space, embeddingModel: row.embedding_model };
  }

  async describeIndex(indexId: string): Promise<IndexDefinition | undefined> {
    return this.describe(indexId);
  }

  async upsert(indexId: string, records: ChunkRecord[]): Promise<void> {
    const { row, ann } = this.index(indexId);
    checkRecords(indexId, records, row.dimension);
    const { added, removed } = this.records.upsert(row, records);
    ann.add(added);
    this.changed(row, ann, removed); // the replaced keys
  }

  async publish(indexId: string, fileName: string, generation: string): Promise<{ removed: number }> {
    const { row, ann } = this.index(indexId);
    const removed = this.records.publish(row, fileName, generation);
    this.changed(row, ann, removed);
    return { removed: removed.length };
  }

  async discardGeneration(indexId: string, fileName: string, generation: string): Promise<{ removed: number }> {
    const { row, ann } = this.index(indexId);
    const removed = this.records.discardGeneration(row, fileName, generation);
    this.changed(row, ann, removed);
    return { removed: removed.length };
  }

  async deleteFile(indexId: string, fileName: string): Promise<{ removed: number }> {
    const { row, ann } = this.index(indexId);
    const removed = this.records.deleteFile(row, fileName);
    this.changed(row, ann, removed);
    return { removed: removed.length };
  }

  async findVectors(indexId: string, contentHashes: string[]): Promise<Map<string, number[]>> {
    const { row } = this.index(indexId);
    return contentHashes.length === 0 ? new Map() : this.records.findVectors(row, contentHashes);
  }

  async search(indexId: string, request: SearchRequest): Promise<SearchHit[]> {
    const { row, ann } = this.index(indexId);
    checkSearch(request, row.dimension);
    const depth = rankingDepth(request);
    const hits = request.mode === 'vector'
      ? this.vectorHits(row, ann, request, depth)
      : request.mode === 'text'
        ? this.textHits(row, request, depth)
        : fuseByRank([this.vectorHits(row, ann, request, depth), this.textHits(row, request, depth)], request.k, request.k_rrf);
    return hits.filter((hit) => request.min_score === undefined || hit.score >= request.min_score).slice(0, request.k);
  }

  private textHits(row: IndexRow, request: SearchRequest, depth: number): SearchHit[] {
    const terms = queryTerms(request.text!);
    if (terms.length === 0) return [];
    const match = terms.map((term) => `"${term}"`).join(' OR ');
    return this.records.textSearch(row, match, depth, request.filters).map((hit) => toHit(hit, hit.bm25));
  }

  private vectorHits(row: IndexRow, ann: AnnIndex, request: SearchRequest, depth: number): SearchHit[] {
    const query = Float32Array.from(request.vector!);
    const total = ann.size;
    if (total === 0) return [];
    const candidates = request.filters ? this.records.countLive(row, request.filters) : this.liveCount(row);
    if (candidates === 0) return [];
    if (request.filters && candidates <= EXACT_SEARCH_MAX_CANDIDATES) return this.exactHits(row, query, request, depth);
    let fetch = Math.min(total, candidates >= total ? depth : Math.ceil((depth * total * OVERFETCH_SLACK) / candidates));
    for (;;) {
      const { keys, distances } = ann.search(query, fetch);
      const rows = this.records.liveRecords(row, keys, request.filters);
      const hits: SearchHit[] = [];
      keys.forEach((key, i) => {
        const found = rows.get(key);
        if (found) hits.push(toHit(found, knnScore(row.space, measureOf(row.space, distances[i]!))));
      });
      if (hits.length >= depth || keys.length < fetch || fetch >= total) return hits.slice(0, depth);
      if (fetch >= MAX_ANN_FETCH) return this.exactHits(row, query, request, depth);
      fetch = Math.min(total, MAX_ANN_FETCH, fetch * 4);
    }
  }

  private exactHits(row: IndexRow, query: Float32Array, request: SearchRequest, depth: number): SearchHit[] {
    const { keys, vectors } = this.records.liveVectors(row, request.filters);
    if (keys.length === 0) return [];
    const matches = exactSearch(vectors, query, row.dimension, Math.min(depth, keys.length), metricOf(row.space), 1);
    const nearest = Array.from(matches.keys, (position) => keys[Number(position)]!);
    const rows = this.records.liveRecords(row, nearest);
    return nearest.map((key, i) => toHit(rows.get(key)!, knnScore(row.space, measureOf(row.space, matches.distances[i]!))));
  }

  private liveCount(row: IndexRow): number {
    let count = this.liveCounts.get(row.index_no);
    if (count === undefined) {
      count = this.records.countLive(row);
      this.liveCounts.set(row.index_no, count);
    }
    return count;
  }

  async close(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveAll();
    this.db.close();
  }
}
