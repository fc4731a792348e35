// The vector benchmarks' data set: clustered, embedding-like unit vectors (random centres +
// noise; queries are perturbed members), deterministic across runs, with the helpers that time
// sequential queries, measure recall@K and find the exact top K (the recall oracle). Uniform
// random vectors would make HNSW recall meaningless. BENCH_VECTORS and BENCH_QUERIES shrink it.
import { exactSearch, Index, MetricKind, ScalarKind } from 'usearch';
import { ANN_PARAMS } from '../../handlers/vector/index/embedded/ann-index.ts';
import type { ChunkRecord, VectorIndex } from '../../handlers/vector/index/ports.ts';
import { median } from './load.ts';

export const COUNT = Number(process.env.BENCH_VECTORS ?? 100_000);
export const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const DIM = 384;
export const CENTRES = 2000;
export const K = 10;
export const RECALL_QUERIES = Math.min(200, QUERIES);
export const CHUNKS_PER_FILE = 1000;
/** Threads for building the two HNSW graphs (queries always run on one). */
export const BUILD_THREADS = Number(process.env.BENCH_BUILD_THREADS ?? 2);
/** Per-dimension noise on a unit vector: a perturbation of norm ≈ 0.3. */
const QUERY_NOISE = 0.3 / Math.sqrt(DIM);

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

function normalise(v: Float32Array, offset: number): void {
  let norm = 0;
  for (let i = 0; i < DIM; i++) norm += v[offset + i]! ** 2;
  norm = Math.sqrt(norm);
  for (let i = 0; i < DIM; i++) v[offset + i]! /= norm;
}

/** Points around random centres: what sentence embeddings of a corpus on a few thousand topics look like. */
export function clusteredData() {
  const next = random(42);
  const centres = new Float32Array(CENTRES * DIM).map(() => gaussian(next));
  const noise = 0.6; // per-dimension noise relative to the centre's unit-variance coordinates
  const vectors = new Float32Array(COUNT * DIM);
  for (let i = 0; i < COUNT; i++) {
    const c = Math.floor(next() * CENTRES) * DIM;
    for (let d = 0; d < DIM; d++) vectors[i * DIM + d] = centres[c + d]! + noise * gaussian(next);
    normalise(vectors, i * DIM);
  }
  const queries = new Float32Array(QUERIES * DIM);
  for (let q = 0; q < QUERIES; q++) {
    const member = Math.floor(next() * COUNT) * DIM;
    for (let d = 0; d < DIM; d++) queries[q * DIM + d] = vectors[member + d]! + QUERY_NOISE * gaussian(next);
    normalise(queries, q * DIM);
  }
  return { vectors, queries };
}

// A copy, not a view: usearch 2.25.3's exactSearch ignores a typed array's byteOffset.
export const query = (queries: Float32Array, q: number) => queries.slice(q * DIM, (q + 1) * DIM);
export const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/** Runs every query once, sequentially; per-query latencies in ms and the overall QPS. */
export async function timeQueries(run: (q: number) => Promise<unknown> | unknown) {
  const latencies: number[] = [];
  const started = performance.now();
  for (let q = 0; q < QUERIES; q++) {
    const t = performance.now();
    await run(q);
    latencies.push(performance.now() - t);
  }
  return { qps: QUERIES / ((performance.now() - started) / 1000), p50: median(latencies) };
}

export function recall(found: number[][], truth: number[][]): number {
  let hit = 0;
  found.forEach((keys, q) => {
    const expected = new Set(truth[q]);
    hit += keys.filter((key) => expected.has(key)).length;
  });
  return hit / (found.length * K);
}

/** Where ingest writes: an index that exists already, and the ids its records carry. */
export interface IngestTarget {
  indexId: string;
  appId: string;
  storeId: string;
}

/** Writes the vectors as files of CHUNKS_PER_FILE records, each published; records/s. Chunk id = position. */
export async function ingest(index: VectorIndex, vectors: Float32Array, { indexId, appId, storeId }: IngestTarget): Promise<number> {
  const started = performance.now();
  for (let file = 0; file * CHUNKS_PER_FILE < COUNT; file++) {
    const fileName = `file-${file}.pdf`;
    for (let from = file * CHUNKS_PER_FILE; from < Math.min(COUNT, (file + 1) * CHUNKS_PER_FILE); from += 500) {
      const records: ChunkRecord[] = [];
      for (let i = from; i < Math.min(COUNT, from + 500, (file + 1) * CHUNKS_PER_FILE); i++) {
        records.push({
          id: String(i), vector: vectors.subarray(i * DIM, (i + 1) * DIM), text: `chunk ${i} of ${fileName}`,
          metadata: {
            app_id: appId, store_id: storeId, index_id: indexId, file_name: fileName, generation: 'g1', page_start: 1, page_end: 1,
            start: 0, end: 10, chunking_job_id: 'bench', content_hash: String(i),
          },
        });
      }
      await index.upsert(indexId, records);
    }
    await index.publish(indexId, fileName, 'g1');
  }
  return COUNT / ((performance.now() - started) / 1000);
}

/** The true top K of the recall sample by brute force, timed (it is too slow to run every query). */
export function exactOracle(vectors: Float32Array, queries: Float32Array) {
  const latencies: number[] = [];
  const truth: number[][] = [];
  const started = performance.now();
  for (let q = 0; q < RECALL_QUERIES; q++) {
    const t = performance.now();
    truth.push(Array.from(exactSearch(vectors, query(queries, q), DIM, K, MetricKind.Cos, 1).keys, Number));
    latencies.push(performance.now() - t);
  }
  return { truth, qps: RECALL_QUERIES / ((performance.now() - started) / 1000), p50: median(latencies) };
}

/** Raw usearch in-process with the embedded index's HNSW parameters (keys = positions); its build time. */
export function rawUsearch(vectors: Float32Array) {
  const started = performance.now();
  const raw = new Index({ dimensions: DIM, metric: MetricKind.Cos, quantization: ScalarKind.F32, multi: false, ...ANN_PARAMS });
  raw.add(BigUint64Array.from({ length: COUNT }, (_, i) => BigInt(i)), vectors, BUILD_THREADS);
  return { raw, rawBuildS: (performance.now() - started) / 1000 };
}

/** The medians of alternating runs. */
export const summary = (runs: { qps: number; p50: number }[]) => ({ qps: median(runs.map((r) => r.qps)), p50: median(runs.map((r) => r.p50)) });
