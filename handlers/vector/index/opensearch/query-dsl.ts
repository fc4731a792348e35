// The OpenSearch request bodies of the adapter, in one place so that tests can check them
// against OpenSearch's documentation: the index mapping (k-NN plugin `knn_vector` with an
// explicit method), the k-NN query with efficient filtering, the BM25 `match` query, and the
// filters as `bool.filter` clauses.
import type { IndexDefinition, SearchFilters, VectorSpace } from '../ports.ts';

export const VECTOR_FIELD = 'vector';
export const HNSW = { m: 16, ef_construction: 128 };
const SPACE_TYPES: Record<VectorSpace, string> = { cosine: 'cosinesimil', l2: 'l2', innerproduct: 'innerproduct' };
const KEYWORDS = ['chunk_id', 'file_name', 'generation', 'file_generation', 'app_id', 'store_id', 'index_id', 'chunking_job_id', 'content_hash'];
const INTEGERS = ['page_start', 'page_end', 'start', 'end'];

export function indexBody(definition: IndexDefinition) {
  const keyword = { type: 'keyword' };
  return {
    settings: { index: { knn: true } },
    mappings: {
      _meta: { embedding_model: definition.embeddingModel, space: definition.space, dimension: definition.dimension },
      // extra.* strings are exact values (equality filters), not analysed text
      dynamic_templates: [{ extra_strings: { path_match: 'extra.*', match_mapping_type: 'string', mapping: keyword } }],
      properties: {
        [VECTOR_FIELD]: {
          type: 'knn_vector',
          dimension: definition.dimension,
          method: { name: 'hnsw', engine: 'faiss', space_type: SPACE_TYPES[definition.space], parameters: HNSW },
        },
        text: { type: 'text' },
        extra: { type: 'object' },
        ...Object.fromEntries(KEYWORDS.map((field) => [field, keyword])),
        ...Object.fromEntries(INTEGERS.map((field) => [field, { type: 'integer' }])),
      },
    },
  };
}

export function definitionFromMapping(indexId: string, mappings: { _meta?: { embedding_model?: string; space?: VectorSpace; dimension?: number } }): IndexDefinition | undefined {
  const meta = mappings._meta;
  if (!meta?.embedding_model || !meta.space || !meta.dimension) return undefined;
  return { indexId, dimension: meta.dimension, space: meta.space, embeddingModel: meta.embedding_model };
}

/** Live generations first, then the caller's filters; every clause is a non-scoring filter. */
export function filterClauses(liveKeys: string[], filters: SearchFilters | undefined): object[] {
  const clauses: object[] = [{ terms: { file_generation: liveKeys } }];
  if (filters?.file_name !== undefined) clauses.push({ terms: { file_name: [filters.file_name].flat() } });
  if (filters?.page_from !== undefined) clauses.push({ range: { page_end: { gte: filters.page_from } } });
  if (filters?.page_to !== undefined) clauses.push({ range: { page_start: { lte: filters.page_to } } });
  if (filters?.chunking_job_id !== undefined) clauses.push({ term: { chunking_job_id: filters.chunking_job_id } });
  for (const [key, value] of Object.entries(filters?.metadata ?? {})) clauses.push({ term: { [`extra.${key}`]: value } });
  return clauses;
}

const WITHOUT_VECTOR = { excludes: [VECTOR_FIELD] };

/** Approximate k-NN with efficient filtering (faiss): the filter is applied during the search, so k survives it. */
export function knnSearchBody(vector: number[], depth: number, clauses: object[], minScore?: number) {
  return {
    size: depth,
    _source: WITHOUT_VECTOR,
    ...(minScore === undefined ? {} : { min_score: minScore }),
    query: { knn: { [VECTOR_FIELD]: { vector, k: depth, filter: { bool: { filter: clauses } } } } },
  };
}

/** BM25 over `text`: any query word may match (the match query's default OR). */
export function textSearchBody(text: string, depth: number, clauses: object[]) {
  return { size: depth, _source: WITHOUT_VECTOR, query: { bool: { must: [{ match: { text: { query: text } } }], filter: clauses } } };
}

export function byTermsBody(field: string, values: string[], clauses: object[], source: string[], size: number) {
  return { size, _source: source, query: { bool: { filter: [{ terms: { [field]: values } }, ...clauses] } } };
}
