// Vectorisation jobs over HTTP on the embedded defaults: real chunking jobs made by the document
// service from generated text files, the offline local embedder (LOCAL_USE_LITE_512) through the
// model engine, the embedded index. One describe per job operation; tenancy with a second app.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { extractionJob } from '../helpers/document-jobs.ts';
import { untilDone } from '../document/helpers.ts';
import { chunkedFiles, prose, startVectorising, vectorIndex, vectorise, vectorisedFiles, type Auth } from '../helpers/vector-jobs.ts';
import type { UsageEvent } from '../../handlers/platform/usage/usage-ledger.ts';

let t: TestPlatform;
let auth: Auth & { app_id: string };
let other: Auth;
let chunkingId: string;
let indexId: string;
/** The first job: every file of `chunkingId` into `indexId`. */
let first: Record<string, unknown> & { vectorize_job_id: string };

const FILES = { 'alpha.txt': prose('alpha', 30), 'beta.txt': prose('beta', 30, 1), 'gamma.txt': prose('gamma', 12, 2) };

async function ledger(appId: string): Promise<UsageEvent[]> {
  await t.platform.ledger.flush();
  return t.platform.ledger.list(appId, 10_000);
}
const embedRows = (events: UsageEvent[]) => events.filter((e) => e.service === 'model' && e.operation === 'vector.embed');

before(async () => {
  // Short leases: a cancelled job's file in flight stops within a second or so.
  t = await startTestPlatform({ VECTOR_LEASE_SECONDS: '3' });
  auth = await t.appAuth('vectors');
  other = await t.appAuth('intruder');
  chunkingId = await chunkedFiles(t, auth, FILES);
  indexId = await vectorIndex(t, auth, 'docs');
});
after(() => t.close());

describe('createVectorizeJob', () => {
  it('vectorises every chunked file of a chunking job, and search then cites them', async () => {
    const created = await t.http.post('/vector/store/vectorize').set(auth).send({ chunking_job_id: chunkingId, index_id: indexId }).expect(200);
    assert.equal(created.body.status, 'STARTED');
    assert.equal(created.body.total_file_count, 3);
    assert.equal(created.body.embedding_model, 'LOCAL_USE_LITE_512');
    first = await untilDone(t, auth.authorization, `/vector/job/status/${created.body.vectorize_job_id}`);
    assert.equal(first.status, 'COMPLETED', JSON.stringify(first));
    assert.deepEqual(
      { completed: first.completed_file_count, failed: first.failed_file_count, cancelled: first.cancelled_file_count, progress: first.progress, index: first.index_id, chunking: first.chunking_job_id },
      { completed: 3, failed: 0, cancelled: 0, progress: { done: 3, total: 3 }, index: indexId, chunking: chunkingId },
    );
    assert.ok(first.finished_at);

    const chunking = await t.http.get(`/document/chunking/job_files/${chunkingId}`).set(auth).expect(200);
    const chunkCounts = new Map((chunking.body.files as { file_name: string; chunks: number }[]).map((f) => [f.file_name, f.chunks]));
    const files = await vectorisedFiles(t, auth, first.vectorize_job_id);
    for (const name of Object.keys(FILES)) {
      const file = files.get(name)!;
      assert.equal(file.status, 'COMPLETED');
      assert.equal(file.chunks, chunkCounts.get(name));
      assert.deepEqual({ embedded: file.embedded, reused: file.reused }, { embedded: file.chunks, reused: 0 });
    }

    const search = await t.http.post('/vector/search').set(auth).send({ query: 'beta note 7', index_id: indexId, k: 3, mode: 'text' }).expect(200);
    assert.equal(search.body.length, 3);
    const [hit] = search.body;
    assert.equal(hit.file_name, 'beta.txt');
    assert.equal(hit.chunking_job_id, chunkingId);
    assert.match(hit.text, /beta note 7 /);
    assert.equal(FILES['beta.txt'].slice(hit.start, hit.end), hit.text, 'the citation points at the chunk in the extracted text');
  });

  it('meters every file for the app (service vector) and every embedding batch through the model engine', async () => {
    const events = await ledger(auth.app_id);
    const files = events.filter((e) => e.service === 'vector' && e.operation === 'vectorise' && e.resource === first.vectorize_job_id);
    assert.equal(files.length, 3);
    const total = [...(await vectorisedFiles(t, auth, first.vectorize_job_id)).values()].reduce((n, f) => n + f.chunks!, 0);
    assert.equal(files.reduce((n, e) => n + e.units.vectors!, 0), total);
    assert.equal(files.reduce((n, e) => n + e.units.chunks!, 0), total);
    const embeds = embedRows(events);
    assert.ok(embeds.length >= 3, 'one row per embedding call at least per file');
    assert.ok(embeds.every((e) => e.resource === 'LOCAL_USE_LITE_512' && e.status === 'SUCCESS' && e.appId === auth.app_id));
    assert.ok(embeds.reduce((n, e) => n + e.units.input_tokens!, 0) > 0);
  });

  it('re-vectorising the same chunking job embeds nothing: every chunk reuses its vector', async () => {
    const embedsBefore = embedRows(await ledger(auth.app_id)).length;
    const again = await vectorise(t, auth, chunkingId, indexId);
    assert.equal(again.status, 'COMPLETED');
    for (const file of (await vectorisedFiles(t, auth, again.vectorize_job_id)).values()) {
      assert.deepEqual({ embedded: file.embedded, reused: file.reused }, { embedded: 0, reused: file.chunks });
    }
    assert.equal(embedRows(await ledger(auth.app_id)).length, embedsBefore, 'no embedding call');
    // The swap replaced the file's records: each chunk is found once, not twice.
    const hits = await t.http.post('/vector/search').set(auth).send({ query: 'gamma', index_id: indexId, k: 100, mode: 'text', filters: { file_name: 'gamma.txt' } }).expect(200);
    const ids = hits.body.map((h: { chunk_id: string }) => h.chunk_id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, (await vectorisedFiles(t, auth, again.vectorize_job_id)).get('gamma.txt')!.chunks);
  });

  it('takes a file of more than 500 chunks (the seed failed it)', async () => {
    const long = prose('long', 540, 3); // one sentence a chunk
    const longChunking = await chunkedFiles(t, auth, { 'long.txt': long }, 80);
    const longIndex = await vectorIndex(t, auth, 'long');
    const job = await vectorise(t, auth, longChunking, longIndex);
    assert.equal(job.status, 'COMPLETED', JSON.stringify(job));
    const file = (await vectorisedFiles(t, auth, job.vectorize_job_id)).get('long.txt')!;
    assert.ok(file.chunks! > 500, `${file.chunks} chunks`);
    assert.equal(file.embedded, file.chunks);
    const hits = await t.http.post('/vector/search').set(auth).send({ query: `marker ${539 + 3 * 7919}`, index_id: longIndex, k: 1, mode: 'text' }).expect(200);
    assert.match(hits.body[0].text, new RegExp(`marker ${539 + 3 * 7919}\\.`), 'the last chunks are searchable too');
  });

  it('fails a file the model refuses, at once, and still ends the job (COMPLETED_WITH_ERRORS)', async () => {
    // One chunk of ~10,000 characters: beyond LOCAL_USE_LITE_512's context window (CONTEXT_WINDOW_EXCEEDED, a 400).
    const huge = 'x'.repeat(10_000);
    const mixed = await chunkedFiles(t, auth, { 'fine.txt': prose('fine', 5), 'huge.txt': huge }, 20_000);
    const job = await vectorise(t, auth, mixed, indexId);
    assert.equal(job.status, 'COMPLETED_WITH_ERRORS', JSON.stringify(job));
    assert.deepEqual({ completed: job.completed_file_count, failed: job.failed_file_count }, { completed: 1, failed: 1 });
    const file = (await vectorisedFiles(t, auth, job.vectorize_job_id)).get('huge.txt')!;
    assert.equal(file.status, 'FAILED');
    assert.equal(file.error?.code, 'CONTEXT_WINDOW_EXCEEDED');
    assert.equal((file as { attempts?: number }).attempts, 1, 'not retried');
  });

  it('answers 404 for an index or a chunking job the app does not have', async () => {
    expectProblem(await t.http.post('/vector/store/vectorize').set(auth).send({ chunking_job_id: chunkingId, index_id: 'no-such-index' }), 404, 'VECTOR_INDEX_NOT_FOUND');
    expectProblem(await t.http.post('/vector/store/vectorize').set(auth).send({ chunking_job_id: '00000000-0000-4000-8000-000000000000', index_id: indexId }), 404, 'CHUNKING_JOB_NOT_FOUND');
  });

  it("answers 404 for another app's chunking job or index", async () => {
    const theirIndex = await vectorIndex(t, other, 'theirs');
    expectProblem(await t.http.post('/vector/store/vectorize').set(other).send({ chunking_job_id: chunkingId, index_id: theirIndex }), 404, 'CHUNKING_JOB_NOT_FOUND');
    expectProblem(await t.http.post('/vector/store/vectorize').set(other).send({ chunking_job_id: chunkingId, index_id: indexId }), 404, 'VECTOR_INDEX_NOT_FOUND');
  });

  it('answers 409 CHUNKING_NOT_COMPLETED for a chunking job that did not complete', async () => {
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.txt`, prose('cancel', 3, i)]));
    const extractionId = await extractionJob(t, auth.authorization, files);
    await t.http.post('/document/extraction/start_job').set(auth).send({ extraction_job_id: extractionId }).expect(200);
    await untilDone(t, auth.authorization, `/document/extraction/job_status/${extractionId}`);
    const created = await t.http.post('/document/chunking/create_job').set(auth).send({ extraction_job_id: extractionId, chunking_strategy: 'recursive' }).expect(200);
    const cancelled = await t.http.post(`/document/chunking/jobs/${created.body.chunking_job_id}/cancellation`).set(auth).expect(200);
    assert.equal(cancelled.body.status, 'CANCELLED', 'cancelled before its 30 files were chunked');
    expectProblem(await t.http.post('/vector/store/vectorize').set(auth).send({ chunking_job_id: created.body.chunking_job_id, index_id: indexId }), 409, 'CHUNKING_NOT_COMPLETED');
  });

  it('answers 400 for a request without an index', async () => {
    expectProblem(await t.http.post('/vector/store/vectorize').set(auth).send({ chunking_job_id: chunkingId }), 400, 'VALIDATION_ERROR');
  });
});

describe('getVectorizeJobStatus', () => {
  it("answers 404 for an unknown job and for another app's job", async () => {
    expectProblem(await t.http.get('/vector/job/status/00000000-0000-4000-8000-000000000000').set(auth), 404, 'VECTORIZE_JOB_NOT_FOUND');
    expectProblem(await t.http.get(`/vector/job/status/${first.vectorize_job_id}`).set(other), 404, 'VECTORIZE_JOB_NOT_FOUND');
  });
});

describe('listVectorizeJobFiles', () => {
  it("answers 404 for another app's job", async () => {
    expectProblem(await t.http.get(`/vector/jobs/${first.vectorize_job_id}/files`).set(other), 404, 'VECTORIZE_JOB_NOT_FOUND');
  });
});

describe('listAllVectorizeJobs and listVectorizeJobs', () => {
  it("lists the app's jobs newest first, as a bare array and page by page; never another app's", async () => {
    const all = await t.http.get('/vector/jobs/list').set(auth).expect(200);
    assert.ok(Array.isArray(all.body));
    assert.ok(all.body.length >= 4);
    assert.equal(all.body.at(-1).vectorize_job_id, first.vectorize_job_id, 'the first job is the oldest');
    const page = await t.http.get('/vector/jobs?limit=2').set(auth).expect(200);
    assert.deepEqual(page.body.items.map((j: { vectorize_job_id: string }) => j.vectorize_job_id), all.body.slice(0, 2).map((j: { vectorize_job_id: string }) => j.vectorize_job_id));
    const next = await t.http.get(`/vector/jobs?limit=2&cursor=${page.body.next}`).set(auth).expect(200);
    assert.equal(next.body.items[0].vectorize_job_id, all.body[2].vectorize_job_id);
    expectProblem(await t.http.get('/vector/jobs?cursor=bogus').set(auth), 400, 'VALIDATION_ERROR');
    assert.deepEqual((await t.http.get('/vector/jobs/list').set(other).expect(200)).body, []);
  });
});

describe('cancelVectorizeJob and deleteVectorizeJob', () => {
  it('cancels a running job: its files end CANCELLED and the index keeps what it had', async () => {
    const long = await chunkedFiles(t, auth, { 'slow.txt': prose('slow', 400, 5) }, 80);
    const slowIndex = await vectorIndex(t, auth, 'slow');
    const jobId = await startVectorising(t, auth, long, slowIndex);
    expectProblem(await t.http.post(`/vector/jobs/${jobId}/cancellation`).set(other), 404, 'VECTORIZE_JOB_NOT_FOUND');
    const cancelled = await t.http.post(`/vector/jobs/${jobId}/cancellation`).set(auth).expect(200);
    assert.equal(cancelled.body.status, 'CANCELLED');
    assert.equal(cancelled.body.cancelled_file_count, 1);
    assert.equal((await vectorisedFiles(t, auth, jobId)).get('slow.txt')!.status, 'CANCELLED');
    // The file in flight stops before it publishes: the index never shows it.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const hits = await t.http.post('/vector/search').set(auth).send({ query: 'slow', index_id: slowIndex, k: 5, mode: 'text' }).expect(200);
      assert.deepEqual(hits.body, []);
      const events = await ledger(auth.app_id);
      if (events.some((e) => e.service === 'vector' && e.resource === jobId)) break; // the worker has let the file go
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const row = (await ledger(auth.app_id)).find((e) => e.service === 'vector' && e.resource === jobId);
    assert.equal(row?.status, 'CANCELLED');
  });

  it('cancelling a finished job changes nothing', async () => {
    const res = await t.http.post(`/vector/jobs/${first.vectorize_job_id}/cancellation`).set(auth).expect(200);
    assert.equal(res.body.status, 'COMPLETED');
  });

  it('deletes a job (the vectors it published stay in the index); another app gets 404', async () => {
    const job = await vectorise(t, auth, chunkingId, indexId);
    expectProblem(await t.http.delete(`/vector/jobs/${job.vectorize_job_id}`).set(other), 404, 'VECTORIZE_JOB_NOT_FOUND');
    const res = await t.http.delete(`/vector/jobs/${job.vectorize_job_id}`).set(auth).expect(200);
    assert.deepEqual(res.body, { vectorize_job_id: job.vectorize_job_id, deleted: true });
    expectProblem(await t.http.get(`/vector/job/status/${job.vectorize_job_id}`).set(auth), 404, 'VECTORIZE_JOB_NOT_FOUND');
    const hits = await t.http.post('/vector/search').set(auth).send({ query: 'alpha', index_id: indexId, k: 1, mode: 'text' }).expect(200);
    assert.equal(hits.body.length, 1);
  });
});
