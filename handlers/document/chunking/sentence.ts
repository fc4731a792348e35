// `sentence`: sentences (Intl.Segmenter, Unicode sentence boundaries) packed up to chunk_size, the
// overlap made of whole sentences; a sentence longer than chunk_size is split like `recursive`.
import type { MergeSizes } from './langchain-merge.ts';
import { packPieces, splitRecursive } from './recursive.ts';
import { Spans } from './spans.ts';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

// V8's segmenter slows down more than linearly with the length of the string it walks (400 K
// characters took minutes), so it walks windows of at most this many characters. A window ends
// after a newline where it can (a sentence always ends there); otherwise its last, perhaps
// unfinished, sentence starts the next window — unless it is the window's only one: a sentence
// longer than the window is cut there (the pieces are then packed or split like any other).
const WINDOW = 4096;

export function splitSentences(text: string, start: number, end: number, sizes: MergeSizes, out: Spans) {
  const sentences = sentenceSpans(text, start, end);
  packPieces(text, sentences, sizes, out, (sentenceStart, sentenceEnd) => splitRecursive(text, sentenceStart, sentenceEnd, sizes, out));
}

/** The sentences of text[start, end), as Intl.Segmenter finds them. */
export function sentenceSpans(text: string, start: number, end: number): Spans {
  const sentences = new Spans();
  for (let from = start; from < end; ) {
    let to = Math.min(end, from + WINDOW);
    const newline = to < end ? text.lastIndexOf('\n', to - 1) : -1;
    const complete = to === end || newline >= from;
    if (newline >= from) to = newline + 1;
    const window = new Spans();
    for (const { index, segment } of segmenter.segment(text.slice(from, to))) window.push(from + index, from + index + segment.length);
    const keep = complete || window.length === 1 ? window.length : window.length - 1;
    for (let i = 0; i < keep; i++) sentences.push(window.starts[i]!, window.ends[i]!);
    from = keep === window.length ? to : window.starts[keep]!;
  }
  return sentences;
}
