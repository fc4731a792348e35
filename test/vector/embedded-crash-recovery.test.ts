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

const search = (dir: string, indexId: string) => {
  const vi = openEmbeddedVectorIndex({ dir });
  return { vi, hits: () => vi.search(indexId, { mode: 'vector', vector: near(0), k: 20 }) };
};

describe('embedded vector index: crash recovery', () => {
  it('reloads records committed before a kill -9 that no ANN save covered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaf-vector-crash-'));
    try {
      runThenKill(dir, `
        await vi.createIndex({ indexId: 'ix', dimension: 8, space: 'cosine', embeddingModel: 'm' });
        await vi.upsert('ix', [0, 1, 2].map((n) => record('ix', 'a.pdf', 'g1', n)));
        await vi.publish('ix', 'a.pdf', 'g1');`);
      const { vi, hits } = search(dir, 'ix');
      assert.deepEqual((await hits()).map((hit) => hit.chunk_id).sort(), ['a.pdf#0', 'a.pdf#1', 'a.pdf#2']);
      await vi.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays deletions made after the last save, and keeps the ANN file consistent after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaf-vector-crash-'));
    try {
      const first = openEmbeddedVectorIndex({ dir });
      await first.createIndex({ indexId: 'ix', dimension: 8, space: 'cosine', embeddingModel: 'm' });
      await first.upsert('ix', [0, 1, 2].map((n) => record('ix', 'a.pdf', 'g1', n)));
      await first.publish('ix', 'a.pdf', 'g1');
      await first.close(); // saved with g1
      runThenKill(dir, `
        await vi.upsert('ix', [5, 6].map((n) => record('ix', 'a.pdf', 'g2', n)));
        await vi.publish('ix', 'a.pdf', 'g2');`);
      const { vi, hits } = search(dir, 'ix');
      assert.deepEqual((await hits()).map((hit) => hit.chunk_id).sort(), ['a.pdf#5', 'a.pdf#6']);
      await vi.close();
      const again = search(dir, 'ix');
      assert.deepEqual((await again.hits()).map((hit) => hit.chunk_id).sort(), ['a.pdf#5', 'a.pdf#6']);
      await again.vi.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rebuilds an unreadable ANN file from SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaf-vector-crash-'));
    try {
      const first = openEmbeddedVectorIndex({ dir });
      await first.createIndex({ indexId: 'ix', dimension: 8, space: 'cosine', embeddingModel: 'm' });
      await first.upsert('ix', [0, 1].map((n) => record('ix', 'a.pdf', 'g1', n)));
      await first.publish('ix', 'a.pdf', 'g1');
      await first.close();
      assert.ok(readdirSync(dir).includes('ix.usearch'));
      writeFileSync(join(dir, 'ix.usearch'), 'not an index');
      const { vi, hits } = search(dir, 'ix');
      assert.deepEqual((await hits()).map((hit) => hit.chunk_id), ['a.pdf#0', 'a.pdf#1']);
      await vi.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
