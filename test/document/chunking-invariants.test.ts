// What every chunk of every strategy promises, checked on generated multi-page texts: its text is
// the source at its offsets, its pages are the pages those offsets lie on, its hash is the sha256 of
// its text, its token count is js-tiktoken's own, and its id is unique.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { chunkText } from '../../handlers/document/chunking/chunk-text.ts';
import { CHUNKING_STRATEGIES } from '../../handlers/document/chunking/params.ts';
import type { Chunk, ChunkSource } from '../../handlers/document/chunking/ports.ts';
import { asPages, generateProse, generateText, random } from './chunking-texts.ts';

const tiktoken = new Tiktoken(cl100k);
const SEEDS = 30;

function source(seed: number): ChunkSource {
  const r = random(seed);
  const pageTexts: string[] = [];
  for (let page = r.int(1, 4); page > 0; page--) {
    const roll = r.next();
    if (roll < 0.1) pageTexts.push('');
    else if (roll < 0.5) pageTexts.push(generateText(seed * 10 + page, { astral: true, maxWords: 120 }));
    else pageTexts.push(`# Heading ${page}\n\n${generateProse(seed * 10 + page, 4)}\n\n## Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\n${generateProse(seed + page, 2)}`);
  }
  return asPages(pageTexts);
}

/** The page of the chunk's first character; one in the separator between two pages counts for the next. */
const firstPage = (src: ChunkSource, offset: number) => src.pages.find((page) => offset < page.end) ?? src.pages[src.pages.length - 1]!;
/** The page of the chunk's last character; one in the separator between two pages counts for the previous. */
const lastPage = (src: ChunkSource, offset: number) => src.pages.findLast((page) => page.start <= offset) ?? src.pages[0]!;

function assertChunk(src: ChunkSource, chunk: Chunk, context: string) {
  assert.equal(chunk.chunk, (chunk.repeated_header ?? '') + src.text.slice(chunk.start, chunk.end), `${context}: text at offsets`);
  assert.ok(chunk.start < chunk.end && chunk.start >= 0 && chunk.end <= src.text.length, `${context}: offsets in range`);
  assert.equal(chunk.page_start, firstPage(src, chunk.start).page_number, `${context}: page_start`);
  assert.equal(chunk.page_end, Math.max(chunk.page_start, lastPage(src, chunk.end - 1).page_number), `${context}: page_end`);
  assert.equal(chunk.content_hash, createHash('sha256').update(chunk.chunk).digest('hex'), `${context}: content_hash`);
  assert.equal(chunk.token_count, tiktoken.encode(chunk.chunk, [], []).length, `${context}: token_count`);
}

describe('every strategy', () => {
  for (const strategy of CHUNKING_STRATEGIES) {
    it(`${strategy}: chunk === text.slice(start, end), page span, sha256, token count and unique ids, over generated files`, () => {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const src = source(seed);
        for (const [chunk_size, chunk_overlap] of [[7, 3], [60, 0], [400, 100]] as const) {
          const chunks = chunkText(src, strategy, { chunk_size, chunk_overlap }, { idPrefix: `job/file-${seed}` });
          const context = `${strategy}, seed ${seed}, ${chunk_size}/${chunk_overlap}`;
          for (const chunk of chunks) assertChunk(src, chunk, context);
          assert.equal(new Set(chunks.map((c) => c.chunk_id)).size, chunks.length, `${context}: unique ids`);
          assert.ok(chunks.every((c) => c.chunk_id.startsWith(`job/file-${seed}:`)));
          const starts = chunks.map((c) => c.start);
          assert.deepEqual(starts, [...starts].sort((a, b) => a - b), `${context}: in text order`);
          if (strategy === 'recursive') assert.ok(chunks.every((c) => c.chunk.length <= Math.max(chunk_size, 2)), `${context}: within chunk_size`);
          if (strategy === 'token') assert.ok(chunks.every((c) => c.token_count <= chunk_size || [...c.chunk].length === 1), `${context}: within chunk_size tokens`);
          if (strategy === 'fixed_size' || strategy === 'recursive' || strategy === 'page') {
            assert.ok(chunks.every((c) => c.page_start === c.page_end), `${context}: the seed's strategies split each page on its own`);
          }
        }
      }
    });
  }
});
