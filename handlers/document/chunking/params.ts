// Chunking parameters: the seed's defaults (1000 / 0), explicit limits, and the field errors a
// `create_job` answers with a 400 — the seed accepted anything here and crashed in the worker.
import type { FieldError } from '../../platform/problems.ts';
import type { ChunkingParams, ChunkingStrategy } from './ports.ts';

export const CHUNKING_STRATEGIES: readonly ChunkingStrategy[] = ['fixed_size', 'recursive', 'page', 'markdown', 'sentence', 'token', 'table_aware'];

export const CHUNKING_LIMITS = {
  /** chunk_size: 1 … 100 000 (characters, or tokens for `token`). */
  minChunkSize: 1,
  maxChunkSize: 100_000,
  /** chunk_overlap: 0 … chunk_size − 1. */
  minChunkOverlap: 0,
} as const;

export const CHUNKING_DEFAULTS = { chunk_size: 1000, chunk_overlap: 0 } as const;

export interface ResolvedChunkingParams {
  chunkSize: number;
  chunkOverlap: number;
}

/** Field errors for a 400 (empty when the parameters are good). `page` ignores the values but still checks them. */
export function validateChunkingParams(strategy: string, params: ChunkingParams | null | undefined, path = 'body.chunking_params'): FieldError[] {
  const errors: FieldError[] = [];
  if (!(CHUNKING_STRATEGIES as readonly string[]).includes(strategy)) {
    errors.push({ path: 'body.chunking_strategy', message: `must be one of ${CHUNKING_STRATEGIES.join(', ')}` });
  }
  const size = params?.chunk_size ?? CHUNKING_DEFAULTS.chunk_size;
  const overlap = params?.chunk_overlap ?? CHUNKING_DEFAULTS.chunk_overlap;
  const sizeOk = isIntegerIn(size, CHUNKING_LIMITS.minChunkSize, CHUNKING_LIMITS.maxChunkSize);
  if (!sizeOk) {
    errors.push({ path: `${path}.chunk_size`, message: `must be an integer from ${CHUNKING_LIMITS.minChunkSize} to ${CHUNKING_LIMITS.maxChunkSize}` });
  }
  if (!isIntegerIn(overlap, CHUNKING_LIMITS.minChunkOverlap, CHUNKING_LIMITS.maxChunkSize - 1)) {
    errors.push({ path: `${path}.chunk_overlap`, message: `must be an integer from ${CHUNKING_LIMITS.minChunkOverlap} to chunk_size - 1` });
  } else if (sizeOk && overlap >= size) {
    errors.push({ path: `${path}.chunk_overlap`, message: `must be smaller than chunk_size (${size})` });
  }
  return errors;
}

/** The values a strategy runs with; throws on parameters `validateChunkingParams` rejects. */
export function resolveChunkingParams(strategy: ChunkingStrategy, params: ChunkingParams | null | undefined): ResolvedChunkingParams {
  const errors = validateChunkingParams(strategy, params);
  if (errors.length) throw new RangeError(`invalid chunking parameters: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  return { chunkSize: params?.chunk_size ?? CHUNKING_DEFAULTS.chunk_size, chunkOverlap: params?.chunk_overlap ?? CHUNKING_DEFAULTS.chunk_overlap };
}

const isIntegerIn = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
