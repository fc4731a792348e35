// The document service, one describe block per operation: each answer's status and key fields,
// and each operation's problem (another application's job, an unknown file, a job not ready…).
// One small extraction job (text, Markdown, HTML and a file that is not the PDF it says) and one
// chunking job of it are made once, before the blocks, and shared by them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { extractionJob } from '../helpers/document-jobs.ts';
import { download, untilDone, upload } from '../document/helpers.ts';
import { PAGE_SEPARATOR } from '../../handlers/document/chunking/ports.ts';

const NOTES = Array.from({ length: 8 }, (_, i) => `Paragraph ${i + 1} of the field notes: the river was higher than last year and the bridge held.`).join('\n\n');
const FILES = {
  'notes.txt': NOTES,
  'guide.md': '# Setup guide\n\nInstall the tool.\n\n- first step\n- second step\n',
  'page.html': '<html><body><h1>Prices</h1><p>The list below.</p><table><tr><th>item</th><th>price</th></tr><tr><td>tea</td><td>3</td></tr></table></body></html>',
  'fake.pdf': 'this is not a PDF at all',
};
const COMPLETED = ['guide.md', 'notes.txt', 'page.html'];

let t: TestPlatform;
let auth: string;
let other: string;
let jobId: string;
let chunkingId: string;

const post = (path: string, body: unknown, as = auth) => t.http.post(path).set('authorization', as).send(body as object);
const get = (path: string, as = auth) => t.http.get(path).set('authorization', as);
const del = (path: string, as = auth) => t.http.delete(path).set('authorization', as);
const names = (list: { file_name: string }[]) => list.map((f) => f.file_name).sort();

before(async () => {
  t = await startTestPlatform();
  auth = (await t.appAuth('doc-ops-app')).authorization;
  other = (await t.appAuth('doc-ops-other')).authorization;
  jobId = await extractionJob(t, auth, FILES);
  await post('/document/extraction/start_job', { extraction_job_id: jobId }).expect(200);
  await untilDone(t, auth, `/document/extraction/job_status/${jobId}`);
  chunkingId = (await post('/document/chunking/create_job', {
    extraction_job_id: jobId, chunking_strategy: 'recursive', chunking_params: { chunk_size: 200, chunk_overlap: 20 },
  }).expect(200)).body.chunking_job_id;
  await untilDone(t, auth, `/document/chunking/job_status/${chunkingId}`);
});
after(() => t.close());

describe('createExtractionJobViaGet', () => {
  it('creates an empty job in CREATED, a new one each call', async () => {
    const first = await get('/document/extraction/create_job').expect(200);
    assert.deepEqual(Object.keys(first.body).sort(), ['extraction_job_id', 'status']);
    assert.equal(first.body.status, 'CREATED');
    const second = await get('/document/extraction/create_job').expect(200);
    assert.notEqual(second.body.extraction_job_id, first.body.extraction_job_id);
  });

  it('needs a token', async () => {
    expectProblem(await t.http.get('/document/extraction/create_job'), 401, 'UNAUTHENTICATED');
  });
});

describe('createExtractionJob', () => {
  it('creates an empty job that only its application sees', async () => {
    const created = await post('/document/extraction/create_job', {}).expect(200);
    assert.equal(created.body.status, 'CREATED');
    const id = created.body.extraction_job_id as string;
    const status = await get(`/document/extraction/job_status/${id}`).expect(200);
    assert.equal(status.body.status, 'CREATED');
    assert.equal(status.body.total_file_count, 0);
    assert.equal(status.body.queued_files, 0);
    expectProblem(await get(`/document/extraction/job_status/${id}`, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });

  it('needs a token', async () => {
    expectProblem(await t.http.post('/document/extraction/create_job').send({}), 401, 'UNAUTHENTICATED');
  });
});

describe('registerExtractionFile', () => {
  it('answers the file\'s id, an upload URL and the size limit, and lists the file as PENDING', async () => {
    const id = (await get('/document/extraction/create_job').expect(200)).body.extraction_job_id;
    const registered = await post('/document/extraction/register_file', { extraction_job_id: id, file_name: 'a.txt' }).expect(200);
    assert.equal(registered.body.extraction_job_id, id);
    assert.equal(registered.body.file_name, 'a.txt');
    assert.match(registered.body.file_id, /^[0-9a-f]{32}$/);
    assert.equal(registered.body.max_bytes, 100 * 1024 * 1024, 'DOCUMENT_MAX_FILE_BYTES\'s default');
    await upload(t, registered.body.upload_url, 'alpha').expect(200);
    const files = await get(`/document/extraction/job_files/${id}`).expect(200);
    assert.deepEqual(files.body.map((f: { file_name: string; status: string }) => [f.file_name, f.status]), [['a.txt', 'PENDING']]);
  });

  it('refuses a bad name, a type it does not read, a duplicate, a started job and another application\'s job', async () => {
    const id = (await get('/document/extraction/create_job').expect(200)).body.extraction_job_id;
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: id, file_name: '../up.txt' }), 400, 'INVALID_FILE_NAME');
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: id, file_name: 'program.exe' }), 400, 'UNSUPPORTED_FILE_TYPE');
    await post('/document/extraction/register_file', { extraction_job_id: id, file_name: 'b.txt' }).expect(200);
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: id, file_name: 'b.txt' }), 400, 'FILE_ALREADY_REGISTERED');
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: id, file_name: 'c.txt' }, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
    expectProblem(await post('/document/extraction/register_file', { extraction_job_id: jobId, file_name: 'late.txt' }), 400, 'JOB_NOT_OPEN');
  });
});

describe('startExtractionJob', () => {
  it('starts a job with uploaded files and answers how many', async () => {
    const id = await extractionJob(t, auth, { 'one.txt': 'one', 'two.md': '# two' });
    const started = await post('/document/extraction/start_job', { extraction_job_id: id }).expect(200);
    assert.deepEqual(started.body, { extraction_job_id: id, total_files: 2, status: 'STARTED' });
    assert.equal((await untilDone(t, auth, `/document/extraction/job_status/${id}`)).status, 'COMPLETED');
  });

  it('refuses an empty job, a job started already, files not uploaded and another application\'s job', async () => {
    const empty = (await get('/document/extraction/create_job').expect(200)).body.extraction_job_id;
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: empty }), 400, 'NO_FILES_REGISTERED');
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: jobId }), 400, 'JOB_NOT_OPEN');
    await post('/document/extraction/register_file', { extraction_job_id: empty, file_name: 'never.txt' }).expect(200);
    const missing = expectProblem(await post('/document/extraction/start_job', { extraction_job_id: empty }), 400, 'FILES_NOT_UPLOADED');
    assert.match(missing.detail, /never\.txt/);
    expectProblem(await post('/document/extraction/start_job', { extraction_job_id: empty }, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('listExtractionJobFiles', () => {
  it('lists every file in name order with its status, format and error', async () => {
    const res = await get(`/document/extraction/job_files/${jobId}`).expect(200);
    assert.deepEqual(res.body.map((f: { file_name: string }) => f.file_name), ['fake.pdf', 'guide.md', 'notes.txt', 'page.html']);
    const byName = Object.fromEntries(res.body.map((f: { file_name: string }) => [f.file_name, f]));
    assert.equal(byName['fake.pdf'].status, 'FAILED');
    assert.equal(byName['fake.pdf'].error.code, 'FORMAT_MISMATCH');
    assert.deepEqual(COMPLETED.map((name) => byName[name].status), ['COMPLETED', 'COMPLETED', 'COMPLETED']);
    assert.deepEqual(COMPLETED.map((name) => byName[name].format), ['markdown', 'text', 'html']);
    for (const f of res.body) {
      assert.equal(f.job_id, jobId);
      assert.match(f.file_id, /^[0-9a-f]{32}$/);
    }
  });

  it('answers 404 for another application\'s job', async () => {
    expectProblem(await get(`/document/extraction/job_files/${jobId}`, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('getExtractionJobStatus', () => {
  it('counts the completed and failed files of a finished job', async () => {
    const { body } = await get(`/document/extraction/job_status/${jobId}`).expect(200);
    assert.equal(body.job_id, jobId);
    assert.equal(body.extraction_job_id, jobId);
    assert.equal(body.status, 'COMPLETED_WITH_ERRORS');
    assert.equal(body.total_file_count, 4);
    assert.equal(body.completed_file_count, 3);
    assert.equal(body.failed_file_count, 1);
    assert.equal(body.cancelled_file_count, 0);
    assert.deepEqual(body.progress, { done: 4, total: 4 });
    assert.ok(body.finished_at);
  });

  it('answers 404 for an unknown job, another application\'s job and a chunking job', async () => {
    expectProblem(await get('/document/extraction/job_status/no-such-job'), 404, 'EXTRACTION_JOB_NOT_FOUND');
    expectProblem(await get(`/document/extraction/job_status/${jobId}`, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
    expectProblem(await get(`/document/extraction/job_status/${chunkingId}`), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('getExtractionFileStatus', () => {
  it('answers a completed file with result URLs to its extracted text', async () => {
    const res = await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'notes.txt' }).expect(200);
    assert.equal(res.body.status, 'COMPLETED');
    assert.equal(res.body.extraction_job_id, jobId);
    assert.equal(res.body.file_name, 'notes.txt');
    assert.ok(res.body.expires_at);
    const text = await download(t, res.body.result_url);
    assert.equal(text.file_name, 'notes.txt');
    assert.match(text.pages[0].page_text, /Paragraph 8 of the field notes/);
    assert.ok(Array.isArray((await download(t, res.body.tables_url)).pages));
  });

  it('answers a failed file with its error and no URLs, and an unknown file with FILE_NOT_FOUND', async () => {
    const failed = await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'fake.pdf' }).expect(200);
    assert.equal(failed.body.status, 'FAILED');
    assert.equal(failed.body.result_url, null);
    assert.equal(failed.body.tables_url, null);
    assert.equal(failed.body.error.code, 'FORMAT_MISMATCH');
    expectProblem(await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'nope.txt' }), 404, 'FILE_NOT_FOUND');
    expectProblem(await post('/document/extraction/file_status', { extraction_job_id: jobId, file_name: 'notes.txt' }, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('getExtractionJobResults', () => {
  it('lists the completed files\' text and table URLs', async () => {
    const res = await get(`/document/extraction/job_results/${jobId}`).expect(200);
    assert.equal(res.body.extraction_job_id, jobId);
    assert.deepEqual(names(res.body.files), COMPLETED);
    const guide = res.body.files.find((f: { file_name: string }) => f.file_name === 'guide.md');
    assert.match((await download(t, guide.extracted_text_url)).pages[0].page_text, /Setup guide/);
    assert.ok(guide.extracted_tables_url);
  });

  it('refuses a job not finished, and another application\'s job', async () => {
    const open = await extractionJob(t, auth, { 'a.txt': 'alpha' });
    expectProblem(await get(`/document/extraction/job_results/${open}`), 400, 'JOB_NOT_FINISHED');
    expectProblem(await get(`/document/extraction/job_results/${jobId}`, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('listAllExtractionJobs', () => {
  it('lists the application\'s extraction jobs with their counts, and none of another\'s', async () => {
    const res = await get('/document/extraction/list_jobs').expect(200);
    assert.ok(Array.isArray(res.body));
    const mine = res.body.find((j: { job_id: string }) => j.job_id === jobId);
    assert.equal(mine.status, 'COMPLETED_WITH_ERRORS');
    assert.equal(mine.queued_files, 4);
    assert.ok(!res.body.some((j: { job_id: string }) => j.job_id === chunkingId), 'no chunking jobs');
    assert.ok(!(await get('/document/extraction/list_jobs', other).expect(200)).body.some((j: { job_id: string }) => j.job_id === jobId));
  });
});

describe('listExtractionJobs', () => {
  it('pages through the application\'s jobs with a cursor, each job once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await get(`/document/extraction/jobs?limit=2${query}`).expect(200);
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((j: { extraction_job_id: string }) => j.extraction_job_id));
      cursor = page.body.next;
    } while (cursor !== null);
    assert.ok(seen.includes(jobId));
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length > 2, 'more than one page');
  });

  it('shows another application nothing, and refuses a cursor it did not hand out', async () => {
    assert.ok(!(await get('/document/extraction/jobs', other).expect(200)).body.items.some((j: { job_id: string }) => j.job_id === jobId));
    expectProblem(await get('/document/extraction/jobs?cursor=bogus'), 400, 'VALIDATION_ERROR');
  });
});

describe('deleteExtractionJob', () => {
  it('deletes a job and its uploads, after which it is not found', async () => {
    const id = await extractionJob(t, auth, { 'gone.txt': 'soon gone' });
    const deleted = await del(`/document/extraction/jobs/${id}`).expect(200);
    assert.deepEqual(deleted.body, { job_id: id, deleted: true });
    expectProblem(await get(`/document/extraction/job_status/${id}`), 404, 'EXTRACTION_JOB_NOT_FOUND');
    expectProblem(await del(`/document/extraction/jobs/${id}`), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });

  it('does not delete another application\'s job', async () => {
    expectProblem(await del(`/document/extraction/jobs/${jobId}`, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
    assert.equal((await get(`/document/extraction/job_status/${jobId}`).expect(200)).body.status, 'COMPLETED_WITH_ERRORS');
  });
});

describe('cancelExtractionJob', () => {
  it('cancels a job not started, with its files', async () => {
    const id = await extractionJob(t, auth, { 'a.txt': 'alpha', 'b.txt': 'beta' });
    const cancelled = await t.http.post(`/document/extraction/jobs/${id}/cancellation`).set('authorization', auth).expect(200);
    assert.equal(cancelled.body.extraction_job_id, id);
    assert.equal(cancelled.body.status, 'CANCELLED');
    assert.equal(cancelled.body.cancelled_file_count, 2);
    const files = await get(`/document/extraction/job_files/${id}`).expect(200);
    assert.deepEqual(files.body.map((f: { status: string }) => f.status), ['CANCELLED', 'CANCELLED']);
  });

  it('leaves a finished job as it is, and answers 404 for another application\'s job', async () => {
    const res = await t.http.post(`/document/extraction/jobs/${jobId}/cancellation`).set('authorization', auth).expect(200);
    assert.equal(res.body.status, 'COMPLETED_WITH_ERRORS');
    assert.equal(res.body.cancelled_file_count, 0);
    expectProblem(await t.http.post(`/document/extraction/jobs/${jobId}/cancellation`).set('authorization', other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('getExtractedText', () => {
  it('answers a completed file\'s extracted text, pages numbered from 1', async () => {
    const { body } = await get(`/document/extraction/jobs/${jobId}/files/page.html/text`).expect(200);
    assert.equal(body.job_id, jobId);
    assert.equal(body.file_name, 'page.html');
    assert.deepEqual(body.pages.map((p: { page_number: number }) => p.page_number), body.pages.map((_: unknown, i: number) => i + 1));
    assert.match(body.pages[0].page_text, /<title>Prices<\/title>/);
    assert.match(body.pages[0].text, /The list below\./);
    assert.doesNotMatch(body.pages[0].text, /<title>/);
  });

  it('refuses a failed file, an unknown file and another application\'s job', async () => {
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/fake.pdf/text`), 400, 'RESULT_NOT_READY');
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/nope.txt/text`), 404, 'FILE_NOT_FOUND');
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/page.html/text`, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('getExtractedTables', () => {
  it('answers the tables found in a file, as rows and as markup per page', async () => {
    const { body } = await get(`/document/extraction/jobs/${jobId}/files/page.html/tables`).expect(200);
    assert.equal(body.file_name, 'page.html');
    assert.deepEqual(body.tables.map((table: { rows: string[][] }) => table.rows), [[['item', 'price'], ['tea', '3']]]);
    assert.ok(body.pages[0].tables.some((table: string) => table.startsWith('<table>') && table.includes('tea')));
    const notes = await get(`/document/extraction/jobs/${jobId}/files/notes.txt/tables`).expect(200);
    assert.deepEqual(notes.body.pages.flatMap((p: { tables: string[] }) => p.tables), []);
  });

  it('refuses a failed file, an unknown file and another application\'s job', async () => {
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/fake.pdf/tables`), 400, 'RESULT_NOT_READY');
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/nope.html/tables`), 404, 'FILE_NOT_FOUND');
    expectProblem(await get(`/document/extraction/jobs/${jobId}/files/page.html/tables`, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('createChunkingJob', () => {
  it('makes a job of the extraction\'s completed files', async () => {
    const created = await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'page' }).expect(200);
    assert.deepEqual(Object.keys(created.body).sort(), ['chunking_job_id', 'extraction_job_id', 'status', 'total_file_count']);
    assert.equal(created.body.extraction_job_id, jobId);
    assert.equal(created.body.total_file_count, 3);
    assert.notEqual(created.body.chunking_job_id, chunkingId);
    const done = await untilDone(t, auth, `/document/chunking/job_status/${created.body.chunking_job_id}`);
    assert.equal(done.chunking_strategy, 'page');
  });

  it('refuses an unfinished extraction, bad parameters and another application\'s extraction', async () => {
    const open = await extractionJob(t, auth, { 'a.txt': 'alpha' });
    expectProblem(await post('/document/chunking/create_job', { extraction_job_id: open, chunking_strategy: 'recursive' }), 400, 'EXTRACTION_NOT_COMPLETED');
    const overlap = expectProblem(await post('/document/chunking/create_job', {
      extraction_job_id: jobId, chunking_strategy: 'fixed_size', chunking_params: { chunk_size: 100, chunk_overlap: 100 },
    }), 400, 'VALIDATION_ERROR');
    assert.ok(overlap.errors?.some((e) => e.path.includes('chunk_overlap')));
    expectProblem(await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'recursive' }, other), 404, 'EXTRACTION_JOB_NOT_FOUND');
  });
});

describe('getChunkingJobStatus', () => {
  it('answers a finished job\'s strategy, parameters and counts', async () => {
    const { body } = await get(`/document/chunking/job_status/${chunkingId}`).expect(200);
    assert.equal(body.chunking_job_id, chunkingId);
    assert.equal(body.extraction_job_id, jobId);
    assert.equal(body.status, 'COMPLETED');
    assert.equal(body.chunking_strategy, 'recursive');
    assert.deepEqual(body.parameters, { chunk_size: 200, chunk_overlap: 20 });
    assert.deepEqual(JSON.parse(body.chunking_params), { chunk_size: 200, chunk_overlap: 20 });
    assert.equal(body.total_file_count, 3);
    assert.equal(body.completed_files, 3);
    assert.equal(body.failed_files, 0);
  });

  it('answers 404 for another application\'s job and for an extraction job id', async () => {
    expectProblem(await get(`/document/chunking/job_status/${chunkingId}`, other), 404, 'CHUNKING_JOB_NOT_FOUND');
    expectProblem(await get(`/document/chunking/job_status/${jobId}`), 404, 'CHUNKING_JOB_NOT_FOUND');
  });
});

describe('listChunkingJobFiles', () => {
  it('lists each chunked file with its chunk count', async () => {
    const { body } = await get(`/document/chunking/job_files/${chunkingId}`).expect(200);
    assert.equal(body.chunking_job_id, chunkingId);
    assert.deepEqual(names(body.files), COMPLETED);
    for (const f of body.files) {
      assert.equal(f.status, 'COMPLETED');
      assert.ok(f.chunks > 0);
      assert.ok(f.timestamp);
    }
    assert.ok(body.files.find((f: { file_name: string }) => f.file_name === 'notes.txt').chunks > 1, 'the notes are longer than one chunk');
  });

  it('answers 404 for another application\'s job', async () => {
    expectProblem(await get(`/document/chunking/job_files/${chunkingId}`, other), 404, 'CHUNKING_JOB_NOT_FOUND');
  });
});

describe('getChunkFileUrl', () => {
  it('answers a URL to the file\'s chunks', async () => {
    const res = await post('/document/chunking/chunk_file_url', { chunking_job_id: chunkingId, file_name: 'notes.txt' }).expect(200);
    assert.equal(res.body.chunking_job_id, chunkingId);
    assert.equal(res.body.file_name, 'notes.txt');
    assert.ok(res.body.expires_at);
    const chunks = await download(t, res.body.chunk_file_url);
    assert.ok(Array.isArray(chunks) && chunks.length > 1);
    assert.ok(chunks.every((c: { chunk: string }) => typeof c.chunk === 'string' && c.chunk.length <= 200));
  });

  it('refuses a file not in the job and another application\'s job', async () => {
    expectProblem(await post('/document/chunking/chunk_file_url', { chunking_job_id: chunkingId, file_name: 'fake.pdf' }), 404, 'FILE_NOT_FOUND');
    expectProblem(await post('/document/chunking/chunk_file_url', { chunking_job_id: chunkingId, file_name: 'notes.txt' }, other), 404, 'CHUNKING_JOB_NOT_FOUND');
  });
});

describe('listAllChunkingJobs', () => {
  it('lists the application\'s chunking jobs, and none of another\'s', async () => {
    const res = await get('/document/chunking/list_jobs').expect(200);
    const mine = res.body.find((j: { chunking_job_id: string }) => j.chunking_job_id === chunkingId);
    assert.equal(mine.extraction_job_id, jobId);
    assert.equal(mine.status, 'COMPLETED');
    assert.equal(typeof mine.chunking_params, 'string');
    assert.ok(!(await get('/document/chunking/list_jobs', other).expect(200)).body.some((j: { chunking_job_id: string }) => j.chunking_job_id === chunkingId));
  });
});

describe('listChunkingJobs', () => {
  it('pages through the application\'s chunking jobs with a cursor', async () => {
    const first = await get('/document/chunking/jobs?limit=1').expect(200);
    assert.equal(first.body.items.length, 1);
    const all = await get('/document/chunking/jobs').expect(200);
    assert.ok(all.body.items.some((j: { chunking_job_id: string }) => j.chunking_job_id === chunkingId));
    assert.equal(all.body.items[0].chunking_job_id, first.body.items[0].chunking_job_id);
    if (all.body.items.length > 1) {
      assert.equal(typeof first.body.next, 'string');
      const second = await get(`/document/chunking/jobs?limit=1&cursor=${encodeURIComponent(first.body.next)}`).expect(200);
      assert.equal(second.body.items[0].chunking_job_id, all.body.items[1].chunking_job_id);
    }
  });

  it('shows another application nothing, and refuses a cursor it did not hand out', async () => {
    assert.deepEqual((await get('/document/chunking/jobs', other).expect(200)).body.items, []);
    expectProblem(await get('/document/chunking/jobs?cursor=bogus'), 400, 'VALIDATION_ERROR');
  });
});

describe('deleteChunkingJob', () => {
  it('deletes a chunking job and its chunks, leaving the extraction job', async () => {
    const id = (await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'fixed_size' }).expect(200)).body.chunking_job_id;
    await untilDone(t, auth, `/document/chunking/job_status/${id}`);
    const deleted = await del(`/document/chunking/jobs/${id}`).expect(200);
    assert.deepEqual(deleted.body, { job_id: id, deleted: true });
    expectProblem(await get(`/document/chunking/job_status/${id}`), 404, 'CHUNKING_JOB_NOT_FOUND');
    expectProblem(await get(`/document/chunking/jobs/${id}/files/notes.txt/chunks`), 404, 'CHUNKING_JOB_NOT_FOUND');
    await get(`/document/extraction/job_status/${jobId}`).expect(200);
  });

  it('does not delete another application\'s job, nor an extraction job', async () => {
    expectProblem(await del(`/document/chunking/jobs/${chunkingId}`, other), 404, 'CHUNKING_JOB_NOT_FOUND');
    expectProblem(await del(`/document/chunking/jobs/${jobId}`), 404, 'CHUNKING_JOB_NOT_FOUND');
    await get(`/document/chunking/job_status/${chunkingId}`).expect(200);
  });
});

describe('cancelChunkingJob', () => {
  it('leaves a finished job as it is', async () => {
    const res = await t.http.post(`/document/chunking/jobs/${chunkingId}/cancellation`).set('authorization', auth).expect(200);
    assert.equal(res.body.chunking_job_id, chunkingId);
    assert.equal(res.body.status, 'COMPLETED');
    assert.equal(res.body.cancelled_files, 0);
  });

  it('ends a running job where it stands: its state after the cancel is its last', async () => {
    const id = (await post('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'page' }).expect(200)).body.chunking_job_id;
    const res = await t.http.post(`/document/chunking/jobs/${id}/cancellation`).set('authorization', auth).expect(200);
    assert.ok(['CANCELLED', 'COMPLETED'].includes(res.body.status), res.body.status);
    assert.equal(res.body.completed_files + res.body.cancelled_files, 3);
    const final = await untilDone(t, auth, `/document/chunking/job_status/${id}`);
    assert.equal(final.status, res.body.status);
    assert.equal(final.cancelled_files, res.body.cancelled_files);
  });

  it('answers 404 for another application\'s job and an extraction job id', async () => {
    expectProblem(await t.http.post(`/document/chunking/jobs/${chunkingId}/cancellation`).set('authorization', other), 404, 'CHUNKING_JOB_NOT_FOUND');
    expectProblem(await t.http.post(`/document/chunking/jobs/${jobId}/cancellation`).set('authorization', auth), 404, 'CHUNKING_JOB_NOT_FOUND');
  });
});

describe('getChunks', () => {
  it('answers a file\'s chunks, each an exact slice of its extracted text', async () => {
    const { body } = await get(`/document/chunking/jobs/${chunkingId}/files/notes.txt/chunks`).expect(200);
    assert.equal(body.chunking_job_id, chunkingId);
    assert.equal(body.file_name, 'notes.txt');
    assert.ok(body.chunks.length > 1);
    const extracted = (await get(`/document/extraction/jobs/${jobId}/files/notes.txt/text`).expect(200)).body;
    const fullText = extracted.pages.map((p: { text: string }) => p.text).join(PAGE_SEPARATOR);
    for (const c of body.chunks) {
      assert.equal(fullText.slice(c.start, c.end), c.chunk);
      assert.ok(c.chunk.length <= 200);
    }
    assert.match(body.chunks.map((c: { chunk: string }) => c.chunk).join(' '), /Paragraph 8/);
  });

  it('refuses a file not in the job and another application\'s job', async () => {
    expectProblem(await get(`/document/chunking/jobs/${chunkingId}/files/fake.pdf/chunks`), 404, 'FILE_NOT_FOUND');
    expectProblem(await get(`/document/chunking/jobs/${chunkingId}/files/notes.txt/chunks`, other), 404, 'CHUNKING_JOB_NOT_FOUND');
  });
});

describe('getDocumentServiceHealth', () => {
  it('answers UP to an application', async () => {
    assert.deepEqual((await get('/document/service/health').expect(200)).body, { status: 'UP' });
  });

  it('needs a token', async () => {
    expectProblem(await t.http.get('/document/service/health'), 401, 'UNAUTHENTICATED');
  });
});
