// The atomic swap seen through the API: while a file is vectorised again from changed text,
// searches that run all along see the whole old set of its chunks or the whole new set — never a
// mix, never a part, never nothing — and once the new set shows, never the old one again.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { untilDone } from '../document/helpers.ts';
import { chunkedFiles, prose, startVectorising, vectorIndex, vectorise, vectorisedFiles, type Auth } from '../helpers/vector-jobs.ts';

let t: TestPlatform;
let auth: Auth;

before(async () => {
  t = await startTestPlatform({ VECTOR_EMBED_BATCH_SIZE: '8' });
  auth = await t.appAuth('swap');
});
after(() => t.close());

it('searches during a re-vectorisation see the old or the new version of a file, whole', { timeout: 180_000 }, async () => {
  const indexId = await vectorIndex(t, auth, 'swap');
  const oldChunking = await chunkedFiles(t, auth, { 'doc.txt': prose('old', 60) });
  const oldJob = await vectorise(t, auth, oldChunking, indexId);
  assert.equal(oldJob.status, 'COMPLETED');
  const oldCount = (await vectorisedFiles(t, auth, oldJob.vectorize_job_id)).get('doc.txt')!.chunks!;
  // Changed text: other words, more chunks (each set fits in one search of k 100).
  const newChunking = await chunkedFiles(t, auth, { 'doc.txt': prose('new', 150, 1) });
  const chunkFiles = await t.http.get(`/document/chunking/job_files/${newChunking}`).set(auth).expect(200);
  const newCount = chunkFiles.body.files[0].chunks as number;
  const jobId = await startVectorising(t, auth, newChunking, indexId);

  const seen: string[] = [];
  for (let round = 0; ; round++) {
    const mode = round % 2 ? 'hybrid' : 'vector';
    const search = await t.http.post('/vector/search').set(auth)
      .send({ query: 'note mentions amber', index_id: indexId, k: 100, mode, filters: { file_name: 'doc.txt' } }).expect(200);
    const hits = search.body as { chunking_job_id: string; chunk_id: string }[];
    assert.ok(hits.length > 0, `round ${round}: the file is never missing`);
    const versions = new Set(hits.map((hit) => hit.chunking_job_id));
    assert.equal(versions.size, 1, `round ${round}: never a mix of versions`);
    const [version] = versions;
    assert.equal(new Set(hits.map((hit) => hit.chunk_id)).size, hits.length, 'each chunk once');
    if (version === oldChunking) {
      assert.equal(hits.length, oldCount, `round ${round}: the whole old version`);
      assert.ok(!seen.includes(newChunking), 'the old version never comes back');
    } else {
      assert.equal(version, newChunking);
      assert.equal(hits.length, newCount, `round ${round}: the whole new version`);
    }
    seen.push(version!);
    if (version === newChunking && seen.length > 1) break;
  }
  const before = seen.filter((v) => v === oldChunking).length;
  assert.ok(before >= 1, 'searches ran while the new version was being written');
  assert.ok(newCount > oldCount && newCount <= 100);
  const job = await untilDone(t, auth.authorization, `/vector/job/status/${jobId}`);
  assert.equal(job.status, 'COMPLETED');
});
