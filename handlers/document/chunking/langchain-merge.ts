// LangChain's `mergeSplits` (TextSplitter, @langchain/textsplitters 1.0.2 and Python
// langchain-text-splitters 0.2.0 alike), on spans instead of strings: pack consecutive pieces while
// `sum(lengths) + separatorLength * (pieces - 1)` fits `chunkSize`, emit the window trimmed, then
// drop pieces from the front until at most `chunkOverlap` is left for the next chunk.
// The window of pieces is always contiguous in `splits`, so it is a pair of indices, not a queue.
import { pushTrimmed, type Spans } from './spans.ts';

export interface MergeSizes {
  chunkSize: number;
  chunkOverlap: number;
}

/**
 * Merges `splits[from, to)`. A chunk is the source text from its first piece's start to its last
 * piece's end, trimmed: LangChain joins the pieces with the separator instead, which is the same
 * text unless the separator occurred twice in a row (e.g. four newlines for `\n\n`).
 */
export function mergeSplits(text: string, splits: Spans, from: number, to: number, separatorLength: number, sizes: MergeSizes, out: Spans) {
  const { starts, ends } = splits;
  const { chunkSize, chunkOverlap } = sizes;
  let head = from;
  let total = 0;
  for (let i = from; i < to; i++) {
    const length = ends[i]! - starts[i]!;
    if (total + length + (i - head) * separatorLength > chunkSize && i > head) {
      pushTrimmed(text, starts[head]!, ends[i - 1]!, out);
      while (total > chunkOverlap || (total + length + (i - head) * separatorLength > chunkSize && total > 0)) {
        total -= ends[head]! - starts[head]!;
        head++;
      }
    }
    total += length;
  }
  if (head < to) pushTrimmed(text, starts[head]!, ends[to - 1]!, out);
}
