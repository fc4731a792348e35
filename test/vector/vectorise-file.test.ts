// The vectorisation worker's work on one file, through the kernel's runFile, on a real SQLite job
// store and a real embedded vector index. The other modules' capabilities are small stand-ins
// (chunks from a list; embeddings from hashed words, counted) so that each case can steer them:
// a crash between publish and the item's end, lasting and passing model failures, a vector of the
// wrong size, a job cancelled mid-file, a file larger than one upsert batch.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../handlers/platform/store/sqlite/database.ts';
import { sqliteJobStore } from '../../handlers/platform/jobs/sqlite-job-store.ts';
import type { JobStore } from '../../handlers/platform/jobs/ports.ts';
import { runFile, MAX_FILE_ATTEMPTS, type FileRunDeps } from '../../handlers/platform/jobs/file-runs.ts';
import type { UsageEvent } from '../../handlers/platform/usage/usage-ledger.ts';
import { ProblemError } from '../../handlers/platform/problems.ts';
import type { StoredChunk } from '../../handlers/platform/capabilities/chunks.ts';
import type { GatewayEmbedRequest } from '../../handlers/platform/capabilities/models.ts';
import { openEmbeddedVectorIndex } from '../../handlers/vector/index/embedded/embedded-vector-index.ts';
import { MAX_UPSERT_BATCH, type VectorIndex } from '../../handlers/vector/index/ports.ts';
import type { VectorIndexRecord } from '../../handlers/vector/catalog/ports.ts';
import { VECTORISATION_JOB } from '../../handlers/vector/kinds.ts';
import type { VectorisationInput } from '../../handlers/vector/vectorisation/ports.ts';
import { vectorisationRun } from '../../handlers/vector/vectorisation/vectorise-file.ts';
import { HASHED_DIMENSIONS, hashedEmbedding } from '../helpers/fake-openai.ts';

const APP = 'app-1';
const FILE = 'notes.txt';
const dir = mkdtempSync(join(tmpdir(), 'gaf-vectorise-'));
const db = openDatabase(dir, []);
const jobStore = sqliteJobStore(db);
let vectorIndex: VectorIndex;
let indexNo = 0;

const chunkOf = (text: string, n: number, chunkingJobId: string): StoredChunk => ({
  chunk: text, chunk_id: `${chunkingJobId}/${FILE}/${n}`, start: n * 100, end: n * 100 + text.length, page_start: 1, page_end: 1,
  heading_path: n % 2 ? ['Notes', `Part ${n}`] : [], content_hash: createHash('sha256').update(text).digest('hex'), token_count: 5,
});
const chunksOf = (texts: string[], chunkingJobId = 'chunking-1') => texts.map((text, n) => chunkOf(text, n, chunkingJobId));

interface Setup {
  index: VectorIndexRecord;
  embedCalls: GatewayEmbedRequest[];
  events: UsageEvent[];
  /** What the chunks capability answers for the file. */
  chunks: StoredChunk[];
  /** Replaces the embedding model's behaviour. */
  embed?: (request: GatewayEmbedRequest) => Promise<number[][]>;
  run: ReturnType<typeof vectorisationRun>;
  deps: FileRunDeps;
}

async function setup(): Promise<Setup> {
  const indexId = `index-${++indexNo}`;
  await vectorIndex.createIndex({ indexId, dimension: HASHED_DIMENSIONS, space: 'cosine', embeddingModel: 'hashed-test' });
  const index: VectorIndexRecord = {
    appId: APP, storeId: 'store-1', indexId, indexName: indexId, embeddingModel: 'hashed-test', dimension: HASHED_DIMENSIONS, space: 'cosine', createdAt: new Date().toISOString(),
  };
  const s: Setup = { index, embedCalls: [], events: [], chunks: [], run: undefined!, deps: undefined! };
  s.run = vectorisationRun({
    catalog: { getIndex: async (appId, id) => (appId === APP && id === indexId ? index : undefined) },
    index: vectorIndex,
    models: {
      async embed(_context, request) {
        s.embedCalls.push(request);
        const embeddings = s.embed ? await s.embed(request) : request.texts.map(hashedEmbedding);
        return { model: request.model, embeddings, inputTokens: request.texts.length };
      },
    },
    chunks: { job: async () => undefined, read: async () => s.chunks },
    apps: { findById: async (appId) => (appId === APP ? { limits: { requestsPerMinute: null, tokensPerMinute: null, monthlyTokenBudget: null } } as never : undefined) },
    jobStore,
    embedBatchSize: 8,
  });
  s.deps = { jobStore, record: (event) => s.events.push(event) };
  return s;
}

async function newJob(s: Setup, files = [FILE]): Promise<string> {
  const input: VectorisationInput = { chunking_job_id: 'chunking-1', store_id: 'store-1', index_id: s.index.indexId, embedding_model: 'hashed-test' };
  const job = await jobStore.create({ appId: APP, kind: VECTORISATION_JOB, input, items: files.map((itemId) => ({ itemId })), start: true, retentionSeconds: 3600 });
  return job.jobId;
}

let messageNo = 0;
const message = (jobId: string, attempt = 1, fileName = FILE) => ({ id: `m-${++messageNo}`, attempt, payload: { app_id: APP, job_id: jobId, file_name: fileName } });

/** The texts of the file's live chunks, as a search shows them. */
async function liveTexts(s: Setup): Promise<string[]> {
  const hits = await vectorIndex.search(s.index.indexId, { mode: 'vector', vector: hashedEmbedding('anything'), k: 100, filters: { file_name: FILE } });
  return hits.map((hit) => hit.text).sort();
}

before(() => {
  vectorIndex = openEmbeddedVectorIndex({ dir: join(dir, 'vector-index') });
});
after(async () => {
  await vectorIndex.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vectorising one file', () => {
  it('embeds every chunk in batches, publishes them with their citations, and meters the file once', async () => {
    const s = await setup();
    const texts = Array.from({ length: 20 }, (_, n) => `alpha beta sentence number ${n}`);
    s.chunks = chunksOf(texts);
    const jobId = await newJob(s);
    await runFile(s.deps, s.run, message(jobId));

    const item = await jobStore.getItem(APP, jobId, FILE);
    assert.equal(item?.state, 'SUCCEEDED');
    assert.deepEqual(item?.result, { chunks: 20, embedded: 20, reused: 0, removed: 0 });
    assert.deepEqual(s.embedCalls.map((call) => call.texts.length), [8, 8, 4], 'VECTOR_EMBED_BATCH_SIZE texts per call');
    assert.deepEqual(await liveTexts(s), [...texts].sort());
    const [hit] = await vectorIndex.search(s.index.indexId, { mode: 'text', text: 'number 3', k: 1 });
    assert.equal(hit?.chunk_id, `chunking-1/${FILE}/3`);
    assert.deepEqual({ start: hit?.start, end: hit?.end, chunking_job_id: hit?.chunking_job_id, generation: hit?.generation }, { start: 300, end: 300 + texts[3]!.length, chunking_job_id: 'chunking-1', generation: jobId });
    assert.equal(hit?.extra.heading_path, JSON.stringify(['Notes', 'Part 3']));
    assert.equal(s.events.length, 1);
    assert.deepEqual(
      { service: s.events[0]!.service, operation: s.events[0]!.operation, resource: s.events[0]!.resource, status: s.events[0]!.status, units: s.events[0]!.units },
      { service: 'vector', operation: 'vectorise', resource: jobId, status: 'SUCCESS', units: { chunks: 20, vectors: 20 } },
    );
    assert.equal((await jobStore.get(APP, jobId))?.state, 'COMPLETED');
  });

  it('reuses the vectors of unchanged chunks and swaps the file to its new version', async () => {
    const s = await setup();
    s.chunks = chunksOf(['one fish', 'two fish', 'red fish']);
    await runFile(s.deps, s.run, message(await newJob(s)));
    s.embedCalls.length = 0;

    s.chunks = chunksOf(['one fish', 'two fish', 'blue fish', 'one fish'], 'chunking-2');
    const second = await newJob(s);
    await runFile(s.deps, s.run, message(second));
    assert.deepEqual((await jobStore.getItem(APP, second, FILE))?.result, { chunks: 4, embedded: 1, reused: 3, removed: 3 });
    assert.deepEqual(s.embedCalls.map((call) => call.texts), [['blue fish']], 'only the new text is embedded, once');
    assert.deepEqual(await liveTexts(s), ['blue fish', 'one fish', 'one fish', 'two fish']);
  });

  it('takes a file larger than one upsert batch (no per-file chunk limit)', async () => {
    const s = await setup();
    const count = MAX_UPSERT_BATCH + 250;
    s.chunks = chunksOf(Array.from({ length: count }, (_, n) => `line ${n} of a long file`));
    const jobId = await newJob(s);
    await runFile(s.deps, s.run, message(jobId));
    assert.deepEqual((await jobStore.getItem(APP, jobId, FILE))?.result, { chunks: count, embedded: count, reused: 0, removed: 0 });
    const found = await vectorIndex.findVectors(s.index.indexId, s.chunks.slice(0, 1000).map((chunk) => chunk.content_hash));
    assert.equal(found.size, 1000);
    const last = await vectorIndex.findVectors(s.index.indexId, s.chunks.slice(1000).map((chunk) => chunk.content_hash));
    assert.equal(last.size, count - 1000);
  });

  it('ends a file whose delivery crashed after publishing, on redelivery, without embedding again', async () => {
    const s = await setup();
    s.chunks = chunksOf(['first words', 'second words', 'third words']);
    const jobId = await newJob(s);
    // The process dies between publish and the item's end: completeItem never happens.
    const crashing: JobStore = { ...jobStore, completeItem: async () => { throw new Error('killed'); } };
    await assert.rejects(runFile({ ...s.deps, jobStore: crashing }, s.run, message(jobId)), /killed/);
    assert.equal((await jobStore.getItem(APP, jobId, FILE))?.state, 'IN_PROGRESS');
    assert.equal(s.embedCalls.length, 1);

    await runFile(s.deps, s.run, message(jobId, 2));
    const item = await jobStore.getItem(APP, jobId, FILE);
    assert.equal(item?.state, 'SUCCEEDED');
    assert.equal(item?.attempts, 2);
    assert.deepEqual(item?.result, { chunks: 3, embedded: 0, reused: 3, removed: 0 });
    assert.equal(s.embedCalls.length, 1, 'nothing embedded again');
    assert.deepEqual(await liveTexts(s), ['first words', 'second words', 'third words']);
    assert.equal(s.events.length, 1, 'metered once');
    assert.equal((await jobStore.get(APP, jobId))?.succeeded, 1, 'counted once');
  });

  it('fails a file at once on a model problem a retry cannot fix, keeping the old version', async () => {
    const s = await setup();
    s.chunks = chunksOf(['kept text']);
    await runFile(s.deps, s.run, message(await newJob(s)));
    s.chunks = chunksOf(['new text that the provider refuses']);
    s.embed = async () => { throw new ProblemError('UPSTREAM_REJECTED', 'The provider rejected the request.'); };
    const jobId = await newJob(s);
    await runFile(s.deps, s.run, message(jobId));
    const item = await jobStore.getItem(APP, jobId, FILE);
    assert.equal(item?.state, 'FAILED');
    assert.deepEqual(item?.error, { code: 'UPSTREAM_REJECTED', detail: 'The provider rejected the request.' });
    assert.equal((await jobStore.get(APP, jobId))?.state, 'FAILED');
    assert.deepEqual(await liveTexts(s), ['kept text']);
    assert.equal(s.events.at(-1)?.status, 'FAILED');
    assert.equal(s.events.at(-1)?.errorCode, 'UPSTREAM_REJECTED');
  });

  it('retries a passing failure, then fails the file RETRIES_EXHAUSTED, keeping the old version', async () => {
    const s = await setup();
    s.chunks = chunksOf(['kept text']);
    await runFile(s.deps, s.run, message(await newJob(s)));
    s.chunks = chunksOf(['new text']);
    s.embed = async () => { throw new ProblemError('UPSTREAM_ERROR', 'The provider failed.'); };
    const jobId = await newJob(s);
    for (let attempt = 1; attempt < MAX_FILE_ATTEMPTS; attempt++) {
      await assert.rejects(runFile(s.deps, s.run, message(jobId, attempt)), /provider failed/);
      assert.equal((await jobStore.getItem(APP, jobId, FILE))?.state, 'IN_PROGRESS');
    }
    await assert.rejects(runFile(s.deps, s.run, message(jobId, MAX_FILE_ATTEMPTS)), /provider failed/, 'the message goes to the dead letters');
    const item = await jobStore.getItem(APP, jobId, FILE);
    assert.equal(item?.state, 'FAILED');
    assert.equal((item?.error as { code: string }).code, 'RETRIES_EXHAUSTED');
    assert.equal((await jobStore.get(APP, jobId))?.state, 'FAILED');
    assert.deepEqual(await liveTexts(s), ['kept text']);
  });

  it('fails a file whose vectors do not fit the index with DIMENSION_MISMATCH', async () => {
    const s = await setup();
    s.chunks = chunksOf(['some text']);
    s.embed = async (request) => request.texts.map(() => [1, 2, 3]);
    const jobId = await newJob(s);
    await runFile(s.deps, s.run, message(jobId));
    const item = await jobStore.getItem(APP, jobId, FILE);
    assert.equal(item?.state, 'FAILED');
    assert.equal((item?.error as { code: string }).code, 'DIMENSION_MISMATCH');
  });

  it('keeps the old version of a file whose job is cancelled while it runs, and discards what it wrote', async () => {
    const s = await setup();
    s.chunks = chunksOf(['old one', 'old two']);
    await runFile(s.deps, s.run, message(await newJob(s)));
    s.chunks = chunksOf(['new one', 'new two', 'new three']);
    const jobId = await newJob(s);
    s.embed = async (request) => {
      await jobStore.cancel(APP, jobId);
      return request.texts.map(hashedEmbedding);
    };
    await runFile(s.deps, s.run, message(jobId));
    assert.equal((await jobStore.getItem(APP, jobId, FILE))?.state, 'CANCELLED');
    assert.deepEqual(await liveTexts(s), ['old one', 'old two']);
    assert.equal(s.events.at(-1)?.status, 'CANCELLED');
    // Had the cancelled generation kept its records, publishing it now would show them.
    await vectorIndex.publish(s.index.indexId, FILE, jobId);
    assert.deepEqual(await liveTexts(s), []);
  });
});
