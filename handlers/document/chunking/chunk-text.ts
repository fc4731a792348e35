// The chunker's entry point: a file's extracted text in, chunks with exact offsets, page spans,
// heading paths, hashes and token counts out. The seed's strategies (`fixed_size`, `recursive`,
// `page`) split each page on its own, as the seed did, so their chunks never span pages; the
// structure-aware ones read the whole text, so a section or sentence may run across a page break.
// JSON and JSONL files are chunked by value and by line whatever the strategy (the seed's rule).
import { createHash } from 'node:crypto';
import { splitFixedSize } from './fixed-size.ts';
import { splitJson } from './json.ts';
import { splitJsonLines } from './jsonl.ts';
import type { MergeSizes } from './langchain-merge.ts';
import { splitMarkdown } from './markdown.ts';
import { pageSpan, pagesOf } from './pages.ts';
import { resolveChunkingParams } from './params.ts';
import type { Chunk, ChunkOptions, ChunkSource, ChunkingParams, ChunkingStrategy } from './ports.ts';
import { splitRecursive } from './recursive.ts';
import { splitSentences } from './sentence.ts';
import { Drafts, isBlank } from './spans.ts';
import { findMarkdownTables, splitTableAware } from './table-aware.ts';
import { splitTokens } from './token.ts';
import { countTokens } from './tokenizer.ts';

export interface PlannedChunks {
  drafts: Drafts;
  pageStarts: number[];
  pageEnds: number[];
}

/** Where the chunks are (offsets, pages, headings), before their text is hashed and counted. */
export function planChunks(source: ChunkSource, strategy: ChunkingStrategy, params?: ChunkingParams | null): PlannedChunks {
  const sizes = resolveChunkingParams(strategy, params);
  const { text } = source;
  const pages = pagesOf(source);
  const drafts = new Drafts();
  if (source.format === 'json') splitJson(text, drafts);
  else if (source.format === 'jsonl') splitJsonLines(text, 0, text.length, drafts);
  else if (strategy === 'fixed_size' || strategy === 'recursive' || strategy === 'page') {
    const split = PER_PAGE[strategy];
    for (const page of pages) split(text, page.start, page.end, sizes, drafts);
  } else WHOLE_TEXT[strategy](source, sizes, drafts);

  const pageStarts: number[] = [];
  const pageEnds: number[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const span = pageSpan(pages, drafts.starts[i]!, drafts.ends[i]!);
    pageStarts.push(span.page_start);
    pageEnds.push(span.page_end);
  }
  return { drafts, pageStarts, pageEnds };
}

/** Every chunk of the file. Throws ChunkingFailure for a JSON file that is not JSON. */
export function chunkText(source: ChunkSource, strategy: ChunkingStrategy, params?: ChunkingParams | null, options: ChunkOptions = { idPrefix: 'chunk' }): Chunk[] {
  const { drafts, pageStarts, pageEnds } = planChunks(source, strategy, params);
  const chunks: Chunk[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const start = drafts.starts[i]!;
    const end = drafts.ends[i]!;
    const repeatedHeader = drafts.repeatedHeaders.get(i);
    const chunk = drafts.serialized.get(i) ?? (repeatedHeader ?? '') + source.text.slice(start, end);
    chunks.push({
      chunk,
      chunk_id: `${options.idPrefix}:${i}`,
      start,
      end,
      page_start: pageStarts[i]!,
      page_end: pageEnds[i]!,
      heading_path: [...(drafts.headingPaths.get(i) ?? [])],
      content_hash: createHash('sha256').update(chunk).digest('hex'),
      token_count: countTokens(chunk),
      ...(repeatedHeader === undefined ? {} : { repeated_header: repeatedHeader }),
    });
  }
  return chunks;
}

type Splitter = (text: string, start: number, end: number, sizes: MergeSizes, out: Drafts) => void;

const PER_PAGE: Record<'fixed_size' | 'recursive' | 'page', Splitter> = {
  fixed_size: splitFixedSize,
  recursive: splitRecursive,
  // The page as it is (the seed did not strip it); a blank page gives no chunk.
  page: (text, start, end, _sizes, out) => {
    if (!isBlank(text, start, end)) out.push(start, end);
  },
};

const WHOLE_TEXT: Record<'markdown' | 'sentence' | 'token' | 'table_aware', (source: ChunkSource, sizes: MergeSizes, out: Drafts) => void> = {
  markdown: ({ text }, sizes, out) => splitMarkdown(text, 0, text.length, sizes, out),
  sentence: ({ text }, sizes, out) => splitSentences(text, 0, text.length, sizes, out),
  token: ({ text }, sizes, out) => splitTokens(text, 0, text.length, sizes, out),
  table_aware: ({ text, tables }, sizes, out) => splitTableAware(text, 0, text.length, tables ?? findMarkdownTables(text, 0, text.length), sizes, out),
};
