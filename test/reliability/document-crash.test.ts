// kill -9 of the platform while it extracts and while it chunks, then a restart on the same data:
// every file ends once, the counters are exact, and each result is whole (no file lost, none
// counted twice, no chunk written twice).
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { appBearer, freePort, startPlatformProcess, type PlatformProcess } from '../helpers/platform-process.ts';
import { reportPdf } from '../helpers/document-corpus.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gaf-doc-crash-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const FILES = 16;

it('loses and duplicates nothing when the worker is killed mid-job', { timeout: 240_000 }, async () => {
  const port = String(await freePort());
  const env = {
    HOST: '127.0.0.1', PORT: port, PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, ADMIN_PASSWORD: 'crash-test-password',
    DOCUMENT_LEASE_SECONDS: '3', DOCUMENT_WORKER_CONCURRENCY: '2',
  };
  let platform: PlatformProcess = await startPlatformProcess(env);
  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${platform.url}${path}`, { ...init, headers, body: init.json === undefined ? init.body : JSON.stringify(init.json) });
  };
  try {
    const auth = await appBearer(platform.url, env.ADMIN_PASSWORD);
    const json = async (path: string, body?: unknown) => (await call(path, body === undefined ? { headers: auth } : { method: 'POST', headers: auth, json: body })).json();
    const killAndRestart = async () => {
      platform.child.kill('SIGKILL');
      await once(platform.child, 'exit');
      platform = await startPlatformProcess(env);
    };
    const untilDone = async (path: string) => {
      for (let i = 0; i < 1200; i++) {
        const status = await json(path);
        if (['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'].includes(status.status)) return status;
        await sleep(100);
      }
      assert.fail(`${path} did not finish`);
    };

    const jobId = (await json('/document/extraction/create_job', {})).extraction_job_id;
    for (let i = 0; i < FILES; i++) {
      const registered = await json('/document/extraction/register_file', { extraction_job_id: jobId, file_name: `report-${i}.pdf` });
      const put = await fetch(registered.upload_url, { method: 'PUT', body: Buffer.from((await reportPdf({ pages: 2, seed: 100 + i })).bytes) });
      assert.equal(put.status, 200);
    }
    await json('/document/extraction/start_job', { extraction_job_id: jobId });
    // Kill once some files are done and others are not.
    let done = 0;
    while (done < 2) {
      done = (await json(`/document/extraction/job_status/${jobId}`)).progress.done;
      await sleep(20);
    }
    assert.ok(done < FILES, 'the crash came mid-job');
    await killAndRestart();

    const extraction = await untilDone(`/document/extraction/job_status/${jobId}`);
    assert.equal(extraction.status, 'COMPLETED', JSON.stringify(extraction));
    assert.equal(extraction.completed_file_count, FILES);
    assert.equal(extraction.failed_file_count, 0);
    assert.deepEqual(extraction.progress, { done: FILES, total: FILES });
    const files = await json(`/document/extraction/job_files/${jobId}`);
    assert.equal(files.length, FILES);
    for (const file of files) {
      assert.equal(file.status, 'COMPLETED');
      const text = await json(`/document/extraction/jobs/${jobId}/files/${file.file_name}/text`);
      assert.equal(text.file_name, file.file_name);
      assert.ok(text.pages.length >= 2);
    }

    const chunkingId = (await json('/document/chunking/create_job', { extraction_job_id: jobId, chunking_strategy: 'recursive', chunking_params: { chunk_size: 200, chunk_overlap: 0 } })).chunking_job_id;
    while ((await json(`/document/chunking/job_status/${chunkingId}`)).progress.done < 1) await sleep(5);
    await killAndRestart();
    const chunking = await untilDone(`/document/chunking/job_status/${chunkingId}`);
    assert.equal(chunking.status, 'COMPLETED', JSON.stringify(chunking));
    assert.equal(chunking.completed_files, FILES);
    for (const file of files) {
      const { chunks } = await json(`/document/chunking/jobs/${chunkingId}/files/${file.file_name}/chunks`);
      const ids = chunks.map((c: { chunk_id: string }) => c.chunk_id);
      assert.equal(new Set(ids).size, ids.length, 'no chunk twice');
      const starts = chunks.map((c: { start: number }) => c.start);
      assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'chunks in order, once each');
    }
  } finally {
    await platform.stop();
  }
});
