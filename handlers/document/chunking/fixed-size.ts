// The seed's `fixed_size` strategy: LangChain's CharacterTextSplitter — split on "\n\n" (dropping
// the separator and empty pieces), then pack the paragraphs. A paragraph longer than chunk_size
// stays whole (no character-level cut): "fixed size" means paragraph packing, as in the seed.
import { mergeSplits, type MergeSizes } from './langchain-merge.ts';
import { Spans } from './spans.ts';

const SEPARATOR = '\n\n';

export function splitFixedSize(text: string, start: number, end: number, sizes: MergeSizes, out: Spans) {
  const paragraphs = new Spans();
  let pieceStart = start;
  for (let at = text.indexOf(SEPARATOR, start); at !== -1 && at + SEPARATOR.length <= end; at = text.indexOf(SEPARATOR, pieceStart)) {
    if (at > pieceStart) paragraphs.push(pieceStart, at);
    pieceStart = at + SEPARATOR.length;
  }
  if (end > pieceStart) paragraphs.push(pieceStart, end);
  mergeSplits(text, paragraphs, 0, paragraphs.length, SEPARATOR.length, sizes, out);
}
