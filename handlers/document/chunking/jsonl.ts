// JSONL files (the seed's handling, whatever the strategy): one chunk per line. Unlike the seed,
// blank lines (a trailing newline included) give no empty chunks.
import { pushTrimmed, type Spans } from './spans.ts';

export function splitJsonLines(text: string, start: number, end: number, out: Spans) {
  for (let lineStart = start; lineStart < end; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline >= end ? end : newline;
    pushTrimmed(text, lineStart, lineEnd, out);
    lineStart = lineEnd + 1;
  }
}
