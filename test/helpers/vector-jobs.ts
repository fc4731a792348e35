// The RAG flow's steps through the HTTP API, for the vector tests: text files extracted and
// chunked by the document service, a store and an index, a vectorisation job run to its end.
import assert from 'node:assert/strict';
import { extractionJob } from './document-jobs.ts';
import { untilDone } from '../document/helpers.ts';
import type { TestPlatform } from './platform.ts';

export type Auth = { authorization: string };

/** Extracts and chunks the files (`recursive`, the given chunk size); returns the COMPLETED chunking job's id. */
export async function chunkedFiles(t: TestPlatform, auth: Auth, files: Record<string, string>, chunkSize = 200): Promise<string> {
  const extractionId = await extractionJob(t, auth.authorization, files);
  await t.http.post('/document/extraction/start_job').set(auth).send({ extraction_job_id: extractionId }).expect(200);
  const extraction = await untilDone(t, auth.authorization, `/document/extraction/job_status/${extractionId}`);
  assert.equal(extraction.status, 'COMPLETED', JSON.stringify(extraction));
  const created = await t.http.post('/document/chunking/create_job').set(auth)
    .send({ extraction_job_id: extractionId, chunking_strategy: 'recursive', chunking_params: { chunk_size: chunkSize, chunk_overlap: 0 } }).expect(200);
  const chunking = await untilDone(t, auth.authorization, `/document/chunking/job_status/${created.body.chunking_job_id}`);
  assert.equal(chunking.status, 'COMPLETED', JSON.stringify(chunking));
  return created.body.chunking_job_id as string;
}

/** A store (ACTIVE at once on the embedded backend) and an index in it; returns the index id. */
export async function vectorIndex(t: TestPlatform, auth: Auth, indexName: string, embeddingModel?: string): Promise<string> {
  const store = await t.http.post('/vector/store/create').set(auth).send({ store_name: `${indexName}-store`, store_type: 'default' }).expect(200);
  const status = await t.http.post('/vector/store/status').set(auth).send({ store_id: store.body.store_id }).expect(200);
  assert.equal(status.body.status, 'ACTIVE');
  const index = await t.http.post('/vector/store/index/create').set(auth)
    .send({ store_id: store.body.store_id, index_name: indexName, ...(embeddingModel && { embedding_model: embeddingModel }) }).expect(200);
  return index.body.index_id as string;
}

/** Starts a vectorisation job; returns its id. */
export async function startVectorising(t: TestPlatform, auth: Auth, chunkingJobId: string, indexId: string): Promise<string> {
  const res = await t.http.post('/vector/store/vectorize').set(auth).send({ chunking_job_id: chunkingJobId, index_id: indexId }).expect(200);
  assert.equal(res.body.status, 'STARTED');
  return res.body.vectorize_job_id as string;
}

/** Runs a vectorisation job to its end; returns its final status. */
export async function vectorise(t: TestPlatform, auth: Auth, chunkingJobId: string, indexId: string) {
  const jobId = await startVectorising(t, auth, chunkingJobId, indexId);
  return untilDone(t, auth.authorization, `/vector/job/status/${jobId}`);
}

/** A job's files, by file name. */
export async function vectorisedFiles(t: TestPlatform, auth: Auth, jobId: string) {
  const res = await t.http.get(`/vector/jobs/${jobId}/files`).set(auth).expect(200);
  return new Map((res.body.files as { file_name: string; status: string; chunks?: number; embedded?: number; reused?: number; error?: { code: string } }[]).map((f) => [f.file_name, f]));
}

/** Prose of `sentences` distinct sentences about `topic`, in short paragraphs. */
export function prose(topic: string, sentences: number, seed = 0): string {
  const words = ['amber', 'basalt', 'cedar', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'indigo', 'juniper', 'kelp', 'lagoon', 'meadow', 'nectar', 'orchid', 'prairie'];
  const lines: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const n = i + seed * 7919;
    lines.push(`The ${topic} note ${i} mentions ${words[n % words.length]} and ${words[(n * 7 + 3) % words.length]} near marker ${n}.`);
    if (i % 5 === 4) lines.push('');
  }
  return lines.join('\n');
}
