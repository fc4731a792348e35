// The document service over raw HTTP with the AWS sample's request and response shapes: the seed
// SDK's extraction flow (create → register → PUT → start → poll → file_status → GET result) and
// chunking flow (create → poll → chunk_file_url → GET), then each documented error, tenancy,
// cancel, delete and the paginated lists.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { reportPdf } from '../helpers/document-corpus.ts';
import { download, untilDone, upload } from '../document/helpers.ts';
import { extractionJob as createExtractionJob } from '../helpers/document-jobs.ts';
import { PAGE_SEPARATOR } from '../../handlers/document/chunking/ports.ts';

let t: TestPlatform;
let auth: string;
let appId: string;
let other: string;
let pdf: Uint8Array;

before(async () => {
  t = await startTestPlatform({ DOCUMENT_MAX_FILE_BYTES: String(2 * 1024 * 1024), DOCUMENT_MAX_JOB_BYTES: String(3 * 1024 * 1024) });
  const app = await t.appAuth('doc-app');
  auth = app.authorization;
  appId = app.app_id;
  other = (await t.appAuth('other-app')).authorization;
  pdf = (await reportPdf({ pages: 2, seed: 7 })).bytes;
});
after(() => t.close());

const post = (path: string, body: unknown, as = auth) => t.http.post(path).set('authorization', as).send(body as object);
const get = (path: string, as = auth) => t.http.get(path).set('authorization', as);

const extractionJob = (files: Record<string, Uint8Array | string>) => createExtractionJob(t, auth, files);

describe('the seed SDK extraction and chunking flows', () => {
  let jobId: string;

  it('extracts every file on its own: a bad file fails with its code, the others complete', async () => {
    const created = await get('/document/extraction/create_job').expect(200);
    assert.deepEqual(Object.keys(created.body).sort(), ['extraction_job_id', 'status']);
    assert.equal(created.body.status, 'CREATED');
    jobId = created.body.extraction_job_id;

    const files: Record<string, Uint8Array | string> = {
      'report.pdf': pdf,
      'notes.txt': 'First line of notes.\n\nSecond paragraph of notes.',
      'fake.pdf': 'this is not a PDF at all',
      'rows.json': JSON.stringify([{ id: 1, name: 'alpha' }, { id: 2, name: 'beta' }]),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const registered = await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: name }).expect(200);
      assert.equal(registered.body.extraction_job_id, jobId);
      assert.equal(registered.body.file_name, name);
      assert.match(registered.body.file_id, /^[0-9a-f]{32}$/);
      await upload(t, registered.body.upload_url, bytes).expect(200);
    }
    const pending = await get(`/document/extraction/job_files/${jobId}`).expect(200);
    assert.deepEqual(pending.body.map((f: { status: string }) => f.status), ['PENDING', 'PENDING', 'PENDING', 'PENDING']);

    const started = await post('/document/extraction/start_job', { extraction_job_id: jobId }).expect(200);
    assert.deepEqual(started.body, { extraction_job_id: jobId, total_files: 4, status: 'STARTED' });

    const status = await untilDone(t, auth, `/document/extraction/job_status/${jobId}`);
    assert.equal(status.job_id, jobId);
    assert.equal(status.status, 'COMPLETED_WITH_ERRORS');
    assert.equal(status.total_file_count, 4);
    assert.equal(status.completed_file_count, 3);
    assert.equal(status.failed_file_count, 1);
    assert.deepEqual(status.progress, { done: 4, total: 4 });

    const files2 = await get(`/document/extraction/job_files/${jobId}`).expect(200);
    const byName = Object.fromEntries(files2.body.map((f: { file_name: string }) => [f.file_name, f]));
    assert.equal(byName['fake.pdf'].status, 'FAILED');
    assert.equal(byName['fake.pdf'].error.code, 'FORMAT_MISMATCH');
    assert.equal(byName['report.pdf'].status, 'COMPLETED');
    assert.equal(byName['report.pdf'].format, 'pdf');
    assert.ok(byName['report.pdf'].pages >= 2);
    for (const f of files2.body) assert.equal(f.job_id, jobId);
  });

  it('answers file_status with a result URL whose document has the seed shape', async () => {
    const res = await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'report.pdf' }).expect(200);
    assert.equal(res.body.status, 'COMPLETED');
    assert.equal(res.body.extraction_job_id, jobId);
    const text = await download(t, res.body.result_url);
    assert.equal(text.job_id, jobId);
    assert.equal(text.file_name, 'report.pdf');
    assert.ok(text.pages.length >= 2);
    assert.deepEqual(text.pages.map((p: { page_number: number }) => p.page_number), text.pages.map((_: unknown, i: number) => i + 1));
    assert.match(text.pages[0].page_text, /<title>|<text>|<header>/);
    assert.doesNotMatch(text.pages[0].text, /<text>/);
    assert.doesNotMatch(JSON.stringify(text.pages), /Confidential|Page 1 of/, 'running headers and page numbers dropped');
    const tables = await download(t, res.body.tables_url);
    assert.ok(tables.pages.some((p: { tables: string[] }) => p.tables.some((table) => table.startsWith('<table>'))));

    // The same documents through the API.
    const viaApi = await get(`/document/extraction/jobs/${jobId}/files/report.pdf/text`).expect(200);
    assert.deepEqual(viaApi.body, text);
    const tablesViaApi = await get(`/document/extraction/jobs/${jobId}/files/report.pdf/tables`).expect(200);
    assert.deepEqual(tablesViaApi.body, tables);

    const failed = await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'fake.pdf' }).expect(200);
    assert.equal(failed.body.result_url, null);
    assert.equal(failed.body.error.code, 'FORMAT_MISMATCH');
  });

  it('lists the completed files\' result URLs in job_results', async () => {
    const res = await get(`/document/extraction/job_results/${jobId}`).expect(200);
    assert.deepEqual(res.body.files.map((f: { file_name: string }) => f.file_name).sort(), ['notes.txt', 'report.pdf', 'rows.json']);
    const notes = res.body.files.find((f: { file_name: string }) => f.file_name === 'notes.txt');
    const text = await download(t, notes.extracted_text_url);
    assert.match(text.pages[0].page_text, /Second paragraph of notes/);
  });

  it('chunks the completed files with exact offsets and page spans, and a top-level JSON array is chunked', async () => {
    const created = await post('/document/chunking/create_job', {
      extraction_job_id: jobId, chunking_strategy: 'recursive', chunking_params: { chunk_size: 300, chunk_overlap: 30 },
    }).expect(200);
    assert.deepEqual(Object.keys(created.body).sort(), ['chunking_job_id', 'extraction_job_id', 'status', 'total_file_count']);
    assert.equal(created.body.total_file_count, 3);
    const chunkingId = created.body.chunking_job_id as string;

    const status = await untilDone(t, auth, `/document/chunking/job_status/${chunkingId}`);
    assert.equal(status.status, 'COMPLETED');
    assert.equal(status.completed_files, 3);
    assert.equal(status.failed_files, 0);
    assert.equal(status.total_file_count, 3);

    const files = await get(`/document/chunking/job_files/${chunkingId}`).expect(200);
    assert.equal(files.body.chunking_job_id, chunkingId);
    for (const f of files.body.files) {
      assert.equal(f.status, 'COMPLETED');
      assert.ok(f.timestamp);
    }

    const url = await post('/document/chunking/chunk_file_url', { chunking_job_id: chunkingId, file_name: 'report.pdf' }).expect(200);
    assert.equal(url.body.file_name, 'report.pdf');
    assert.equal(url.body.chunking_job_id, chunkingId);
    const chunks = await download(t, url.body.chunk_file_url);
    assert.ok(Array.isArray(chunks) && chunks.length > 2);
    const extracted = (await get(`/document/extraction/jobs/${jobId}/files/report.pdf/text`).expect(200)).body;
    const fullText = extracted.pages.map((p: { text: string }) => p.text).join(PAGE_SEPARATOR);
    for (const chunk of chunks) {
      assert.equal(typeof chunk.chunk, 'string');
      assert.equal(fullText.slice(chunk.start, chunk.end), chunk.chunk);
      assert.ok(chunk.chunk.length <= 300);
      assert.ok(chunk.page_start >= 1 && chunk.page_end >= chunk.page_start);
    }
    assert.ok(chunks.some((c: { page_start: number }) => c.page_start === 2), 'chunks of page 2 say so');

    const viaApi = await get(`/document/chunking/jobs/${chunkingId}/files/report.pdf/chunks`).expect(200);
    assert.deepEqual(viaApi.body.chunks, chunks);

    const json = await get(`/document/chunking/jobs/${chunkingId}/files/rows.json/chunks`).expect(200);
    assert.ok(json.body.chunks.length > 0, 'a top-level array is chunked, not null');
    assert.match(json.body.chunks.map((c: { chunk: string }) => c.chunk).join(''), /alpha/);
  });

  it('keeps each table row with its header under table_aware, with the tables the extractor found', async () => {
    const created = await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'table_aware', chunking_params: { chunk_size: 120 } }).expect(200);
    const chunkingId = created.body.chunking_job_id as string;
    assert.equal((await untilDone(t, auth, `/document/chunking/job_status/${chunkingId}`)).status, 'COMPLETED');
    const { chunks } = (await get(`/document/chunking/jobs/${chunkingId}/files/report.pdf/chunks`).expect(200)).body;
    const { tables } = (await get(`/document/extraction/jobs/${jobId}/files/report.pdf/tables`).expect(200)).body;
    assert.ok(tables.length > 0);
    for (const table of tables) {
      const header = table.rows[0].join('\t');
      for (const row of table.rows.slice(1)) {
        const line = row.join('\t');
        const holders = chunks.filter((c: { chunk: string }) => c.chunk.split('\n').includes(line));
        assert.ok(holders.length > 0, `row "${line}" is in a chunk`);
        for (const c of holders) assert.ok(c.chunk.split('\n').includes(header), `row "${line}" keeps its header`);
      }
    }
  });

  it('meters pages extracted and chunks produced in the usage ledger, one event per file', async () => {
    await t.platform.ledger.flush();
    const events = (await t.platform.ledger.list(appId, 100)).filter((e) => e.service === 'document');
    const extracts = events.filter((e) => e.operation === 'extract' && e.resource === jobId);
    assert.equal(extracts.length, 4);
    assert.equal(extracts.filter((e) => e.status === 'FAILED')[0]?.errorCode, 'FORMAT_MISMATCH');
    assert.ok(extracts.some((e) => (e.units.pages ?? 0) >= 2 && e.provider === 'local'));
    const chunked = events.filter((e) => e.operation === 'chunk');
    assert.equal(chunked.length, 6);
    assert.ok(chunked.every((e) => e.status === 'SUCCESS' && (e.units.chunks ?? 0) > 0));
  });

  it('shows both jobs in the seed lists and the paginated ones', async () => {
    const legacy = await get('/document/extraction/list_jobs').expect(200);
    assert.ok(legacy.body.some((j: { job_id: string; queued_files: number }) => j.job_id === jobId && j.queued_files === 4));
    const page = await get('/document/extraction/jobs?limit=1').expect(200);
    assert.equal(page.body.items.length, 1);
    const chunking = await get('/document/chunking/list_jobs').expect(200);
    assert.equal(chunking.body[0].extraction_job_id, jobId);
    assert.equal(typeof chunking.body[0].chunking_params, 'string');
    const chunkingPage = await get('/document/chunking/jobs').expect(200);
    assert.equal(chunkingPage.body.items[0].chunking_job_id, chunking.body[0].chunking_job_id);
    assert.equal(chunkingPage.body.next, null);
  });
});

describe('registering and starting', () => {
  it('refuses the seed\'s forbidden characters, paths and types it does not read', async () => {
    const jobId = (await get('/document/extraction/create_job').expect(200)).body.extraction_job_id;
    for (const name of ['a b.pdf', 'x/y.pdf', '../up.pdf', 'semi;colon.txt', 'per%cent.md', 'back\\slash.txt', 'tab\there.txt']) {
      expectProblem(await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: name }), 400, 'INVALID_FILE_NAME');
    }
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: '' }), 400, 'INVALID_FILE_NAME');
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: 'program.exe' }), 400, 'UNSUPPORTED_FILE_TYPE');
    await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: 'a.txt' }).expect(200);
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: 'a.txt' }), 400, 'FILE_ALREADY_REGISTERED');
  });

  it('refuses to start a job without files, with files not uploaded, or twice', async () => {
    const empty = (await post('/document/extraction/create_job', {}).expect(200)).body.extraction_job_id;
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: empty }), 400, 'NO_FILES_REGISTERED');

    const jobId = await extractionJob({ 'one.txt': 'one' });
    await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: 'two.txt' }).expect(200);
    const missing = expectProblem(await post('/document/extraction/start_job', { extraction_job_id: jobId }), 400, 'FILES_NOT_UPLOADED');
    assert.match(missing.detail, /two\.txt/);

    const ready = await extractionJob({ 'one.txt': 'one' });
    await post('/document/extraction/start_job', { extraction_job_id: ready }).expect(200);
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: ready }), 400, 'JOB_NOT_OPEN');
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: ready, file_name: 'late.txt' }), 400, 'JOB_NOT_OPEN');
  });

  it('refuses an upload over the per-file limit and a job over the per-job limit', async () => {
    const jobId = (await get('/document/extraction/create_job').expect(200)).body.extraction_job_id;
    const registered = await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: 'big.txt' }).expect(200);
    assert.equal(registered.body.max_bytes, 2 * 1024 * 1024);
    expectProblem(await upload(t, registered.body.upload_url, 'x'.repeat(2 * 1024 * 1024 + 1)), 413, 'PAYLOAD_TOO_LARGE');

    const mb = 'y'.repeat(1024 * 1024 + 512 * 1024);
    const tooMuch = await extractionJob({ 'a.txt': mb, 'b.txt': mb, 'c.txt': mb });
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: tooMuch }), 413, 'JOB_TOO_LARGE');
  });
});

describe('errors, tenancy, cancel and delete', () => {
  it('answers 404 for another application\'s jobs on every route', async () => {
    const jobId = await extractionJob({ 'mine.txt': 'private words' });
    await post('/document/extraction/start_job', { extraction_job_id: jobId }).expect(200);
    await untilDone(t, auth, `/document/extraction/job_status/${jobId}`);
    const chunkingId = (await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'page' }).expect(200)).body.chunking_job_id;
    await untilDone(t, auth, `/document/chunking/job_status/${chunkingId}`);

    const EX = 'EXTRACTION_JOB_NOT_FOUND';
    const CH = 'CHUNKING_JOB_NOT_FOUND';
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: 'x.txt' }, other), 404, EX);
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: jobId }, other), 404, EX);
    expectProblem(await get(`/document/extraction/job_files/${jobId}`, other), 404, EX);
    expectProblem(await get(`/document/extraction/job_status/${jobId}`, other), 404, EX);
    expectProblem(await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'mine.txt' }, other), 404, EX);
    expectProblem(await get(`/document/extraction/job_results/${jobId}`, other), 404, EX);
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/mine.txt/text`, other), 404, EX);
    expectProblem(await t.http.post(`/document/extraction/jobs/${jobId}/cancellation`).set('authorization', other), 404, EX);
    expectProblem(await t.http.delete(`/document/extraction/jobs/${jobId}`).set('authorization', other), 404, EX);
    expectProblem(await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'page' }, other), 404, EX);
    expectProblem(await get(`/document/chunking/job_status/${chunkingId}`, other), 404, CH);
    expectProblem(await get(`/document/chunking/job_files/${chunkingId}`, other), 404, CH);
    expectProblem(await post('/document/chunking/chunk_file_url', { chunking_job_id: chunkingId, file_name: 'mine.txt' }, other), 404, CH);
    expectProblem(await get(`/document/chunking/jobs/${chunkingId}/files/mine.txt/chunks`, other), 404, CH);
    assert.deepEqual((await get('/document/extraction/list_jobs', other).expect(200)).body, []);
    assert.deepEqual((await get('/document/chunking/jobs', other).expect(200)).body.items, []);
    // An extraction job id is not a chunking job id.
    expectProblem(await get(`/document/chunking/job_status/${jobId}`), 404, CH);
  });

  it('answers unknown files, unfinished jobs and bad chunking parameters with their problems', async () => {
    const jobId = await extractionJob({ 'a.txt': 'alpha' });
    expectProblem(await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'nope.txt' }), 404, 'FILE_NOT_FOUND');
    expectProblem(await get(`/document/extraction/job_results/${jobId}`), 400, 'JOB_NOT_FINISHED');
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/a.txt/text`), 400, 'RESULT_NOT_READY');
    expectProblem(await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'recursive' }), 400, 'EXTRACTION_NOT_COMPLETED');
    const overlap = expectProblem(await post('/document/chunking/create_job', {
      extraction_job_id: jobId, chunking_strategy: 'fixed_size', chunking_params: { chunk_size: 100, chunk_overlap: 100 },
    }), 400, 'VALIDATION_ERROR');
    assert.ok(overlap.errors?.some((e) => e.path.includes('chunk_overlap')));
    expectProblem(await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'semantic' }), 400, 'VALIDATION_ERROR');
    expectProblem(await get('/document/extraction/job_status/no-such-job'), 404, 'EXTRACTION_JOB_NOT_FOUND');
    expectProblem(await get('/document/extraction/jobs?cursor=bogus'), 400, 'VALIDATION_ERROR');
  });

  it('cancels a job and its files, and deletes a job with its results', async () => {
    const jobId = await extractionJob({ 'a.txt': 'alpha', 'b.txt': 'beta' });
    const cancelled = await t.http.post(`/document/extraction/jobs/${jobId}/cancellation`).set('authorization', auth).expect(200);
    assert.equal(cancelled.body.status, 'CANCELLED');
    assert.equal(cancelled.body.cancelled_file_count, 2);
    const files = await get(`/document/extraction/job_files/${jobId}`).expect(200);
    assert.deepEqual(files.body.map((f: { status: string }) => f.status), ['CANCELLED', 'CANCELLED']);
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: jobId }), 400, 'JOB_NOT_OPEN');

    const done = await extractionJob({ 'keep.txt': 'kept' });
    await post('/document/extraction/start_job', { extraction_job_id: done }).expect(200);
    await untilDone(t, auth, `/document/extraction/job_status/${done}`);
    const url = (await post('/document/extraction/file_status', { extraction_job_id: done, file_name: 'keep.txt' }).expect(200)).body.result_url;
    const deleted = await t.http.delete(`/document/extraction/jobs/${done}`).set('authorization', auth).expect(200);
    assert.deepEqual(deleted.body, { job_id: done, deleted: true });
    expectProblem(await get(`/document/extraction/job_status/${done}`), 404, 'EXTRACTION_JOB_NOT_FOUND');
    const gone = new URL(url);
    expectProblem(await t.http.get(gone.pathname + gone.search), 404, 'BLOB_NOT_FOUND');
  });
});
