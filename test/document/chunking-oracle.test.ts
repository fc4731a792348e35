// The seed's `recursive` and `fixed_size` against LangChain's own splitters (@langchain/textsplitters,
// the JavaScript port of what the seed ran) on generated texts, page by page as the seed split them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CharacterTextSplitter, RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { planChunks } from '../../handlers/document/chunking/chunk-text.ts';
import type { ChunkingStrategy } from '../../handlers/document/chunking/ports.ts';
import { asPages, generateProse, generateText } from './chunking-texts.ts';

const SIZES: [number, number][] = [[1, 0], [2, 1], [5, 2], [20, 0], [37, 10], [100, 50], [300, 0], [1000, 200], [1000, 0]];
const SEEDS = 25;

// LangChain warns on every oversized chunk.
const warn = console.warn;
before(() => (console.warn = () => {}));
after(() => (console.warn = warn));

const pageTextsFor = (seed: number, astral = false) => [generateText(seed, { astral }), generateProse(seed, 8), generateText(seed + 1000, { astral })];

/** Our chunk texts (offsets only: hashes and token counts are tested elsewhere). */
function ours(pageTexts: string[], strategy: ChunkingStrategy, chunkSize: number, chunkOverlap: number) {
  const source = asPages(pageTexts);
  const { drafts } = planChunks(source, strategy, { chunk_size: chunkSize, chunk_overlap: chunkOverlap });
  return drafts.starts.map((start, i) => source.text.slice(start, drafts.ends[i]));
}

async function expected(splitter: { splitText(text: string): Promise<string[]> }, pageTexts: string[]) {
  const chunks: string[] = [];
  for (const pageText of pageTexts) chunks.push(...(await splitter.splitText(pageText)));
  return chunks;
}

describe('recursive', () => {
  it('gives exactly LangChain RecursiveCharacterTextSplitter chunks on prose, long words, separator runs, unicode and whitespace', async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const pageTexts = pageTextsFor(seed);
      for (const [chunkSize, chunkOverlap] of SIZES) {
        const theirs = await expected(new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap }), pageTexts);
        assert.deepEqual(ours(pageTexts, 'recursive', chunkSize, chunkOverlap), theirs, `seed ${seed}, chunk_size ${chunkSize}, overlap ${chunkOverlap}`);
      }
    }
  });

  it('matches LangChain on astral characters wherever LangChain does not cut a surrogate pair', async () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    let compared = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const pageTexts = pageTextsFor(seed, true);
      for (const [chunkSize, chunkOverlap] of SIZES) {
        const theirs = await expected(new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap }), pageTexts);
        if (theirs.some((chunk) => lone.test(chunk))) continue;
        compared++;
        assert.deepEqual(ours(pageTexts, 'recursive', chunkSize, chunkOverlap), theirs, `seed ${seed}, chunk_size ${chunkSize}, overlap ${chunkOverlap}`);
      }
    }
    assert.ok(compared > SEEDS * 4);
  });

  it('never cuts a surrogate pair, where LangChain emits half an emoji', async () => {
    const text = '😀😀😀😀😀';
    const theirs = await new RecursiveCharacterTextSplitter({ chunkSize: 3, chunkOverlap: 0 }).splitText(text);
    assert.ok(theirs.some((chunk) => chunk.length === 1), 'LangChain cuts the pair');
    assert.deepEqual(ours([text], 'recursive', 3, 0), ['😀', '😀', '😀', '😀', '😀']);
  });
});

describe('fixed_size', () => {
  it('gives exactly LangChain CharacterTextSplitter chunks when no paragraph break is doubled', async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const pageTexts = pageTextsFor(seed).map((t) => t.replace(/\n{4,}/g, '\n\n\n'));
      for (const [chunkSize, chunkOverlap] of SIZES) {
        const theirs = await expected(new CharacterTextSplitter({ chunkSize, chunkOverlap }), pageTexts);
        assert.deepEqual(ours(pageTexts, 'fixed_size', chunkSize, chunkOverlap), theirs, `seed ${seed}, chunk_size ${chunkSize}, overlap ${chunkOverlap}`);
      }
    }
  });

  it('has LangChain boundaries on runs of four or more newlines, keeping the source text where LangChain joins with one "\\n\\n"', async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const pageTexts = pageTextsFor(seed);
      for (const [chunkSize, chunkOverlap] of SIZES) {
        const joined = ours(pageTexts, 'fixed_size', chunkSize, chunkOverlap).map((chunk) => chunk.split('\n\n').filter((piece) => piece !== '').join('\n\n'));
        const theirs = await expected(new CharacterTextSplitter({ chunkSize, chunkOverlap }), pageTexts);
        assert.deepEqual(joined, theirs, `seed ${seed}, chunk_size ${chunkSize}, overlap ${chunkOverlap}`);
      }
    }
  });
});
