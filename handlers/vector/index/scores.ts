// Scores every adapter reports: OpenSearch's k-NN score per space (so a min_score means the same on
// both), and reciprocal-rank fusion for hybrid search.
import { DEFAULT_K_RRF, type SearchHit, type VectorSpace } from './ports.ts';

/** The k-NN score from the space's raw measure: cosine similarity, squared L2 distance, or inner product. */
export function knnScore(space: VectorSpace, measure: number): number {
  switch (space) {
    case 'cosine':
      return (1 + measure) / 2;
    case 'l2':
      return 1 / (1 + measure);
    case 'innerproduct':
      return measure >= 0 ? measure + 1 : 1 / (1 - measure);
  }
}

/**
 * Reciprocal-rank fusion: each hit scores Σ 1 / (k_rrf + rank) over the rankings it appears in
 * (ranks from 1), so a chunk both rankings like beats one only a single ranking likes, whatever
 * the scales of the two scores. Ties keep the order of the first ranking.
 */
export function fuseByRank(rankings: SearchHit[][], k: number, kRrf = DEFAULT_K_RRF): SearchHit[] {
  const fused = new Map<string, SearchHit>();
  for (const ranking of rankings) {
    ranking.forEach((hit, position) => {
      const key = `${hit.file_name}\u0000${hit.generation}\u0000${hit.chunk_id}`;
      const add = 1 / (kRrf + position + 1);
      const seen = fused.get(key);
      fused.set(key, seen ? { ...seen, score: seen.score + add } : { ...hit, score: add });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, k);
}
