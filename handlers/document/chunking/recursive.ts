// The seed's `recursive` strategy: LangChain's RecursiveCharacterTextSplitter with separators
// ["\n\n", "\n", " ", ""] and keepSeparator (each separator starts the piece after it), ported to
// spans so every chunk keeps its exact offsets.
//
// Boundary-exact with @langchain/textsplitters 1.0.2, including its split at every occurrence of a
// separator, overlapping ones too ("\n\n\n" splits twice), with one deliberate difference: the last
// level splits into code points, never between the two halves of a surrogate pair (LangChain's
// `text.split("")` can emit half an emoji). Lengths are UTF-16 code units, as in LangChain.
import { mergeSplits, type MergeSizes } from './langchain-merge.ts';
import { Spans } from './spans.ts';

export const RECURSIVE_SEPARATORS = ['\n\n', '\n', ' ', ''] as const;

/** Chunks of `text[start, end)`, appended to `out`. */
export function splitRecursive(text: string, start: number, end: number, sizes: MergeSizes, out: Spans, separators: readonly string[] = RECURSIVE_SEPARATORS) {
  splitLevel(new Finder(text), start, end, separators, 0, sizes, out);
}

/**
 * `text.indexOf(separator, from)`, remembering the last answer per separator: the splitter asks
 * from left to right, and without it a piece lacking a separator would scan to the end of the
 * whole text every time (quadratic on a long text where that separator is rare).
 */
class Finder {
  private readonly last = new Map<string, { from: number; at: number }>();

  constructor(readonly text: string) {}

  indexOf(separator: string, from: number): number {
    const last = this.last.get(separator);
    if (last && last.from <= from && (last.at === -1 || last.at >= from)) return last.at;
    const at = this.text.indexOf(separator, from);
    this.last.set(separator, { from, at });
    return at;
  }
}

function splitLevel(finder: Finder, start: number, end: number, separators: readonly string[], level: number, sizes: MergeSizes, out: Spans) {
  const { text } = finder;
  // The first separator present in the piece; "" (or running out) means this is the last level.
  let chosen = separators.length - 1;
  let last = true;
  for (let i = level; i < separators.length; i++) {
    const separator = separators[i]!;
    if (separator === '') {
      chosen = i;
      break;
    }
    const at = finder.indexOf(separator, start);
    if (at !== -1 && at + separator.length <= end) {
      chosen = i;
      last = false;
      break;
    }
  }
  const pieces = splitKeepingSeparator(finder, start, end, separators[chosen]!);
  packPieces(text, pieces, sizes, out, (pieceStart, pieceEnd) => {
    if (last) out.push(pieceStart, pieceEnd); // as is, untrimmed, like LangChain
    else splitLevel(finder, pieceStart, pieceEnd, separators, chosen + 1, sizes, out);
  });
}

/**
 * One level of the recursive splitter: runs of pieces shorter than chunkSize are merged, each
 * longer piece goes to `splitLarger` in its place (the next level's separators).
 */
export function packPieces(text: string, pieces: Spans, sizes: MergeSizes, out: Spans, splitLarger: (start: number, end: number) => void) {
  const { chunkSize } = sizes;
  let good = 0; // pieces[good, i) are shorter than chunkSize and wait to be merged
  for (let i = 0; i < pieces.length; i++) {
    const pieceStart = pieces.starts[i]!;
    const pieceEnd = pieces.ends[i]!;
    if (pieceEnd - pieceStart < chunkSize) continue;
    if (good < i) mergeSplits(text, pieces, good, i, 0, sizes, out);
    good = i + 1;
    splitLarger(pieceStart, pieceEnd);
  }
  if (good < pieces.length) mergeSplits(text, pieces, good, pieces.length, 0, sizes, out);
}

/** `text.split(new RegExp("(?=" + separator + ")"))` on text[start, end), or code points for "". */
function splitKeepingSeparator(finder: Finder, start: number, end: number, separator: string): Spans {
  const { text } = finder;
  const pieces = new Spans();
  if (separator === '') {
    for (let i = start; i < end; ) {
      const code = text.charCodeAt(i);
      const next = code >= 0xd800 && code <= 0xdbff && i + 1 < end && isLowSurrogate(text.charCodeAt(i + 1)) ? i + 2 : i + 1;
      pieces.push(i, next);
      i = next;
    }
    return pieces;
  }
  let pieceStart = start;
  let at = finder.indexOf(separator, start + 1);
  while (at !== -1 && at + separator.length <= end) {
    pieces.push(pieceStart, at);
    pieceStart = at;
    at = finder.indexOf(separator, at + 1);
  }
  pieces.push(pieceStart, end);
  return pieces;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
