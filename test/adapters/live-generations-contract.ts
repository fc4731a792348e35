// One behavioural contract for every LiveGenerations adapter (the OpenSearch backend's live-file
// pointers): test/adapters/live-generations.test.ts runs it on the in-memory one and on DynamoDB.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LiveGenerations } from '../../handlers/vector/index/opensearch/live-generations.ts';

export interface LiveGenerationsUnderTest {
  live: LiveGenerations;
  close(): Promise<void>;
}

export function liveGenerationsContract(label: string, open: () => Promise<LiveGenerationsUnderTest>) {
  describe(`live generations contract: ${label}`, () => {
    let under: LiveGenerationsUnderTest;
    let live: LiveGenerations;
    before(async () => {
      under = await open();
      live = under.live;
    });
    after(() => under.close());
    const newIndex = () => `ix-${randomUUID().slice(0, 8)}`;

    it('knows nothing of an index before its first swap', async () => {
      assert.deepEqual(await live.live(newIndex()), new Map());
    });

    it('swaps a file to a generation and returns the one it replaced', async () => {
      const index = newIndex();
      assert.equal(await live.swap(index, 'a.pdf', 'g1'), undefined);
      assert.equal(await live.swap(index, 'a.pdf', 'g2'), 'g1');
      assert.equal(await live.swap(index, 'a.pdf', 'g2'), 'g2', 'the same generation again replaces itself');
      await live.swap(index, 'b.pdf', 'g1');
      assert.deepEqual(await live.live(index), new Map([['a.pdf', 'g2'], ['b.pdf', 'g1']]));
    });

    it('keeps indexes apart, and file names with any character apart', async () => {
      const [one, two] = [newIndex(), newIndex()];
      await live.swap(one, 'dir/a b#1.pdf', 'g1');
      await live.swap(two, 'dir/a b#1.pdf', 'g9');
      assert.deepEqual(await live.live(one), new Map([['dir/a b#1.pdf', 'g1']]));
      assert.deepEqual(await live.live(two), new Map([['dir/a b#1.pdf', 'g9']]));
    });

    it('removes one file, and drops a whole index', async () => {
      const index = newIndex();
      for (const file of ['a', 'b', 'c']) await live.swap(index, file, 'g1');
      await live.remove(index, 'b');
      await live.remove(index, 'missing');
      assert.deepEqual([...(await live.live(index)).keys()].sort(), ['a', 'c']);
      await live.drop(index);
      assert.deepEqual(await live.live(index), new Map());
      await live.drop(index);
    });

    it('gives each of 20 concurrent swaps of one file a distinct replaced generation (none is lost)', async () => {
      const index = newIndex();
      await live.swap(index, 'f', 'g0');
      const generations = Array.from({ length: 20 }, (_, i) => `g${i + 1}`);
      const replaced = await Promise.all(generations.map((g) => live.swap(index, 'f', g)));
      const current = (await live.live(index)).get('f')!;
      // Every generation but the live one was replaced exactly once, so each is deleted exactly once.
      assert.deepEqual([...replaced].sort(), ['g0', ...generations].filter((g) => g !== current).sort());
    });

    it('lists an index holding more than one DynamoDB page (1 MB) of pointers', async () => {
      const index = newIndex();
      const generation = `g-${'x'.repeat(3000)}`;
      const files = Array.from({ length: 300 }, (_, i) => `${'long-file-name-'.repeat(60)}${i}.pdf`);
      for (let i = 0; i < files.length; i += 25) await Promise.all(files.slice(i, i + 25).map((file) => live.swap(index, file, generation)));
      assert.equal((await live.live(index)).size, 300);
      await live.drop(index);
      assert.equal((await live.live(index)).size, 0);
    });
  });
}
