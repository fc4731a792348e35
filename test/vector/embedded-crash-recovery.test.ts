// The embedded index after a kill -9: SQLite committed, the ANN file not saved (or saved before a
// deletion, or garbage). Reopening must show exactly the committed, live records.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedVectorIndex } from '../../handlers/vector/index/embedded/embedded-vector-index.ts';
import { near, record } from '../adapters/vector-index-contract.ts';

const adapter = new URL('../../handlers/vector/index/embedded/embedded-vector-index.ts', import.meta.url).href;
const contract = new URL('../adapters/vector-index-contract.ts', import.meta.url).href;

/** Runs `body` in a child process against `dir`, which then kills itself with SIGKILL: no close(), no save. */
function runThenKill(dir: string, body: string) {
  const script = `
    import { openEmbeddedVectorIndex } from ${JSON.stringify(adapter)};
    import { record } from ${JSON.stringify(contract)};
    const vi = openEmbeddedVectorIndex({ dir: ${JSON.stringify(dir)}, saveDelayMs: 3_600_000 });
    ${body}
    process.kill(process.pid, 'SIGKILL');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
}

/** Live chunk ids after opening `dir` in this process (and closing it again). */
async function liveChunks(dir: string): Promise<string[]> {
  const vi = openEmbeddedVectorIndex({ dir });
  const hits = await vi.search('ix', { mode: 'vector', vector: near(0), k: 20 });
  await vi.close();
  return hits.map((hit) => hit.chunk_id).sort();
}

/** A fresh directory with index `ix` holding generation g1 of a.pdf (chunks 0..n-1), saved and closed. */
async function withSavedIndex(chunks: number, test: (dir: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-vector-crash-'));
  try {
    const vi = openEmbeddedVectorIndex({ dir });
    await vi.createIndex({ indexId: 'ix', dimension: 8, space: 'cosine', embeddingModel: 'm' });
    await vi.upsert('ix', Array.from({ length: chunks }, (_, n) => record('ix', 'a.pdf', 'g1', n)));
    await vi.publish('ix', 'a.pdf', 'g1');
    await vi.close();
    await test(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('embedded vector index: crash recovery', () => {
  it('reloads records committed before a kill -9 that no ANN save covered', async () => {
    await withSavedIndex(0, async (dir) => {
      runThenKill(dir, `
        await vi.upsert('ix', [0, 1, 2].map((n) => record('ix', 'b.pdf', 'g1', n)));
        await vi.publish('ix', 'b.pdf', 'g1');`);
      assert.deepEqual(await liveChunks(dir), ['b.pdf#0', 'b.pdf#1', 'b.pdf#2']);
    });
  });

  it('replays deletions made after the last save, and keeps the ANN file consistent after reopening', async () => {
    await withSavedIndex(3, async (dir) => {
      runThenKill(dir, `
        await vi.upsert('ix', [5, 6].map((n) => record('ix', 'a.pdf', 'g2', n)));
        await vi.publish('ix', 'a.pdf', 'g2');`);
      assert.deepEqual(await liveChunks(dir), ['a.pdf#5', 'a.pdf#6']);
      assert.deepEqual(await liveChunks(dir), ['a.pdf#5', 'a.pdf#6'], 'again, from the file saved by the first reopening');
    });
  });

  it('rebuilds an unreadable ANN file from SQLite', async () => {
    await withSavedIndex(2, async (dir) => {
      assert.ok(readdirSync(dir).includes('ix.usearch'));
      writeFileSync(join(dir, 'ix.usearch'), 'not an index');
      assert.deepEqual(await liveChunks(dir), ['a.pdf#0', 'a.pdf#1']);
    });
  });
});
