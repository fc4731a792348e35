// One behavioural contract for every VectorIndex adapter (test/vector/embedded-vector-index.test.ts,
// test/vector/opensearch-vector-index.test.ts): definitions, the atomic swap of a file's
// generations, every search mode with scores, filters that never lose k, and citations.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { VectorIndexError, type ChunkRecord, type IndexDefinition, type SearchHit, type VectorIndex } from '../../handlers/vector/index/ports.ts';

export interface VectorIndexUnderTest {
  index: VectorIndex;
  close(): Promise<void>;
}

const DIM = 8;
const APP = 'app-1';

/** A unit vector near axis `axis`, nudged by `jitter` so neighbours have a strict order. */
export function near(axis: number, jitter = 0): number[] {
  const v: number[] = Array.from({ length: DIM }, (_, i) => (i === axis % DIM ? 1 : 0));
  v[(axis + 1) % DIM] = jitter;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

export function record(indexId: string, file: string, generation: string, n: number, over: Partial<ChunkRecord> & { page?: number; extra?: Record<string, string | number | boolean> } = {}): ChunkRecord {
  return {
    id: `${file}#${n}`,
    vector: over.vector ?? near(n, 0.01 * n),
    text: over.text ?? `chunk ${n} of ${file}`,
    metadata: {
      app_id: APP, store_id: 'store-1', index_id: indexId, file_name: file, generation,
      page_start: over.page ?? n + 1, page_end: over.page ?? n + 1, start: n * 100, end: n * 100 + 50,
      chunking_job_id: `chunk-job-${file}`, content_hash: `hash-${file}-${generation}-${n}`, extra: over.extra ?? { lang: 'en' },
    },
  };
}

const ids = (hits: SearchHit[]) => hits.map((hit) => hit.chunk_id);

async function rejects(promise: Promise<unknown>, reason: VectorIndexError['reason']) {
  await assert.rejects(promise, (error: unknown) => error instanceof VectorIndexError && error.reason === reason);
}

export function vectorIndexContract(label: string, open: () => Promise<VectorIndexUnderTest>) {
  describe(`vector index contract: ${label}`, () => {
    let under: VectorIndexUnderTest;
    let vi: VectorIndex;
    before(async () => {
      under = await open();
      vi = under.index;
    });
    after(() => under.close());

    const newIndex = async (over: Partial<IndexDefinition> = {}) => {
      const definition: IndexDefinition = { indexId: `ix-${randomUUID().slice(0, 8)}`, dimension: DIM, space: 'cosine', embeddingModel: 'test-embedder', ...over };
      await vi.createIndex(definition);
      return definition.indexId;
    };

    it('creates an index once: the same definition again is a no-op, another one INDEX_EXISTS; describes and deletes it', async () => {
      const indexId = await newIndex();
      const definition = await vi.describeIndex(indexId);
      assert.deepEqual(definition, { indexId, dimension: DIM, space: 'cosine', embeddingModel: 'test-embedder' });
      await vi.createIndex(definition!);
      await rejects(vi.createIndex({ ...definition!, dimension: 16 }), 'INDEX_EXISTS');
      await rejects(vi.createIndex({ ...definition!, indexId: 'Upper_Case' }), 'INVALID_INDEX');
      await vi.deleteIndex(indexId);
      assert.equal(await vi.describeIndex(indexId), undefined);
      await rejects(vi.search(indexId, { mode: 'vector', vector: near(0), k: 1 }), 'INDEX_NOT_FOUND');
      await vi.deleteIndex(indexId); // again: no-op
    });

    it('finds published records nearest first, with a score and every citation field', async () => {
      const indexId = await newIndex();
      await vi.upsert(indexId, [0, 1, 2, 3].map((n) => record(indexId, 'a.pdf', 'g1', n)));
      await vi.publish(indexId, 'a.pdf', 'g1');
      const hits = await vi.search(indexId, { mode: 'vector', vector: near(2, 0.02), k: 3 });
      assert.equal(hits[0]?.chunk_id, 'a.pdf#2');
      assert.equal(hits.length, 3);
      assert.ok(hits[0]!.score > 0.99 && hits[0]!.score <= 1.0001, `cosine score is (1 + cos) / 2: ${hits[0]!.score}`);
      assert.ok(hits[0]!.score >= hits[1]!.score && hits[1]!.score >= hits[2]!.score);
      const { score: _, ...citation } = hits[0]!;
      assert.deepEqual(citation, {
        chunk_id: 'a.pdf#2', text: 'chunk 2 of a.pdf', file_name: 'a.pdf', page_start: 3, page_end: 3, start: 200, end: 250,
        chunking_job_id: 'chunk-job-a.pdf', content_hash: 'hash-a.pdf-g1-2', generation: 'g1', extra: { lang: 'en' },
      });
    });

    it('swaps a file atomically: an unpublished generation is invisible, publishing shows it and removes the old one', async () => {
      const indexId = await newIndex();
      await vi.upsert(indexId, [0, 1, 2].map((n) => record(indexId, 'doc.pdf', 'v1', n, { text: `old text ${n}` })));
      assert.deepEqual(await vi.search(indexId, { mode: 'vector', vector: near(0), k: 5 }), [], 'nothing is live before the first publish');
      await vi.publish(indexId, 'doc.pdf', 'v1');

      // v2 written half-way: searches still see exactly v1
      await vi.upsert(indexId, [0, 1].map((n) => record(indexId, 'doc.pdf', 'v2', n, { text: `new text ${n}` })));
      const during = await vi.search(indexId, { mode: 'hybrid', vector: near(0), text: 'text', k: 10 });
      assert.deepEqual(new Set(during.map((hit) => hit.generation)), new Set(['v1']));
      assert.equal(during.length, 3);

      await vi.upsert(indexId, [record(indexId, 'doc.pdf', 'v2', 2, { text: 'new text 2' })]);
      assert.deepEqual(await vi.publish(indexId, 'doc.pdf', 'v2'), { removed: 3 });
      const afterSwap = await vi.search(indexId, { mode: 'text', text: 'text', k: 10 });
      assert.deepEqual(afterSwap.map((hit) => hit.generation), ['v2', 'v2', 'v2']);
      assert.ok(afterSwap.every((hit) => hit.text.startsWith('new')));
      assert.deepEqual(await vi.publish(indexId, 'doc.pdf', 'v2'), { removed: 0 }, 'publishing again changes nothing');
    });

    it('publishes a generation told how many records it holds (expected) like any other', async () => {
      const indexId = await newIndex();
      await vi.upsert(indexId, [0, 1].map((n) => record(indexId, 'e.pdf', 'g1', n)));
      assert.deepEqual(await vi.publish(indexId, 'e.pdf', 'g1', { expected: 2 }), { removed: 0 });
      await vi.upsert(indexId, [record(indexId, 'e.pdf', 'g2', 0)]);
      assert.deepEqual(await vi.publish(indexId, 'e.pdf', 'g2', { expected: 1 }), { removed: 2 });
      assert.deepEqual(ids(await vi.search(indexId, { mode: 'vector', vector: near(0), k: 5 })), ['e.pdf#0']);
    });

    it('refuses writes into the live generation; replaces a record written twice into a pending one', async () => {
      const indexId = await newIndex();
      await vi.upsert(indexId, [record(indexId, 'f.txt', 'g1', 0)]);
      await vi.upsert(indexId, [record(indexId, 'f.txt', 'g1', 0, { text: 'rewritten' })]);
      await vi.publish(indexId, 'f.txt', 'g1');
      const hits = await vi.search(indexId, { mode: 'vector', vector: near(0), k: 5 });
      assert.deepEqual(hits.map((hit) => hit.text), ['rewritten']);
      await rejects(vi.upsert(indexId, [record(indexId, 'f.txt', 'g1', 1)]), 'GENERATION_IS_LIVE');
    });

    it('filters by file, page range, chunking job and metadata, and still returns k hits', async () => {
      const indexId = await newIndex();
      const files = ['a.pdf', 'b.pdf', 'c.pdf'];
      for (const file of files) {
        await vi.upsert(indexId, Array.from({ length: 40 }, (_, n) => record(indexId, file, 'g', n, { page: n, extra: { lang: n % 2 ? 'de' : 'en', rank: n } })));
        await vi.publish(indexId, file, 'g');
      }
      const query = { mode: 'vector' as const, vector: near(3), k: 7 };
      const byFile = await vi.search(indexId, { ...query, filters: { file_name: 'b.pdf' } });
      assert.equal(byFile.length, 7);
      assert.ok(byFile.every((hit) => hit.file_name === 'b.pdf'));
      const twoFiles = await vi.search(indexId, { ...query, filters: { file_name: ['a.pdf', 'c.pdf'] } });
      assert.ok(twoFiles.every((hit) => hit.file_name !== 'b.pdf') && twoFiles.length === 7);
      const pages = await vi.search(indexId, { ...query, filters: { page_from: 10, page_to: 12 } });
      assert.equal(pages.length, 7, '3 pages × 3 files = 9 candidates');
      assert.ok(pages.every((hit) => hit.page_start >= 10 && hit.page_end <= 12));
      const job = await vi.search(indexId, { ...query, filters: { chunking_job_id: 'chunk-job-c.pdf' } });
      assert.ok(job.every((hit) => hit.file_name === 'c.pdf') && job.length === 7);
      const meta = await vi.search(indexId, { ...query, filters: { metadata: { lang: 'de', rank: 7 } } });
      assert.deepEqual(meta.map((hit) => [hit.file_name, hit.extra.rank]).sort(), [['a.pdf', 7], ['b.pdf', 7], ['c.pdf', 7]]);
      const none = await vi.search(indexId, { ...query, filters: { file_name: 'missing.pdf' } });
      assert.deepEqual(none, []);
      const textFiltered = await vi.search(indexId, { mode: 'text', text: 'chunk', k: 5, filters: { file_name: 'a.pdf', page_to: 1 } });
      assert.deepEqual(ids(textFiltered).sort(), ['a.pdf#0', 'a.pdf#1']);
    });

    it('text mode ranks by BM25; hybrid fuses both rankings by reciprocal rank', async () => {
      const indexId = await newIndex();
      const texts = ['the invoice total is due in thirty days', 'a cat sat on the mat', 'payment terms: thirty days net', 'the weather today is sunny'];
      await vi.upsert(indexId, texts.map((text, n) => record(indexId, 'f.txt', 'g', n, { text })));
      await vi.publish(indexId, 'f.txt', 'g');
      const text = await vi.search(indexId, { mode: 'text', text: 'Invoice?', k: 4 });
      assert.deepEqual(ids(text), ['f.txt#0'], 'only chunks holding a query word');
      assert.ok(text[0]!.score > 0);

      // vector ranks #2 first and #0 last; only text finds #0, and two rankings beat one
      const hybrid = await vi.search(indexId, { mode: 'hybrid', vector: near(2, 0.9), text: 'invoice', k: 2, k_rrf: 60 });
      assert.deepEqual(ids(hybrid), ['f.txt#0', 'f.txt#2']);
      const vectorRanking = await vi.search(indexId, { mode: 'vector', vector: near(2, 0.9), k: 4 });
      const expectedScore = (id: string) => 1 / (60 + ids(vectorRanking).indexOf(id) + 1) + (id === 'f.txt#0' ? 1 / 61 : 0);
      for (const hit of hybrid) assert.ok(Math.abs(hit.score - expectedScore(hit.chunk_id)) < 1e-9, `${hit.chunk_id} ${hit.score}`);
      assert.deepEqual(await vi.search(indexId, { mode: 'text', text: '!!! ???', k: 3 }), [], 'no words, no hits');
    });

    it('drops hits below min_score', async () => {
      const indexId = await newIndex();
      await vi.upsert(indexId, [0, 4].map((n) => record(indexId, 'f.txt', 'g', n)));
      await vi.publish(indexId, 'f.txt', 'g');
      const hits = await vi.search(indexId, { mode: 'vector', vector: near(0), k: 5, min_score: 0.9 });
      assert.deepEqual(ids(hits), ['f.txt#0'], 'the orthogonal chunk scores 0.5');
    });

    it('validates searches: k from 1 to 100, the index dimension, a vector or text per mode', async () => {
      const indexId = await newIndex();
      await rejects(vi.search(indexId, { mode: 'vector', vector: near(0), k: 0 }), 'INVALID_SEARCH');
      await rejects(vi.search(indexId, { mode: 'vector', vector: near(0), k: 101 }), 'INVALID_SEARCH');
      await rejects(vi.search(indexId, { mode: 'vector', vector: [1, 2], k: 1 }), 'INVALID_SEARCH');
      await rejects(vi.search(indexId, { mode: 'hybrid', vector: near(0), k: 1 }), 'INVALID_SEARCH');
      await rejects(vi.search(indexId, { mode: 'text', k: 1 }), 'INVALID_SEARCH');
      await rejects(vi.upsert(indexId, [{ ...record(indexId, 'f', 'g', 0), vector: [1] }]), 'INVALID_RECORD');
      assert.deepEqual(await vi.search(indexId, { mode: 'vector', vector: near(0), k: 100 }), [], 'an empty index has no hits');
    });

    it('deletes a file, discards a pending generation, and finds live vectors by content hash', async () => {
      const indexId = await newIndex();
      await vi.upsert(indexId, [0, 1].map((n) => record(indexId, 'keep.pdf', 'g1', n)));
      await vi.upsert(indexId, [0, 1, 2].map((n) => record(indexId, 'drop.pdf', 'g1', n)));
      await vi.publish(indexId, 'keep.pdf', 'g1');
      await vi.publish(indexId, 'drop.pdf', 'g1');
      await vi.upsert(indexId, [record(indexId, 'keep.pdf', 'g2', 5)]);

      const found = await vi.findVectors(indexId, ['hash-keep.pdf-g1-1', 'hash-keep.pdf-g2-5', 'nope']);
      assert.deepEqual([...found.keys()], ['hash-keep.pdf-g1-1'], 'live records only');
      assert.ok(found.get('hash-keep.pdf-g1-1')!.every((x, i) => Math.abs(x - near(1, 0.01)[i]!) < 1e-6));

      assert.deepEqual(await vi.discardGeneration(indexId, 'keep.pdf', 'g2'), { removed: 1 });
      assert.deepEqual(await vi.discardGeneration(indexId, 'keep.pdf', 'g1'), { removed: 0 }, 'the live generation is kept');
      assert.deepEqual(await vi.deleteFile(indexId, 'drop.pdf'), { removed: 3 });
      const hits = await vi.search(indexId, { mode: 'vector', vector: near(0), k: 10 });
      assert.deepEqual(ids(hits).sort(), ['keep.pdf#0', 'keep.pdf#1']);
    });
  });
}
