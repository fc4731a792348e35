// A vectorisation job whose embedding model fails for some files, through the model engine, over
// HTTP: the fake OpenAI-compatible upstream refuses one file's text (400) and fails on another's
// (500). The refused file fails at once with the model's code, the failing one after its retries
// (RETRIES_EXHAUSTED), the others succeed, and the job ends COMPLETED_WITH_ERRORS: never stuck.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { EMBED_FAIL, EMBED_REJECT, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { chunkedFiles, prose, vectorIndex, vectorise, vectorisedFiles, type Auth } from '../helpers/vector-jobs.ts';
import { MAX_FILE_ATTEMPTS } from '../../handlers/platform/jobs/file-runs.ts';

let upstream: FakeOpenAi;
let t: TestPlatform;
let auth: Auth & { app_id: string };

before(async () => {
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({
    OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'fake-embed:embed',
    // One upstream call per attempt, and no breaker opening on the failing file's calls.
    MODEL_MAX_RETRIES: '0', MODEL_CIRCUIT_BREAKER_FAILURES: '1000',
  });
  auth = await t.appAuth('failures');
});
after(async () => {
  await t.close();
  await upstream.close();
});

it('ends COMPLETED_WITH_ERRORS when the model refuses one file and keeps failing on another', { timeout: 120_000 }, async () => {
  const chunkingId = await chunkedFiles(t, auth, {
    'fine.txt': prose('fine', 6),
    'refused.txt': `${prose('refused', 3)}\n${EMBED_REJECT}`,
    'failing.txt': `${prose('failing', 3)}\n${EMBED_FAIL}`,
  });
  const indexId = await vectorIndex(t, auth, 'failures', 'fake-embed');
  const job = await vectorise(t, auth, chunkingId, indexId);
  assert.equal(job.status, 'COMPLETED_WITH_ERRORS', JSON.stringify(job));
  assert.deepEqual({ completed: job.completed_file_count, failed: job.failed_file_count, progress: job.progress }, { completed: 1, failed: 2, progress: { done: 3, total: 3 } });

  const files = await vectorisedFiles(t, auth, job.vectorize_job_id);
  assert.equal(files.get('fine.txt')!.status, 'COMPLETED');
  const refused = files.get('refused.txt')!;
  assert.deepEqual({ status: refused.status, code: refused.error?.code, attempts: refused.attempts }, { status: 'FAILED', code: 'UPSTREAM_REJECTED', attempts: 1 });
  const failing = files.get('failing.txt')!;
  assert.deepEqual({ status: failing.status, code: failing.error?.code, attempts: failing.attempts }, { status: 'FAILED', code: 'RETRIES_EXHAUSTED', attempts: MAX_FILE_ATTEMPTS });

  // Only the file that succeeded is searchable; the failed ones left nothing behind.
  const hits = await t.http.post('/vector/search').set(auth).send({ query: 'note', index_id: indexId, k: 100, mode: 'text' }).expect(200);
  assert.ok(hits.body.length > 0);
  assert.deepEqual(new Set(hits.body.map((hit: { file_name: string }) => hit.file_name)), new Set(['fine.txt']));

  await t.platform.ledger.flush();
  const events = await t.platform.ledger.list(auth.app_id, 1000);
  const perFile = events.filter((e) => e.service === 'vector' && e.resource === job.vectorize_job_id);
  assert.deepEqual(perFile.map((e) => `${e.status}:${e.errorCode}`).sort(), ['FAILED:RETRIES_EXHAUSTED', 'FAILED:UPSTREAM_REJECTED', 'SUCCESS:null']);
  const failedEmbeds = events.filter((e) => e.operation === 'vector.embed' && e.status === 'FAILED');
  assert.ok(failedEmbeds.length >= 1 + MAX_FILE_ATTEMPTS, 'every failed embedding call is in the ledger too');
});
