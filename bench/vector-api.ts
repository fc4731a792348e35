// Vector search through the API on 100k × 384 clustered, embedding-like vectors: `POST /vector/search`
// (mode vector, the query's own vector, k 10) over HTTP against the real platform in this process
// (token check, request and response validation, catalogue, embedded index, citations, ledger),
// against raw usearch in-process with the same HNSW parameters, and exact brute force as the recall
// oracle — all in this run, alternating rounds. The vectors go straight into the platform's backend
// (no embeddings); the index is made through the API for a 384-dimension embedding model served by
// a loopback stand-in (asked once, for the index's dimension).
// Goal: API search ≥ 50 % of raw usearch's QPS at recall@10 ≥ 0.95; RSS reported.
// BENCH_VECTORS, BENCH_QUERIES and BENCH_ROUNDS shrink it for a quick look.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createPlatformServer } from '../handlers/platform/http/server.ts';
import { loadConfig } from '../handlers/platform/config.ts';
import { createLogger } from '../handlers/platform/logger.ts';
import { buildPlatform } from '../handlers/platform-app.ts';
import { MODULES } from '../handlers/modules.ts';
import { createVectorModule } from '../handlers/vector/module.ts';
import { createVectorBackend } from '../handlers/vector/backends/create-backend.ts';
import type { VectorBackend } from '../handlers/vector/backend.ts';
import { listen } from '../test/helpers/platform.ts';
import { onboardBenchApp } from './lib/platform.ts';
import { report } from './lib/report.ts';
import {
  COUNT, DIM, K, QUERIES, RECALL_QUERIES, ROUNDS, clusteredData, exactOracle, ingest, query, rawUsearch, recall, rssMb, summary, timeQueries,
} from './lib/clustered-vectors.ts';

const PASSWORD = 'bench-admin-password';
/** Concurrent requests of the throughput run (the machine has 2 cores; raw usearch stays sequential). */
const IN_FLIGHT = 4;
const MODEL = 'bench-embed-384';

/** An OpenAI-compatible embeddings endpoint answering a fixed unit vector of DIM dimensions. */
function standInEmbedder(): RequestListener {
  const embedding = new Array<number>(DIM).fill(1 / Math.sqrt(DIM));
  const body = JSON.stringify({ data: [{ embedding }], usage: { prompt_tokens: 1 } });
  return (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  };
}

/** QPS of every query once with IN_FLIGHT requests at a time. */
async function concurrentQps(search: (q: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < QUERIES) await search(next++);
  }));
  return QUERIES / ((performance.now() - started) / 1000);
}

export async function benchVectorApi(): Promise<string> {
  const { lines, say } = report();
  const dir = mkdtempSync(`${tmpdir()}/gaf-bench-vector-api-`);
  const embedder = await listen(standInEmbedder());
  let backend: VectorBackend | undefined;
  const vector = createVectorModule({ backend: async (config, deps) => (backend = await createVectorBackend(config, deps)) });
  const config = loadConfig({
    DATA_DIR: dir, ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', OPENAI_BASE_URL: `${embedder.baseUrl}/v1`, OPENAI_MODELS: `${MODEL}:embed`,
  });
  const platform = await buildPlatform(config, createLogger(config.logLevel), MODULES.map((m) => (m.name === 'vector' ? vector : m)));
  // The server `npm start` runs, with its connection limits and keep-alive.
  const http = createPlatformServer(platform.handler).listen(0, '127.0.0.1');
  await once(http, 'listening');
  const baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  try {
    const { vectors, queries } = clusteredData();
    const rssData = rssMb();
    const exact = exactOracle(vectors, queries);

    const { raw, rawBuildS } = rawUsearch(vectors);
    const rssRaw = rssMb();

    const { authorization, appId } = await onboardBenchApp(baseUrl, PASSWORD);
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const store = (await call('/vector/store/create', { store_name: 'bench', store_type: 'default' })) as { store_id: string };
    const index = (await call('/vector/store/index/create', { store_id: store.store_id, index_name: 'bench', embedding_model: MODEL })) as { index_id: string; dimension: number };
    if (index.dimension !== DIM) throw new Error(`the index has ${index.dimension} dimensions, not ${DIM}`);
    const ingestRate = await ingest(backend!.index, vectors, { indexId: index.index_id, appId, storeId: store.store_id });
    const rssPlatform = rssMb();

    const rawSearch = (q: number) => Array.from(raw.search(query(queries, q), K, 1).keys, Number);
    const apiSearch = async (q: number) => {
      const hits = (await call('/vector/search', { query: 'bench', index_id: index.index_id, k: K, mode: 'vector', vector: Array.from(query(queries, q)) })) as { chunk_id: string }[];
      return hits.map((hit) => Number(hit.chunk_id));
    };
    const rawRecall = recall(Array.from({ length: RECALL_QUERIES }, (_, q) => rawSearch(q)), exact.truth);
    const apiFound: number[][] = [];
    for (let q = 0; q < RECALL_QUERIES; q++) apiFound.push(await apiSearch(q));
    const apiRecall = recall(apiFound, exact.truth);

    const rawRuns = [];
    const apiRuns = [];
    for (let round = 0; round < ROUNDS; round++) {
      rawRuns.push(await timeQueries(rawSearch));
      apiRuns.push(await timeQueries(apiSearch));
    }
    const rawSummary = summary(rawRuns);
    const apiSummary = summary(apiRuns);
    const concurrent = await concurrentQps(apiSearch);

    say(`${COUNT} × ${DIM} clustered unit vectors, cosine, k=${K}; ${QUERIES} sequential queries per run, medians of ${ROUNDS} alternating runs; recall@${K} on ${RECALL_QUERIES} queries against exact search`);
    say('API: POST /vector/search {mode: vector, vector, k} over loopback HTTP to the platform in this process (auth, validation both ways, catalogue, embedded index, citations, ledger)');
    say('');
    say('| target | QPS | p50 ms | recall@10 |');
    say('|---|---|---|---|');
    say(`| raw usearch (in-process) | ${rawSummary.qps.toFixed(0)} | ${rawSummary.p50.toFixed(3)} | ${rawRecall.toFixed(3)} |`);
    say(`| API search (HTTP) | ${apiSummary.qps.toFixed(0)} | ${apiSummary.p50.toFixed(3)} | ${apiRecall.toFixed(3)} |`);
    say(`| API search (HTTP), ${IN_FLIGHT} requests in flight | ${concurrent.toFixed(0)} | – | same |`);
    say(`| exact brute force (usearch exactSearch, 1 thread) | ${exact.qps.toFixed(1)} | ${exact.p50.toFixed(3)} | 1.000 |`);
    say('');
    const ratio = apiSummary.qps / rawSummary.qps;
    const met = ratio >= 0.5 && apiRecall >= 0.95;
    say(`API QPS = ${(ratio * 100).toFixed(0)} % of raw usearch at recall@10 ${apiRecall.toFixed(3)}, one request at a time (goal ≥ 50 % at ≥ 0.95: ${met ? 'met' : 'NOT met'}); ${IN_FLIGHT} in flight: ${((concurrent / rawSummary.qps) * 100).toFixed(0)} %`);
    say(`build: raw usearch ${rawBuildS.toFixed(1)} s; platform backend ingest ${ingestRate.toFixed(0)} records/s`);
    say(`RSS: ${rssData.toFixed(0)} MiB with the data set, +${(rssRaw - rssData).toFixed(0)} MiB raw usearch index, +${(rssPlatform - rssRaw).toFixed(0)} MiB platform with the index loaded (${rssPlatform.toFixed(0)} MiB in all)`);
    return lines.join('\n');
  } finally {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await platform.close();
    await embedder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
