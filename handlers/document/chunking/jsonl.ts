// JSONL files (the seed's handling, whatever the strategy): one chunk per line. Unlike the seed,
// blank lines (a trailing newline included) give no empty chunks.
import { forEachLine, pushTrimmed, type Spans } from './spans.ts';

export function splitJsonLines(text: string, start: number, end: number, out: Spans) {
  forEachLine(text, start, end, (lineStart, lineEnd) => pushTrimmed(text, lineStart, lineEnd, out));
}
