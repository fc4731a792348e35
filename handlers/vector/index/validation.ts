// The port's input rules, checked the same way by every adapter before it touches its backend.
import {
  INDEX_ID_PATTERN, MAX_DIMENSION, MAX_EXTRA_METADATA_KEYS, MAX_K, MAX_UPSERT_BATCH, VectorIndexError,
  type ChunkRecord, type IndexDefinition, type SearchRequest,
} from './ports.ts';

const SPACES = ['cosine', 'l2', 'innerproduct'];
const MAX_ID_LENGTH = 512;
const MAX_QUERY_TEXT = 10_000;

export function checkDefinition(definition: IndexDefinition): void {
  const { indexId, dimension, space, embeddingModel } = definition;
  if (!INDEX_ID_PATTERN.test(indexId)) throw new VectorIndexError('INVALID_INDEX', `index id "${indexId}" must match ${INDEX_ID_PATTERN}`);
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_DIMENSION) {
    throw new VectorIndexError('INVALID_INDEX', `dimension must be an integer from 1 to ${MAX_DIMENSION}`);
  }
  if (!SPACES.includes(space)) throw new VectorIndexError('INVALID_INDEX', `space must be one of ${SPACES.join(', ')}`);
  if (!embeddingModel) throw new VectorIndexError('INVALID_INDEX', 'embeddingModel is required');
}

export function sameDefinition(a: IndexDefinition, b: IndexDefinition): boolean {
  return a.indexId === b.indexId && a.dimension === b.dimension && a.space === b.space && a.embeddingModel === b.embeddingModel;
}

export function checkVector(vector: ArrayLike<number>, dimension: number, what: string): void {
  if (vector.length !== dimension) throw new VectorIndexError(what === 'query' ? 'INVALID_SEARCH' : 'INVALID_RECORD', `${what} vector has ${vector.length} dimensions, the index ${dimension}`);
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new VectorIndexError(what === 'query' ? 'INVALID_SEARCH' : 'INVALID_RECORD', `${what} vector holds a non-finite number`);
  }
}

export function checkRecords(indexId: string, records: ChunkRecord[], dimension: number): void {
  if (records.length > MAX_UPSERT_BATCH) throw new VectorIndexError('INVALID_RECORD', `at most ${MAX_UPSERT_BATCH} records per upsert`);
  const seen = new Set<string>();
  for (const record of records) {
    const { id, metadata } = record;
    if (!id || id.length > MAX_ID_LENGTH) throw new VectorIndexError('INVALID_RECORD', `record id must have 1 to ${MAX_ID_LENGTH} characters`);
    if (metadata.index_id !== indexId) throw new VectorIndexError('INVALID_RECORD', `record ${id} names index ${metadata.index_id}, not ${indexId}`);
    if (!metadata.file_name || !metadata.generation) throw new VectorIndexError('INVALID_RECORD', `record ${id} needs file_name and generation`);
    const key = `${metadata.file_name}\u0000${metadata.generation}\u0000${id}`;
    if (seen.has(key)) throw new VectorIndexError('INVALID_RECORD', `record ${id} appears twice in the batch`);
    seen.add(key);
    if (Object.keys(metadata.extra ?? {}).length > MAX_EXTRA_METADATA_KEYS) {
      throw new VectorIndexError('INVALID_RECORD', `record ${id} has more than ${MAX_EXTRA_METADATA_KEYS} extra metadata keys`);
    }
    checkVector(record.vector, dimension, `record ${id}`);
  }
}

export function checkSearch(request: SearchRequest, dimension: number): void {
  const { mode, k, vector, text } = request;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new VectorIndexError('INVALID_SEARCH', `k must be an integer from 1 to ${MAX_K}`);
  if (mode !== 'vector' && mode !== 'text' && mode !== 'hybrid') throw new VectorIndexError('INVALID_SEARCH', 'mode must be vector, text or hybrid');
  if (mode !== 'text') {
    if (!vector) throw new VectorIndexError('INVALID_SEARCH', `mode ${mode} needs a query vector`);
    checkVector(vector, dimension, 'query');
  }
  if (mode !== 'vector' && !text?.trim()) throw new VectorIndexError('INVALID_SEARCH', `mode ${mode} needs a query text`);
  if ((text?.length ?? 0) > MAX_QUERY_TEXT) throw new VectorIndexError('INVALID_SEARCH', `query text is longer than ${MAX_QUERY_TEXT} characters`);
  if (request.k_rrf !== undefined && (!Number.isFinite(request.k_rrf) || request.k_rrf < 0)) {
    throw new VectorIndexError('INVALID_SEARCH', 'k_rrf must be a non-negative number');
  }
}
