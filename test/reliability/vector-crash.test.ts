// kill -9 of the platform while it vectorises, then a restart on the same data: every file ends
// once, the counters are exact, and each file's chunks are in the index once each, whole (the
// swap never leaves a file half-written or doubled, whatever the moment of the crash).
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { appBearer, freePort, startPlatformProcess, type PlatformProcess } from '../helpers/platform-process.ts';
import { prose } from '../helpers/vector-jobs.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'gaf-vector-crash-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const FILES = 10;
const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];

it('loses and duplicates nothing when the platform is killed mid-vectorisation', { timeout: 300_000 }, async () => {
  const port = String(await freePort());
  const env = {
    HOST: '127.0.0.1', PORT: port, PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, ADMIN_PASSWORD: 'crash-test-password',
    VECTOR_LEASE_SECONDS: '3', VECTOR_WORKER_CONCURRENCY: '2', VECTOR_EMBED_BATCH_SIZE: '8',
  };
  let platform: PlatformProcess = await startPlatformProcess(env);
  try {
    const auth = await appBearer(platform.url, env.ADMIN_PASSWORD, 'vector-crash');
    const json = async (path: string, body?: unknown) => {
      const init: RequestInit = body === undefined ? { headers: auth } : { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) };
      const res = await fetch(`${platform.url}${path}`, init);
      assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
      return res.json();
    };
    const untilDone = async (path: string) => {
      for (let i = 0; i < 3000; i++) {
        const status = await json(path);
        if (TERMINAL.includes(status.status)) return status;
        await sleep(100);
      }
      assert.fail(`${path} did not finish`);
    };

    const extractionId = (await json('/document/extraction/create_job', {})).extraction_job_id;
    for (let i = 0; i < FILES; i++) {
      const registered = await json('/document/extraction/register_file', { extraction_job_id: extractionId, file_name: `notes-${i}.txt` });
      const put = await fetch(registered.upload_url, { method: 'PUT', body: prose(`file${i}`, 60, i) });
      assert.equal(put.status, 200);
    }
    await json('/document/extraction/start_job', { extraction_job_id: extractionId });
    assert.equal((await untilDone(`/document/extraction/job_status/${extractionId}`)).status, 'COMPLETED');
    const chunkingId = (await json('/document/chunking/create_job', { extraction_job_id: extractionId, chunking_strategy: 'recursive', chunking_params: { chunk_size: 120, chunk_overlap: 0 } })).chunking_job_id;
    assert.equal((await untilDone(`/document/chunking/job_status/${chunkingId}`)).status, 'COMPLETED');
    const chunkCounts = new Map(((await json(`/document/chunking/job_files/${chunkingId}`)).files as { file_name: string; chunks: number }[]).map((f) => [f.file_name, f.chunks]));

    const store = await json('/vector/store/create', { store_name: 'crash', store_type: 'default' });
    const indexId = (await json('/vector/store/index/create', { store_id: store.store_id, index_name: 'crash' })).index_id;
    const jobId = (await json('/vector/store/vectorize', { chunking_job_id: chunkingId, index_id: indexId })).vectorize_job_id;

    // Kill once some files are done and others are not, then once more on the restarted platform.
    for (const atLeast of [2, 5]) {
      let done = 0;
      while (done < atLeast) {
        done = (await json(`/vector/job/status/${jobId}`)).progress.done;
        await sleep(20);
      }
      assert.ok(done < FILES, 'the crash came mid-job');
      platform.child.kill('SIGKILL');
      await once(platform.child, 'exit');
      platform = await startPlatformProcess(env);
    }

    const job = await untilDone(`/vector/job/status/${jobId}`);
    assert.equal(job.status, 'COMPLETED', JSON.stringify(job));
    assert.equal(job.completed_file_count, FILES);
    assert.equal(job.failed_file_count, 0);
    assert.deepEqual(job.progress, { done: FILES, total: FILES });
    const files = (await json(`/vector/jobs/${jobId}/files`)).files as { file_name: string; status: string; chunks: number; embedded: number; reused: number }[];
    assert.equal(files.length, FILES);
    for (const file of files) {
      assert.equal(file.status, 'COMPLETED');
      assert.equal(file.chunks, chunkCounts.get(file.file_name));
      assert.equal(file.embedded + file.reused, file.chunks);
      const hits = await json('/vector/search', { query: 'note', index_id: indexId, k: 100, filters: { file_name: file.file_name } }) as { chunk_id: string; chunking_job_id: string }[];
      assert.equal(hits.length, file.chunks, `${file.file_name}: every chunk in the index`);
      assert.equal(new Set(hits.map((hit) => hit.chunk_id)).size, hits.length, `${file.file_name}: no chunk twice`);
    }
  } finally {
    await platform.stop();
  }
});
