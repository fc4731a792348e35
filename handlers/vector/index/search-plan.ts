// How deep each ranking goes: a hybrid search ranks more candidates per side than it returns, so
// that a chunk ranked moderately by both can still win the fusion.
import { MAX_K, type SearchRequest } from './ports.ts';

export const HYBRID_DEPTH_FACTOR = 2;

export function rankingDepth(request: SearchRequest): number {
  return request.mode === 'hybrid' ? Math.min(HYBRID_DEPTH_FACTOR * MAX_K, Math.max(HYBRID_DEPTH_FACTOR * request.k, 20)) : request.k;
}
