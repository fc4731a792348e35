// Ingestion throughput: chunks per second from `POST /vector/store/vectorize` to the job's
// COMPLETED status, through the platform as a user runs it (its own process, `npm start`'s
// embedded defaults: the offline local embedder USE-lite 512 through the model engine, the
// embedded index), against the raw local embedder in this process embedding the same chunk texts
// one call each (as the model engine calls its providers), in the same run. Each round vectorises
// into a fresh index (a re-run would reuse every vector); the reuse path is measured apart: the
// same job again into the last index, nothing to embed.
// Figures: the median over the rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Catalogue } from '../handlers/model/catalogue.ts';
import { LocalEmbedder } from '../handlers/model/providers/local-embedder.ts';
import { prose } from '../test/helpers/vector-jobs.ts';
import { startPlatform, type BenchPlatform } from './lib/platform.ts';
import { median } from './lib/load.ts';
import { report } from './lib/report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FILES = Number(process.env.BENCH_INGEST_FILES ?? 4);
const SENTENCES = Number(process.env.BENCH_INGEST_SENTENCES ?? 100);
const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];

/** The fields of the API's answers this bench reads (each answer has some of them). */
interface Answer {
  status: string;
  extraction_job_id: string;
  chunking_job_id: string;
  upload_url: string;
  store_id: string;
  index_id: string;
  vectorize_job_id: string;
  chunks: { chunk: string }[];
}

async function call(platform: BenchPlatform, path: string, body?: unknown): Promise<Answer> {
  const res = body === undefined ? await fetch(`${platform.url}${path}`, { headers: { authorization: platform.authorization } }) : await platform.post(path, body);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Answer;
}

async function untilDone(platform: BenchPlatform, path: string): Promise<Answer> {
  for (;;) {
    const status = await call(platform, path);
    if (TERMINAL.includes(status.status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Text files extracted and chunked (one sentence a chunk); the chunking job and every chunk's text. */
async function chunkingJob(platform: BenchPlatform): Promise<{ id: string; texts: string[] }> {
  const extractionId = (await call(platform, '/document/extraction/create_job', {})).extraction_job_id;
  for (let i = 0; i < FILES; i++) {
    const registered = await call(platform, '/document/extraction/register_file', { extraction_job_id: extractionId, file_name: `doc-${i}.txt` });
    // The platform listens on a port of its own choosing, not its PUBLIC_URL's: keep the signed path.
    const signed = new URL(registered.upload_url);
    const put = await fetch(`${platform.url}${signed.pathname}${signed.search}`, { method: 'PUT', body: prose(`topic${i}`, SENTENCES, i) });
    if (!put.ok) throw new Error(`upload: ${put.status}`);
  }
  await call(platform, '/document/extraction/start_job', { extraction_job_id: extractionId });
  await untilDone(platform, `/document/extraction/job_status/${extractionId}`);
  const id = (await call(platform, '/document/chunking/create_job', { extraction_job_id: extractionId, chunking_strategy: 'recursive', chunking_params: { chunk_size: 120, chunk_overlap: 0 } })).chunking_job_id;
  await untilDone(platform, `/document/chunking/job_status/${id}`);
  const texts: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const { chunks } = await call(platform, `/document/chunking/jobs/${id}/files/doc-${i}.txt/chunks`);
    texts.push(...chunks.map((chunk) => chunk.chunk));
  }
  return { id, texts };
}

/** Seconds from the request to the job's end. */
async function vectorise(platform: BenchPlatform, chunkingJobId: string, indexId: string): Promise<number> {
  const started = process.hrtime.bigint();
  const job = await call(platform, '/vector/store/vectorize', { chunking_job_id: chunkingJobId, index_id: indexId });
  const done = await untilDone(platform, `/vector/job/status/${job.vectorize_job_id}`);
  if (done.status !== 'COMPLETED') throw new Error(`vectorisation ended ${done.status}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function benchVectorIngest(): Promise<string> {
  const { lines, say } = report();
  const dir = mkdtempSync(`${tmpdir()}/gaf-bench-ingest-`);
  const platform = await startPlatform(dir);
  const embedder = new LocalEmbedder();
  try {
    const { id, texts } = await chunkingJob(platform);
    const store = await call(platform, '/vector/store/create', { store_name: 'bench', store_type: 'default' });
    const newIndex = async (round: number) => (await call(platform, '/vector/store/index/create', { store_id: store.store_id, index_name: `bench-${round}` })).index_id;
    const model = new Catalogue({ configured: new Set(['local']), openAiModels: [], openAiContextWindow: 0 }).resolve('LOCAL_USE_LITE_512', { kind: 'embed' });
    const raw = async () => {
      const started = process.hrtime.bigint();
      // In the batches the platform's engine uses for this provider, so only the platform's own work differs.
      const size = embedder.embedBatchSize();
      for (let at = 0; at < texts.length; at += size) await embedder.embed(model, texts.slice(at, at + size), {}, AbortSignal.timeout(60_000));
      return Number(process.hrtime.bigint() - started) / 1e9;
    };

    const endToEnd: number[] = [];
    const direct: number[] = [];
    let lastIndex = '';
    await vectorise(platform, id, await newIndex(0)); // warms the platform's model up
    await raw(); // and this process's
    for (let round = 1; round <= ROUNDS; round++) {
      lastIndex = await newIndex(round);
      endToEnd.push(texts.length / (await vectorise(platform, id, lastIndex)));
      direct.push(texts.length / (await raw()));
    }
    const reuse = texts.length / (await vectorise(platform, id, lastIndex));

    const e2e = median(endToEnd);
    const embedOnly = median(direct);
    say(`${texts.length} chunks in ${FILES} text files (one sentence each), local embedder USE-lite 512 — median of ${ROUNDS} rounds`);
    say('');
    say('| target | chunks/s | ratio to the raw embedder |');
    say('|---|---|---|');
    say(`| raw LocalEmbedder in-process, in the engine's batches (64 texts a model run) | ${embedOnly.toFixed(1)} | 1.00 |`);
    say(`| platform: vectorize → job COMPLETED (embed + index + swap + job) | ${e2e.toFixed(1)} | ${(e2e / embedOnly).toFixed(2)} |`);
    say(`| platform: the same job again (every vector reused, nothing embedded) | ${reuse.toFixed(1)} | ${(reuse / embedOnly).toFixed(2)} |`);
    say('');
    say(`platform RSS ${platform.rssMb().toFixed(0)} MB`);
    return lines.join('\n');
  } finally {
    platform.stop();
    await embedder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
