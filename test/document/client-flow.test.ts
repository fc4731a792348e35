// The seed SDK's document flows through the generated client against a listening server, with the
// upload and the result downloads as plain HTTP on the signed URLs (what any client does).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { createPlatformClient } from '../../generated/client/index.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { freePort } from '../helpers/platform-process.ts';
import { docxOf, htmlOf, shortReport } from '../helpers/document-corpus.ts';

let t: TestPlatform;
let server: Server;
let baseUrl: string;

before(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // Signed URLs point at PUBLIC_URL: the address this server listens on.
  t = await startTestPlatform({ PUBLIC_URL: baseUrl });
  server = createServer(t.platform.handler).listen(port, '127.0.0.1');
  await once(server, 'listening');
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

async function until<T extends { status: string }>(read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const body = await read();
    assert.ok(body);
    if (['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'].includes(body.status)) return body;
    assert.ok(Date.now() < deadline, `still ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('extracts a DOCX and an HTML file and chunks them, through createPlatformClient', async () => {
  const app = await t.onboardApp('client-flow');
  const { document } = createPlatformClient({ baseUrl, clientId: app.client_id, clientSecret: app.client_secret });

  const created = await document.POST('/document/extraction/create_job', { body: {} });
  const jobId = created.data!.extraction_job_id;
  const blocks = shortReport(3);
  const files: Record<string, Uint8Array | string> = { 'summary.docx': await docxOf(blocks), 'summary.html': htmlOf(blocks) };
  for (const [file_name, bytes] of Object.entries(files)) {
    const registered = await document.POST('/document/extraction/register_file', { body: { extraction_job_id: jobId, file_name } });
    assert.ok(registered.data, JSON.stringify(registered.error));
    // As the seed SDK: raw bytes, no Content-Type.
    const put = await fetch(registered.data.upload_url, { method: 'PUT', body: Buffer.from(bytes) });
    assert.equal(put.status, 200);
  }
  const started = await document.POST('/document/extraction/start_job', { body: { extraction_job_id: jobId } });
  assert.deepEqual(started.data, { extraction_job_id: jobId, total_files: 2, status: 'STARTED' });

  const status = await until(async () => (await document.GET('/document/extraction/job_status/{extraction_job_id}', { params: { path: { extraction_job_id: jobId } } })).data);
  assert.equal(status.status, 'COMPLETED', JSON.stringify(status));

  const html = await document.POST('/document/extraction/file_status', { body: { extraction_job_id: jobId, file_name: 'summary.html' } });
  const text = await (await fetch(html.data!.result_url!)).json();
  assert.equal(text.file_name, 'summary.html');
  assert.ok(text.pages[0].page_text.includes(blocks[0]!.kind === 'title' ? blocks[0]!.text : ''));
  assert.doesNotMatch(text.pages[0].text, /<\/?(p|h1|html|body|td)\b/, 'HTML markup is stripped');

  const chunking = await document.POST('/document/chunking/create_job', {
    body: { extraction_job_id: jobId, chunking_strategy: 'markdown', chunking_params: { chunk_size: 400, chunk_overlap: null } },
  });
  assert.ok(chunking.data, JSON.stringify(chunking.error));
  const chunkingId = chunking.data.chunking_job_id;
  const chunked = await until(async () => (await document.GET('/document/chunking/job_status/{job_id}', { params: { path: { job_id: chunkingId } } })).data);
  assert.equal(chunked.status, 'COMPLETED');
  assert.deepEqual(chunked.parameters, { chunk_size: 400, chunk_overlap: 0 });

  const url = await document.POST('/document/chunking/chunk_file_url', { body: { chunking_job_id: chunkingId, file_name: 'summary.docx' } });
  const chunks = await (await fetch(url.data!.chunk_file_url)).json();
  assert.ok(chunks.length > 0);
  const viaApi = await document.GET('/document/chunking/jobs/{chunking_job_id}/files/{file_name}/chunks', { params: { path: { chunking_job_id: chunkingId, file_name: 'summary.docx' } } });
  assert.deepEqual(viaApi.data!.chunks, chunks);
  for (const chunk of chunks) assert.match(chunk.content_hash, /^[0-9a-f]{64}$/);

  const listed = await document.GET('/document/chunking/jobs', { params: { query: { limit: 10 } } });
  assert.equal(listed.data!.items[0]!.chunking_job_id, chunkingId);
  const deleted = await document.DELETE('/document/chunking/jobs/{chunking_job_id}', { params: { path: { chunking_job_id: chunkingId } } });
  assert.deepEqual(deleted.data, { job_id: chunkingId, deleted: true });
  const gone = await fetch(url.data!.chunk_file_url);
  assert.equal(gone.status, 404);
});
