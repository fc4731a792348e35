// Search of one of the app's indexes: the query embedded with the index's model through the models
// capability (metered as `vector.embed`, the app's limits applied; see app-call.ts) unless the caller sends its own
// vector or searches by text only; hits with citations; one ledger event per search.
import type { ModelGateway } from '../platform/capabilities/models.ts';
import { ProblemError } from '../platform/problems.ts';
import type { UsageLedger } from '../platform/usage/usage-ledger.ts';
import { modelContext, type AppCall } from './app-call.ts';
import type { VectorBackend } from './backend.ts';
import type { VectorIndexRecord } from './catalog/ports.ts';
import { onIndex } from './index-problems.ts';
import type { SearchFilters } from './index/ports.ts';
import type { VectorIndexes } from './indexes.ts';
import { hitView, type Schemas } from './views.ts';

export const DEFAULT_K = 4;

export interface VectorSearchDeps {
  indexes: VectorIndexes;
  backend: VectorBackend;
  models: ModelGateway;
  ledger: Pick<UsageLedger, 'record'>;
}

export class VectorSearch {
  constructor(private readonly deps: VectorSearchDeps) {}

  async search(call: AppCall, body: Schemas['SearchRequest']): Promise<Schemas['SearchHit'][]> {
    const began = performance.now();
    const index = await this.deps.indexes.find(call.principal.appId, body.index_id);
    let errorCode: string | null = null;
    try {
      const mode = body.mode ?? 'vector';
      const vector = mode === 'text' ? undefined : await this.queryVector(call, index, body);
      const hits = await onIndex(index.indexId, () => this.deps.backend.index.search(index.indexId, {
        mode, k: body.k ?? DEFAULT_K, text: body.query, ...(vector && { vector }),
        ...(body.filters && { filters: filtersOf(body.filters) }), ...(body.min_score !== undefined && { min_score: body.min_score }),
      }));
      return hits.map(hitView);
    } catch (error) {
      errorCode = error instanceof ProblemError ? error.code : 'INTERNAL_ERROR';
      throw error;
    } finally {
      this.deps.ledger.record({
        appId: index.appId, service: 'vector', operation: 'search', resource: index.indexId, provider: null, units: { queries: 1 },
        latencyMs: Math.round(performance.now() - began), status: errorCode ? 'FAILED' : 'SUCCESS', errorCode, requestId: call.requestId,
        costUsd: 0, createdAt: new Date().toISOString(),
      });
    }
  }

  private async queryVector(call: AppCall, index: VectorIndexRecord, body: Schemas['SearchRequest']): Promise<number[]> {
    if (body.vector) {
      if (body.vector.length !== index.dimension) {
        throw new ProblemError('VALIDATION_ERROR', `The vector has ${body.vector.length} dimensions; index ${index.indexId} holds ${index.dimension}.`, {
          errors: [{ path: 'body.vector', message: `must have ${index.dimension} items` }],
        });
      }
      return body.vector;
    }
    const result = await this.deps.models.embed(modelContext(call), { model: index.embeddingModel, texts: [body.query] });
    return result.embeddings[0]!;
  }
}

function filtersOf(filters: Schemas['SearchFilters']): SearchFilters {
  const { page_from, page_to } = filters;
  if (page_from !== undefined && page_to !== undefined && page_from > page_to) {
    throw new ProblemError('VALIDATION_ERROR', `filters.page_from (${page_from}) is after filters.page_to (${page_to}).`, {
      errors: [{ path: 'body.filters.page_to', message: 'must not be before page_from' }],
    });
  }
  return filters;
}
