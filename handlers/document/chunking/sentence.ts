// `sentence`: sentences (Intl.Segmenter, Unicode sentence boundaries) packed up to chunk_size, the
// overlap made of whole sentences; a sentence longer than chunk_size is split like `recursive`.
import type { MergeSizes } from './langchain-merge.ts';
import { packPieces, splitRecursive } from './recursive.ts';
import { Spans } from './spans.ts';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

export function splitSentences(text: string, start: number, end: number, sizes: MergeSizes, out: Spans) {
  const sentences = new Spans();
  for (const { index, segment } of segmenter.segment(text.slice(start, end))) {
    sentences.push(start + index, start + index + segment.length);
  }
  packPieces(text, sentences, sizes, out, (sentenceStart, sentenceEnd) => splitRecursive(text, sentenceStart, sentenceEnd, sizes, out));
}
