// Recursive chunking throughput (MB/s of UTF-16 text) on ~10 MB of generated prose in 500 pages,
// chunk_size 1000, overlap 0 and 200, the targets alternating within each round:
//   - ours, planChunks: the seed's `recursive` boundaries with exact offsets and page spans;
//   - ours, chunkText: the same plus every Chunk field (sha256, cl100k_base token count, ids);
//   - LangChain's RecursiveCharacterTextSplitter (the oracle; strings only, no offsets);
//   - chonkie's RecursiveChunker (offsets, character "tokens").
// Every target chunks page by page, as the seed did; ours and chonkie also chunk the whole text in
// one call (one page), chonkie's best case. The goal is checked against chonkie's faster figure.
// MB/s are millions of characters per second. Figures: the median over the rounds.
import { RecursiveChunker } from '@chonkiejs/core';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { chunkText, planChunks } from '../handlers/document/chunking/chunk-text.ts';
import { PAGE_SEPARATOR, type ChunkSource } from '../handlers/document/chunking/ports.ts';
import { generateProse } from '../test/document/chunking-texts.ts';
import { median } from './lib/load.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES = 500;
const PAGE_PARAGRAPHS = 105; // ≈ 20 K characters a page, ≈ 10 M in all

function corpus(): ChunkSource {
  const pages: ChunkSource['pages'] = [];
  const texts: string[] = [];
  let offset = 0;
  for (let page = 1; page <= PAGES; page++) {
    const text = generateProse(page, PAGE_PARAGRAPHS);
    pages.push({ page_number: page, start: offset, end: offset + text.length });
    texts.push(text);
    offset += text.length + PAGE_SEPARATOR.length;
  }
  return { text: texts.join(PAGE_SEPARATOR), pages };
}

export async function benchDocumentChunking(): Promise<string> {
  const source = corpus();
  const pageTexts = source.pages.map((page) => source.text.slice(page.start, page.end));
  const onePage: ChunkSource = { text: source.text, pages: [{ page_number: 1, start: 0, end: source.text.length }] };
  const megabytes = source.text.length / 1e6;
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(`recursive chunking of ${megabytes.toFixed(1)} M characters in ${PAGES} pages — median of ${ROUNDS} alternating rounds`);
  say('| chunk_size / overlap | target | MB/s | chunks | ratio to chonkie’s faster figure |');
  say('|---|---|---|---|---|');

  const warn = console.warn; // LangChain warns on every oversized chunk
  console.warn = () => {};
  try {
    for (const [chunkSize, chunkOverlap] of [[1000, 0], [1000, 200]] as const) {
      const langchain = new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap });
      const chonkie = await RecursiveChunker.create({ chunkSize, minCharactersPerChunk: 1 });
      const targets: Record<string, () => Promise<number>> = {
        'ours: offsets + page spans': async () => planChunks(source, 'recursive', { chunk_size: chunkSize, chunk_overlap: chunkOverlap }).drafts.length,
        'ours: complete chunks (+ sha256, token count)': async () => chunkText(source, 'recursive', { chunk_size: chunkSize, chunk_overlap: chunkOverlap }).length,
        'ours: offsets + page spans, whole text as one page': async () => planChunks(onePage, 'recursive', { chunk_size: chunkSize, chunk_overlap: chunkOverlap }).drafts.length,
        '@langchain/textsplitters 1.0.2': async () => {
          let count = 0;
          for (const text of pageTexts) count += (await langchain.splitText(text)).length;
          return count;
        },
        // chonkie has no overlap option: its row repeats the overlap-0 figure for reference.
        '@chonkiejs/core 0.0.11 (no overlap)': async () => {
          let count = 0;
          for (const text of pageTexts) count += (await chonkie.chunk(text)).length;
          return count;
        },
        '@chonkiejs/core 0.0.11 (no overlap), whole text in one call': async () => (await chonkie.chunk(source.text)).length,
      };
      const seconds = new Map<string, number[]>();
      const counts = new Map<string, number>();
      for (let round = 0; round <= ROUNDS; round++) {
        for (const [name, run] of Object.entries(targets)) {
          const started = process.hrtime.bigint();
          counts.set(name, await run());
          const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
          if (round > 0) seconds.set(name, [...(seconds.get(name) ?? []), elapsed]); // round 0 warms up
        }
      }
      const rate = (name: string) => megabytes / median(seconds.get(name)!);
      const chonkieRate = Math.max(rate('@chonkiejs/core 0.0.11 (no overlap)'), rate('@chonkiejs/core 0.0.11 (no overlap), whole text in one call'));
      for (const name of Object.keys(targets)) {
        say(`| ${chunkSize} / ${chunkOverlap} | ${name} | ${rate(name).toFixed(1)} | ${counts.get(name)} | ${(rate(name) / chonkieRate).toFixed(2)}× |`);
      }
      const ours = rate('ours: offsets + page spans');
      say(`| ${chunkSize} / ${chunkOverlap} | goal ≥ 2× chonkie's faster figure (offsets + page spans) | ${(ours / chonkieRate).toFixed(2)}× | | ${ours >= 2 * chonkieRate ? 'met' : 'NOT met'} |`);
      say(`| ${chunkSize} / ${chunkOverlap} | vs LangChain | ${(ours / rate('@langchain/textsplitters 1.0.2')).toFixed(2)}× | | |`);
    }
  } finally {
    console.warn = warn;
  }
  return lines.join('\n');
}
