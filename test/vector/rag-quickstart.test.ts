// The seed's RAG quickstart (seed-inventory §7.2), end to end on the embedded defaults: extraction →
// chunking → store/create → poll store/status → store/index/create → store/vectorize → poll
// job/status → search → render a prompt → invoke. Once through the generated typed client, once
// with the notebook's raw request shapes (JSON bodies without a Content-Type, stores/list as a
// bodiless POST). The corpus is a generated PDF whose pages each hold facts found nowhere else, so
// every answer can be checked against the page it must cite. The model is the loopback fake
// upstream (`echo` answers with the prompt it was given), the embedder the real offline one.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createPlatformClient } from '../../generated/client/index.ts';
import { listen, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { freePort } from '../helpers/platform-process.ts';

/** One page per topic; each sentence is a fact only that page holds. */
const PAGES = [
  ['Mars is the fourth planet from the Sun.', 'Olympus Mons on Mars is the tallest volcano in the solar system, about 22 kilometres high.', 'Mars has two small moons, Phobos and Deimos.'],
  ['Jupiter is the largest planet of the solar system.', 'The Great Red Spot on Jupiter is a storm wider than the Earth.', 'Jupiter completes one orbit around the Sun every 11.86 years.'],
  ['Saturn is famous for its bright rings of ice and rock.', 'Saturn is so light that its mean density is lower than that of water.', 'Titan, the largest moon of Saturn, has lakes of liquid methane.'],
];
const QUESTION = 'How high is the tallest volcano of the solar system?';
const RAG_TEMPLATE = 'You are a helpful assistant. Given a context, answer the following question. Context: {{context}} Question: {{question}} Answer:';
const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];

let upstream: FakeOpenAi;
let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;
let baseUrl: string;
let pdf: Uint8Array;

before(async () => {
  upstream = await startFakeOpenAi();
  // Signed URLs point at PUBLIC_URL: the listening server's address, known only once it listens.
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  t = await startTestPlatform({ PUBLIC_URL: baseUrl, OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo' });
  server = await listen(t.platform.handler, port);
  pdf = await factsPdf();
});
after(async () => {
  await server?.close();
  await t?.close();
  await upstream?.close();
});

async function factsPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const sentences of PAGES) {
    const page = doc.addPage([612, 792]);
    sentences.forEach((sentence, i) => page.drawText(sentence, { x: 72, y: 700 - i * 24, size: 11, font }));
  }
  return doc.save();
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    assert.ok(Date.now() < deadline, `${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('runs the RAG quickstart through the generated client, ending in an answer that cites its page', { timeout: 180_000 }, async () => {
  const app = await t.onboardApp('rag-client');
  const client = createPlatformClient({ baseUrl, clientId: app.client_id, clientSecret: app.client_secret });
  const { document, vector, prompt, model } = client;

  // Extraction and chunking (the notebook's fixed_size 400/100).
  const created = await document.POST('/document/extraction/create_job', { body: {} });
  const extractionId = created.data!.extraction_job_id;
  const registered = await document.POST('/document/extraction/register_file', { body: { extraction_job_id: extractionId, file_name: 'solar-system.pdf' } });
  assert.equal((await fetch(registered.data!.upload_url, { method: 'PUT', body: Buffer.from(pdf) })).status, 200);
  await document.POST('/document/extraction/start_job', { body: { extraction_job_id: extractionId } });
  const extracted = await until(
    async () => (await document.GET('/document/extraction/job_status/{extraction_job_id}', { params: { path: { extraction_job_id: extractionId } } })).data!,
    (job) => TERMINAL.includes(job.status), 'extraction');
  assert.equal(extracted.status, 'COMPLETED');
  const chunking = await document.POST('/document/chunking/create_job', {
    body: { extraction_job_id: extractionId, chunking_strategy: 'fixed_size', chunking_params: { chunk_size: 400, chunk_overlap: 100 } },
  });
  const chunkingId = chunking.data!.chunking_job_id;
  const chunked = await until(
    async () => (await document.GET('/document/chunking/job_status/{job_id}', { params: { path: { job_id: chunkingId } } })).data!,
    (job) => TERMINAL.includes(job.status), 'chunking');
  assert.equal(chunked.status, 'COMPLETED');

  // Store, index, vectorisation.
  const store = await vector.POST('/vector/store/create', {
    body: { store_name: 'SolarSystem', store_type: 'opensearchserverless', description: 'Planets', tags: [{ key: 'project', value: 'GenerativeAI' }] },
  });
  assert.ok(store.data, JSON.stringify(store.error));
  const storeId = store.data.store_id;
  await until(async () => (await vector.POST('/vector/store/status', { body: { store_id: storeId } })).data!, (s) => s.status === 'ACTIVE', 'store');
  const index = await vector.POST('/vector/store/index/create', { body: { store_id: storeId, index_name: 'my_index2' } });
  assert.ok(index.data, JSON.stringify(index.error));
  const indexId = index.data.index_id;
  const job = await vector.POST('/vector/store/vectorize', { body: { chunking_job_id: chunkingId, index_id: indexId } });
  assert.ok(job.data, JSON.stringify(job.error));
  const vectorised = await until(
    async () => (await vector.GET('/vector/job/status/{vectorize_job_id}', { params: { path: { vectorize_job_id: job.data!.vectorize_job_id } } })).data!,
    (j) => TERMINAL.includes(j.status), 'vectorisation');
  assert.equal(vectorised.status, 'COMPLETED', JSON.stringify(vectorised));
  assert.equal(vectorised.completed_file_count, 1);

  // Search with citations: the volcano fact is on page 1 of the PDF.
  const found = await vector.POST('/vector/search', { body: { query: QUESTION, index_id: indexId, k: 3, mode: 'hybrid' } });
  assert.ok(found.data, JSON.stringify(found.error));
  const top = found.data[0]!;
  assert.match(top.text, /22 kilometres/);
  assert.equal(top.file_name, 'solar-system.pdf');
  assert.equal(top.page_start, 1);
  assert.equal(top.chunking_job_id, chunkingId);
  assert.ok(top.score > 0);
  assert.ok(top.end > top.start);

  // The SDK's semantic_search sends only the query and the index: k and mode take their defaults
  // (optional in the generated types too, so a typed client needs no more than the seed sent).
  const seedSearch = await vector.POST('/vector/search', { body: { query: QUESTION, index_id: indexId } });
  assert.ok(seedSearch.data && seedSearch.data.length >= 1 && seedSearch.data.length <= 4);

  // Render the notebook's prompt with the hits as context, then invoke.
  await prompt.POST('/prompt/template/save', { body: { name: 'RAG_ANSWER', prompt_template: RAG_TEMPLATE } });
  const context = found.data.map((hit) => `[${hit.file_name} p.${hit.page_start}] ${hit.text}`).join('\n');
  const rendered = await prompt.POST('/prompt/template/render', { body: { name: 'RAG_ANSWER', variables: { context, question: QUESTION } } });
  assert.ok(rendered.data, JSON.stringify(rendered.error));
  const answer = await model.POST('/model/invoke', { body: { model_name: 'echo', prompt: rendered.data.text, max_tokens: 100 } });
  assert.ok(answer.data, JSON.stringify(answer.error));
  assert.match(answer.data.output_text, /\[solar-system\.pdf p\.1\][^[]*22 kilometres/, 'the answer carries the cited context');
  assert.match(answer.data.output_text, /Question: How high is the tallest volcano/);
});

it('runs the RAG quickstart with the notebook\'s raw request shapes', { timeout: 180_000 }, async () => {
  const { authorization } = await t.appAuth('rag-seed');
  // The notebooks send JSON bodies with no Content-Type (fetch would label a string text/plain; bytes it leaves unlabelled).
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method, headers: { authorization }, ...(body !== undefined && { body: Buffer.from(JSON.stringify(body)) }) });
    const text = await res.text();
    assert.equal(res.status, 200, `${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };

  const { extraction_job_id } = await call('GET', '/document/extraction/create_job');
  const { upload_url } = await call('POST', '/document/extraction/register_file', { extraction_job_id, file_name: 'solar-system.pdf' });
  assert.equal((await fetch(upload_url, { method: 'PUT', body: Buffer.from(pdf) })).status, 200);
  await call('POST', '/document/extraction/start_job', { extraction_job_id });
  await until(() => call('GET', `/document/extraction/job_status/${extraction_job_id}`), (j) => TERMINAL.includes(j.status), 'extraction');
  const { chunking_job_id } = await call('POST', '/document/chunking/create_job', {
    extraction_job_id, chunking_strategy: 'fixed_size', chunking_params: { chunk_size: 400, chunk_overlap: 100 },
  });
  await until(() => call('GET', `/document/chunking/job_status/${chunking_job_id}`), (j) => TERMINAL.includes(j.status), 'chunking');

  const store = await call('POST', '/vector/store/create', {
    store_name: 'SolarSystem', store_type: 'opensearchserverless', description: 'Collection for storing vectorized documents', tags: [{ key: 'project', value: 'GenerativeAI' }],
  });
  assert.equal(store.message, 'Vector store created successfully');
  assert.equal(store.store_type, 'opensearchserverless');
  await until(() => call('POST', '/vector/store/status', { store_id: store.store_id }), (s) => s.status === 'ACTIVE', 'store');
  const stores = await call('POST', '/vector/stores/list');
  assert.ok(stores.some((s: { store_id: string }) => s.store_id === store.store_id));

  const index = await call('POST', '/vector/store/index/create', { store_id: store.store_id, index_name: 'my_index2' });
  assert.equal(index.message, 'Index created successfully');
  await until(() => call('POST', '/vector/store/index/status', { index_id: index.index_id }), (s) => s.status === 'ACTIVE', 'index');
  const indexes = await call('GET', `/vector/store/${store.store_id}/indexes`);
  assert.deepEqual(indexes.map((i: { index_id: string; index_name: string }) => [i.index_id, i.index_name]), [[index.index_id, 'my_index2']]);

  const job = await call('POST', '/vector/store/vectorize', { chunking_job_id, index_id: index.index_id });
  assert.equal(job.status, 'STARTED');
  assert.equal(job.total_file_count, 1);
  const done = await until(() => call('GET', `/vector/job/status/${job.vectorize_job_id}`), (j) => TERMINAL.includes(j.status), 'vectorisation');
  assert.equal(done.status, 'COMPLETED');
  const jobs = await call('GET', '/vector/jobs/list');
  assert.ok(jobs.some((j: { vectorize_job_id: string }) => j.vectorize_job_id === job.vectorize_job_id));

  // The seed's search: {query, index_id} → up to 4 hits, each with its text (and now a citation).
  const hits = await call('POST', '/vector/search', { query: 'Which planet has rings of ice?', index_id: index.index_id });
  assert.ok(hits.length >= 1 && hits.length <= 4);
  assert.ok(hits.some((hit: { text: string; page_start: number }) => /rings of ice/.test(hit.text) && hit.page_start <= 3));
  for (const hit of hits) assert.equal(typeof hit.text, 'string');

  const context = hits.map((hit: { text: string }) => hit.text).join('\n');
  const prompt = `You are a helpful assistant. Given a context, answer the following question. Context: ${context} Question: Which planet has rings of ice? Answer:`;
  const answer = await call('POST', '/model/invoke', { model_name: 'echo', prompt, max_tokens: 100 });
  assert.match(answer.output_text, /rings of ice/);
  const health = await call('GET', '/vector/service/health');
  assert.deepEqual(health, { status: 'UP' });
});
