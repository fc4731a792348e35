// Which pages a chunk lies on: binary search over the pages' starts. A chunk that starts in the
// separator between two pages starts on the next page; one that ends in it ends on the previous.
import type { ChunkSource } from './ports.ts';

export type Page = ChunkSource['pages'][number];

/** The pages to chunk: the source's, or the whole text as page 1 when it lists none. */
export const pagesOf = (source: ChunkSource): readonly Page[] =>
  source.pages.length ? source.pages : [{ page_number: 1, start: 0, end: source.text.length }];

/** Index of the last page starting at or before `offset` (0 when none does). */
export function pageIndexAt(pages: readonly Page[], offset: number): number {
  let low = 0;
  let high = pages.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (pages[middle]!.start <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The first and last page of text[start, end). */
export function pageSpan(pages: readonly Page[], start: number, end: number): { page_start: number; page_end: number } {
  let first = pageIndexAt(pages, start);
  if (start >= pages[first]!.end && first + 1 < pages.length) first++;
  const last = pageIndexAt(pages, Math.max(start, end - 1));
  return { page_start: pages[first]!.page_number, page_end: pages[Math.max(first, last)]!.page_number };
}
