// The OpenSearch Serverless adapter's data plane: one index per vector index inside the store's
// collection, documents without ids (vector-search collections assign them), SigV4 for `aoss`.
// - upsert: a `_bulk` of documents; a record written again first has its earlier copy deleted by
//   query (it lives in an unpublished generation, so nobody sees the gap);
// - publish: swaps the file's pointer in LiveGenerations (one atomic write), then deletes the
//   previous generation by query;
// - search: a `terms` filter on the live file_generation keys plus the caller's filters, inside
//   the k-NN query (efficient filtering keeps k) and the BM25 `match` query. Hybrid sends both in
//   one `_msearch` and fuses them here by reciprocal rank: AOSS's hybrid query needs a search
//   pipeline whose normalization processor only offers min_max/l2 score normalisation, not RRF,
//   and the port defines hybrid as RRF on every adapter.
// - publish first counts the generation's documents (`_count`) until all are searchable (AOSS
//   refreshes on its own interval; searchable-wait.ts), then swaps. How many: `expected` when the
//   caller says, else the distinct records this process upserted into the generation (a worker
//   writes a file's records and publishes them in one run; after a crash the rerun writes them again).
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer, type AwsSigv4SignerOptions } from '@opensearch-project/opensearch/aws-v3';
import {
  MAX_FIND_VECTORS, VectorIndexError, type ChunkRecord, type IndexDefinition, type PublishOptions, type SearchHit, type SearchRequest, type VectorIndex,
} from '../ports.ts';
import { fuseByRank } from '../scores.ts';
import { rankingDepth } from '../search-plan.ts';
import { checkDefinition, checkRecords, checkSearch, sameDefinition } from '../validation.ts';
import { fileGeneration, type LiveGenerations } from './live-generations.ts';
import { DEFAULT_SEARCHABLE_WAIT, waitUntilSearchable, type SearchableWait } from './searchable-wait.ts';
import { byTermsBody, definitionFromMapping, filterClauses, indexBody, knnSearchBody, textSearchBody, VECTOR_FIELD } from './query-dsl.ts';

export interface OpenSearchVectorIndexOptions {
  /** The endpoint of the collection that holds the index (the service knows each index's store). */
  endpointOf(indexId: string): Promise<string>;
  region: string;
  /** Defaults to the SDK's provider chain (the task role on ECS). */
  credentials?: AwsSigv4SignerOptions['getCredentials'];
  live: LiveGenerations;
  /** How long publish waits for a generation's documents to become searchable (DEFAULT_SEARCHABLE_WAIT). */
  searchableWait?: SearchableWait;
}

interface Hit {
  _score: number;
  _source: Omit<SearchHit, 'score' | 'extra'> & { extra?: SearchHit['extra']; vector?: number[] };
}

const toHit = ({ _score, _source: s }: Hit): SearchHit => ({
  chunk_id: s.chunk_id, score: _score, text: s.text, file_name: s.file_name, page_start: s.page_start, page_end: s.page_end,
  start: s.start, end: s.end, chunking_job_id: s.chunking_job_id, content_hash: s.content_hash, generation: s.generation, extra: s.extra ?? {},
});

const statusOf = (error: unknown) => (error as { meta?: { statusCode?: number } }).meta?.statusCode;

export function openSearchVectorIndex(options: OpenSearchVectorIndexOptions): VectorIndex {
  return new OpenSearchVectorIndex(options);
}

class OpenSearchVectorIndex implements VectorIndex {
  private readonly clients = new Map<string, Client>();
  /** Definitions never change once created: cached to spare a round trip per search. */
  private readonly definitions = new Map<string, IndexDefinition>();
  /** Chunk ids upserted into each unpublished generation by this process, keyed by `${indexId}\u001f${file_generation}`. */
  private readonly written = new Map<string, Set<string>>();

  constructor(private readonly options: OpenSearchVectorIndexOptions) {}

  private async client(indexId: string): Promise<Client> {
    const node = await this.options.endpointOf(indexId);
    let client = this.clients.get(node);
    if (!client) {
      const signer = AwsSigv4Signer({ region: this.options.region, service: 'aoss', ...(this.options.credentials ? { getCredentials: this.options.credentials } : {}) });
      client = new Client({ ...signer, node });
      this.clients.set(node, client);
    }
    return client;
  }

  /** One request; OpenSearch failures become port errors (a missing index is INDEX_NOT_FOUND). */
  private async request<T>(indexId: string, params: { method: string; path: string; body?: unknown; bulkBody?: unknown[] }): Promise<T> {
    const client = await this.client(indexId);
    try {
      const response = await client.transport.request(params as Parameters<Client['transport']['request']>[0]);
      return response.body as T;
    } catch (error) {
      if (statusOf(error) === 404) throw new VectorIndexError('INDEX_NOT_FOUND', `index ${indexId} does not exist`);
      throw new VectorIndexError('BACKEND_UNAVAILABLE', `OpenSearch refused a request on index ${indexId} (status ${statusOf(error) ?? 'none'})`);
    }
  }

  async createIndex(definition: IndexDefinition): Promise<void> {
    checkDefinition(definition);
    const existing = await this.describeIndex(definition.indexId);
    if (existing) {
      if (sameDefinition(existing, definition)) return;
      throw new VectorIndexError('INDEX_EXISTS', `index ${definition.indexId} exists with another definition`);
    }
    await this.request(definition.indexId, { method: 'PUT', path: `/${definition.indexId}`, body: indexBody(definition) });
    this.definitions.set(definition.indexId, definition);
  }

  async deleteIndex(indexId: string): Promise<void> {
    this.definitions.delete(indexId);
    this.forget(`${indexId}\u001f`);
    try {
      await this.request(indexId, { method: 'DELETE', path: `/${indexId}` });
    } catch (error) {
      if (!(error instanceof VectorIndexError && error.reason === 'INDEX_NOT_FOUND')) throw error;
    }
    await this.options.live.drop(indexId);
  }

  async describeIndex(indexId: string): Promise<IndexDefinition | undefined> {
    const cached = this.definitions.get(indexId);
    if (cached) return cached;
    try {
      const body = await this.request<Record<string, { mappings: Parameters<typeof definitionFromMapping>[1] }>>(indexId, { method: 'GET', path: `/${indexId}/_mapping` });
      const definition = body[indexId] && definitionFromMapping(indexId, body[indexId].mappings);
      if (definition) this.definitions.set(indexId, definition);
      return definition;
    } catch (error) {
      if (error instanceof VectorIndexError && error.reason === 'INDEX_NOT_FOUND') return undefined;
      throw error;
    }
  }

  private async definition(indexId: string): Promise<IndexDefinition> {
    const definition = await this.describeIndex(indexId);
    if (!definition) throw new VectorIndexError('INDEX_NOT_FOUND', `index ${indexId} does not exist`);
    return definition;
  }

  private async deleteByQuery(indexId: string, filter: object[]): Promise<number> {
    const body = await this.request<{ deleted: number }>(indexId, { method: 'POST', path: `/${indexId}/_delete_by_query`, body: { query: { bool: { filter } } } });
    return body.deleted;
  }

  async upsert(indexId: string, records: ChunkRecord[]): Promise<void> {
    const { dimension } = await this.definition(indexId);
    checkRecords(indexId, records, dimension);
    if (records.length === 0) return;
    const live = await this.options.live.live(indexId);
    const byGeneration = new Map<string, string[]>();
    for (const { id, metadata: m } of records) {
      if (live.get(m.file_name) === m.generation) {
        throw new VectorIndexError('GENERATION_IS_LIVE', `generation ${m.generation} of ${m.file_name} is live; write a new generation and publish it`);
      }
      const key = fileGeneration(m.file_name, m.generation);
      byGeneration.set(key, [...(byGeneration.get(key) ?? []), id]);
    }
    for (const [key, ids] of byGeneration) {
      const filter = [{ term: { file_generation: key } }, { terms: { chunk_id: ids } }];
      // A copy this process wrote may not be searchable yet, and delete-by-query would miss it
      // (a duplicate): wait until it is. A crashed process's copies are searchable long before
      // its messages are delivered again (the lease is longer than AOSS's refresh).
      const rewritten = ids.filter((id) => this.written.get(`${indexId}\u001f${key}`)?.has(id)).length;
      if (rewritten > 0) await this.waitForCount(indexId, `rewritten records of ${key.replace('\u001f', ' generation ')}`, { bool: { filter } }, rewritten);
      await this.deleteByQuery(indexId, filter);
    }
    const bulkBody = records.flatMap(({ id, vector, text, metadata: { generation, ...m } }) => [
      { index: { _index: indexId } },
      { ...m, generation, chunk_id: id, text, [VECTOR_FIELD]: Array.from(vector), file_generation: fileGeneration(m.file_name, generation), extra: m.extra ?? {} },
    ]);
    const result = await this.request<{ errors: boolean }>(indexId, { method: 'POST', path: '/_bulk', bulkBody });
    if (result.errors) throw new VectorIndexError('BACKEND_UNAVAILABLE', `OpenSearch rejected some of ${records.length} records for index ${indexId}`);
    for (const [key, ids] of byGeneration) {
      const written = this.written.get(`${indexId}\u001f${key}`) ?? new Set<string>();
      for (const id of ids) written.add(id);
      this.written.set(`${indexId}\u001f${key}`, written);
    }
  }

  async publish(indexId: string, fileName: string, generation: string, { expected }: PublishOptions = {}): Promise<{ removed: number }> {
    await this.definition(indexId);
    const key = fileGeneration(fileName, generation);
    const wanted = expected ?? this.written.get(`${indexId}\u001f${key}`)?.size;
    if (wanted !== undefined) await this.waitForCount(indexId, `generation ${generation} of ${fileName}`, { bool: { filter: [{ term: { file_generation: key } }] } }, wanted);
    const previous = await this.options.live.swap(indexId, fileName, generation);
    this.written.delete(`${indexId}\u001f${key}`);
    if (previous === undefined || previous === generation) return { removed: 0 };
    return { removed: await this.deleteByQuery(indexId, [{ term: { file_generation: fileGeneration(fileName, previous) } }]) };
  }

  private async waitForCount(indexId: string, what: string, query: object, expected: number): Promise<void> {
    const count = async () => (await this.request<{ count: number }>(indexId, { method: 'POST', path: `/${indexId}/_count`, body: { query } })).count;
    await waitUntilSearchable(`${what} in index ${indexId}`, expected, count, this.options.searchableWait ?? DEFAULT_SEARCHABLE_WAIT);
  }

  /** Drops the written-record counts of every key starting with `prefix`. */
  private forget(prefix: string): void {
    for (const key of this.written.keys()) if (key.startsWith(prefix)) this.written.delete(key);
  }

  async discardGeneration(indexId: string, fileName: string, generation: string): Promise<{ removed: number }> {
    await this.definition(indexId);
    this.written.delete(`${indexId}\u001f${fileGeneration(fileName, generation)}`);
    if ((await this.options.live.live(indexId)).get(fileName) === generation) return { removed: 0 };
    return { removed: await this.deleteByQuery(indexId, [{ term: { file_generation: fileGeneration(fileName, generation) } }]) };
  }

  async deleteFile(indexId: string, fileName: string): Promise<{ removed: number }> {
    await this.definition(indexId);
    this.forget(`${indexId}\u001f${fileGeneration(fileName, '')}`);
    await this.options.live.remove(indexId, fileName);
    return { removed: await this.deleteByQuery(indexId, [{ term: { file_name: fileName } }]) };
  }

  private async liveKeys(indexId: string): Promise<string[]> {
    return [...(await this.options.live.live(indexId))].map(([file, generation]) => fileGeneration(file, generation));
  }

  async findVectors(indexId: string, contentHashes: string[]): Promise<Map<string, number[]>> {
    await this.definition(indexId);
    const hashes = contentHashes.slice(0, MAX_FIND_VECTORS);
    const liveKeys = await this.liveKeys(indexId);
    if (hashes.length === 0 || liveKeys.length === 0) return new Map();
    const body = await this.request<{ hits: { hits: Hit[] } }>(indexId, {
      method: 'POST', path: `/${indexId}/_search`,
      body: byTermsBody('content_hash', hashes, [{ terms: { file_generation: liveKeys } }], ['content_hash', VECTOR_FIELD], hashes.length),
    });
    return new Map(body.hits.hits.map((hit) => [hit._source.content_hash, hit._source.vector!]));
  }

  async search(indexId: string, request: SearchRequest): Promise<SearchHit[]> {
    const { dimension } = await this.definition(indexId);
    checkSearch(request, dimension);
    const liveKeys = await this.liveKeys(indexId);
    if (liveKeys.length === 0) return [];
    const clauses = filterClauses(liveKeys, request.filters);
    const depth = rankingDepth(request);
    const vectorBody = () => knnSearchBody(Array.from(request.vector!), depth, clauses, request.mode === 'vector' ? request.min_score : undefined);
    const textBody = () => textSearchBody(request.text!, depth, clauses);
    let hits: SearchHit[];
    if (request.mode === 'hybrid') {
      const { responses } = await this.request<{ responses: { hits: { hits: Hit[] } }[] }>(indexId, {
        method: 'POST', path: '/_msearch', bulkBody: [{ index: indexId }, vectorBody(), { index: indexId }, textBody()],
      });
      hits = fuseByRank(responses.map((response) => response.hits.hits.map(toHit)), request.k, request.k_rrf);
    } else {
      const body = await this.request<{ hits: { hits: Hit[] } }>(indexId, { method: 'POST', path: `/${indexId}/_search`, body: request.mode === 'vector' ? vectorBody() : textBody() });
      hits = body.hits.hits.map(toHit);
    }
    return hits.filter((hit) => request.min_score === undefined || hit.score >= request.min_score).slice(0, request.k);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
  }
}
