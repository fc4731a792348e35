// Vector search on 100k × 384 clustered, embedding-like vectors (2000 centres + noise, unit
// length; queries are perturbed members): the embedded vector index (usearch + SQLite, through
// the port: live-generation join, citations) against raw usearch in-process with the same HNSW
// parameters, and exact brute force as the recall oracle — all in this run, alternating rounds.
// Goal: the adapter at ≥ 50 % of raw usearch's QPS, at recall@10 ≥ 0.95.
// BENCH_VECTORS, BENCH_QUERIES and BENCH_ROUNDS shrink it for a quick look.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exactSearch, Index, MetricKind, ScalarKind } from 'usearch';
import { ANN_PARAMS } from '../handlers/vector/index/embedded/ann-index.ts';
import { openEmbeddedVectorIndex } from '../handlers/vector/index/embedded/embedded-vector-index.ts';
import type { ChunkRecord, VectorIndex } from '../handlers/vector/index/ports.ts';
import { median } from './lib/load.ts';
import { report } from './lib/report.ts';

const COUNT = Number(process.env.BENCH_VECTORS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DIM = 384;
const CENTRES = 2000;
const K = 10;
const RECALL_QUERIES = Math.min(200, QUERIES);
const CHUNKS_PER_FILE = 1000;
/** Threads for building the two HNSW graphs (queries always run on one). */
const BUILD_THREADS = Number(process.env.BENCH_BUILD_THREADS ?? 2);
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
function clusteredData() {
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
const query = (queries: Float32Array, q: number) => queries.slice(q * DIM, (q + 1) * DIM);
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/** Runs every query once, sequentially; per-query latencies in ms and the overall QPS. */
async function timeQueries(run: (q: number) => Promise<unknown> | unknown) {
  const latencies: number[] = [];
  const started = performance.now();
  for (let q = 0; q < QUERIES; q++) {
    const t = performance.now();
    await run(q);
    latencies.push(performance.now() - t);
  }
  return { qps: QUERIES / ((performance.now() - started) / 1000), p50: median(latencies) };
}

function recall(found: number[][], truth: number[][]): number {
  let hit = 0;
  found.forEach((keys, q) => {
    const expected = new Set(truth[q]);
    hit += keys.filter((key) => expected.has(key)).length;
  });
  return hit / (found.length * K);
}

async function ingest(index: VectorIndex, vectors: Float32Array): Promise<number> {
  const started = performance.now();
  await index.createIndex({ indexId: 'bench', dimension: DIM, space: 'cosine', embeddingModel: 'synthetic' });
  for (let file = 0; file * CHUNKS_PER_FILE < COUNT; file++) {
    const fileName = `file-${file}.pdf`;
    for (let from = file * CHUNKS_PER_FILE; from < Math.min(COUNT, (file + 1) * CHUNKS_PER_FILE); from += 500) {
      const records: ChunkRecord[] = [];
      for (let i = from; i < Math.min(COUNT, from + 500, (file + 1) * CHUNKS_PER_FILE); i++) {
        records.push({
          id: String(i), vector: vectors.subarray(i * DIM, (i + 1) * DIM), text: `chunk ${i} of ${fileName}`,
          metadata: {
            app_id: 'bench', store_id: 'bench', index_id: 'bench', file_name: fileName, generation: 'g1', page_start: 1, page_end: 1,
            start: 0, end: 10, chunking_job_id: 'bench', content_hash: String(i),
          },
        });
      }
      await index.upsert('bench', records);
    }
    await index.publish('bench', fileName, 'g1');
  }
  return COUNT / ((performance.now() - started) / 1000);
}

export async function benchVectorSearch(): Promise<string> {
  const { lines, say } = report();
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-vector-'));
  try {
    const { vectors, queries } = clusteredData();
    const rssData = rssMb();

    const exact = exactOracle(vectors, queries);
    const truth = exact.truth;

    let started = performance.now();
    const raw = new Index({ dimensions: DIM, metric: MetricKind.Cos, quantization: ScalarKind.F32, multi: false, ...ANN_PARAMS });
    raw.add(BigUint64Array.from({ length: COUNT }, (_, i) => BigInt(i)), vectors, BUILD_THREADS);
    const rawBuildS = (performance.now() - started) / 1000;
    const rssRaw = rssMb();

    const adapter = openEmbeddedVectorIndex({ dir, saveDelayMs: 3_600_000, threads: BUILD_THREADS });
    const ingestRate = await ingest(adapter, vectors);
    const rssAdapter = rssMb();

    // Keys in the adapter are the records' SQLite keys; the chunk id is the dataset position.
    const rawSearch = (q: number) => Array.from(raw.search(query(queries, q), K, 1).keys, Number);
    const adapterSearch = async (q: number) =>
      (await adapter.search('bench', { mode: 'vector', vector: query(queries, q), k: K })).map((hit) => Number(hit.chunk_id));

    const rawRecall = recall(Array.from({ length: RECALL_QUERIES }, (_, q) => rawSearch(q)), truth);
    const adapterRecall = recall(await Promise.all(Array.from({ length: RECALL_QUERIES }, (_, q) => adapterSearch(q))), truth);

    const rawRuns: { qps: number; p50: number }[] = [];
    const adapterRuns: { qps: number; p50: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rawRuns.push(await timeQueries(rawSearch));
      adapterRuns.push(await timeQueries(adapterSearch));
    }
    const summary = (runs: { qps: number; p50: number }[]) => ({ qps: median(runs.map((r) => r.qps)), p50: median(runs.map((r) => r.p50)) });
    const rawSummary = summary(rawRuns);
    const adapterSummary = summary(adapterRuns);

    // A selective filter: one file of 100 (1 %), answered exactly by the adapter.
    const filtered = await timeQueries(async (q) =>
      adapter.search('bench', { mode: 'vector', vector: query(queries, q), k: K, filters: { file_name: `file-${q % Math.ceil(COUNT / CHUNKS_PER_FILE)}.pdf` } }));

    say(`${COUNT} × ${DIM} clustered unit vectors (${CENTRES} centres), cosine, k=${K}; HNSW M=${ANN_PARAMS.connectivity}, efConstruction=${ANN_PARAMS.expansion_add}, ef=${ANN_PARAMS.expansion_search}`);
    say(`${QUERIES} sequential queries per run, medians of ${ROUNDS} alternating runs; recall@${K} on ${RECALL_QUERIES} queries against exact search`);
    say('');
    say('| target | QPS | p50 ms | recall@10 |');
    say('|---|---|---|---|');
    say(`| raw usearch (in-process) | ${rawSummary.qps.toFixed(0)} | ${rawSummary.p50.toFixed(3)} | ${rawRecall.toFixed(3)} |`);
    say(`| embedded adapter (port search, citations from SQLite) | ${adapterSummary.qps.toFixed(0)} | ${adapterSummary.p50.toFixed(3)} | ${adapterRecall.toFixed(3)} |`);
    say(`| exact brute force (usearch exactSearch, 1 thread) | ${exact.qps.toFixed(1)} | ${exact.p50.toFixed(3)} | 1.000 |`);
    say(`| embedded adapter, filter = 1 file (1 %) | ${filtered.qps.toFixed(0)} | ${filtered.p50.toFixed(3)} | exact |`);
    say('');
    const ratio = adapterSummary.qps / rawSummary.qps;
    const met = ratio >= 0.5 && adapterRecall >= 0.95;
    say(`adapter QPS = ${(ratio * 100).toFixed(0)} % of raw usearch at recall@10 ${adapterRecall.toFixed(3)} (goal ≥ 50 % at ≥ 0.95: ${met ? 'met' : 'NOT met'})`);
    say(`build: raw usearch ${rawBuildS.toFixed(1)} s; adapter ingest ${ingestRate.toFixed(0)} records/s (SQLite + FTS5 + HNSW); ${BUILD_THREADS} build threads on a shared machine`);
    say(`RSS: ${rssData.toFixed(0)} MiB with the data set, +${(rssRaw - rssData).toFixed(0)} MiB raw usearch index, +${(rssAdapter - rssRaw).toFixed(0)} MiB embedded adapter (its own HNSW + SQLite cache)`);
    await adapter.close();
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The true top K of the recall sample by brute force, timed (it is too slow to run every query). */
function exactOracle(vectors: Float32Array, queries: Float32Array) {
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
