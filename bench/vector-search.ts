// Vector search on 100k × 384 clustered, embedding-like vectors (2000 centres + noise, unit
// length; queries are perturbed members): the embedded vector index (usearch + SQLite, through
// the port: live-generation join, citations) against raw usearch in-process with the same HNSW
// parameters, and exact brute force as the recall oracle — all in this run, alternating rounds.
// Goal: the adapter at ≥ 50 % of raw usearch's QPS, at recall@10 ≥ 0.95.
// BENCH_VECTORS, BENCH_QUERIES and BENCH_ROUNDS shrink it for a quick look.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANN_PARAMS } from '../handlers/vector/index/embedded/ann-index.ts';
import { openEmbeddedVectorIndex } from '../handlers/vector/index/embedded/embedded-vector-index.ts';
import { report } from './lib/report.ts';
import {
  BUILD_THREADS, CENTRES, CHUNKS_PER_FILE, clusteredData, COUNT, DIM, exactOracle, ingest, K, QUERIES, query, rawUsearch, recall, RECALL_QUERIES, ROUNDS, rssMb, summary, timeQueries,
} from './lib/clustered-vectors.ts';

export async function benchVectorSearch(): Promise<string> {
  const { lines, say } = report();
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-vector-'));
  try {
    const { vectors, queries } = clusteredData();
    const rssData = rssMb();

    const exact = exactOracle(vectors, queries);
    const truth = exact.truth;

    const { raw, rawBuildS } = rawUsearch(vectors);
    const rssRaw = rssMb();

    const adapter = openEmbeddedVectorIndex({ dir, saveDelayMs: 3_600_000, threads: BUILD_THREADS });
    const ingestStarted = performance.now();
    await adapter.createIndex({ indexId: 'bench', dimension: DIM, space: 'cosine', embeddingModel: 'synthetic' });
    await ingest(adapter, vectors, { indexId: 'bench', appId: 'bench', storeId: 'bench' });
    const ingestRate = COUNT / ((performance.now() - ingestStarted) / 1000);
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
