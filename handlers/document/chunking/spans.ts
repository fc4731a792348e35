// Spans of the source text (start inclusive, end exclusive, UTF-16 offsets) in two parallel
// arrays: the splitters handle millions of them, so no object per span.
export class Spans {
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  get length() {
    return this.starts.length;
  }

  push(start: number, end: number) {
    this.starts.push(start);
    this.ends.push(end);
  }
}

/** Spans with what some strategies know beyond the offsets: the heading path, a repeated table header. */
export class Drafts extends Spans {
  /** By span index; a span without an entry sits under no known heading. */
  readonly headingPaths = new Map<number, readonly string[]>();
  /** By span index: the table header repeated ahead of a continuation chunk's rows. */
  readonly repeatedHeaders = new Map<number, string>();
  /** By span index: a chunk's text when it is not the span's text (JSON, re-serialised as the seed did). */
  readonly serialized = new Map<number, string>();
}

/** Calls `line` with each line of text[start, end) (without its "\n"). */
export function forEachLine(text: string, start: number, end: number, line: (lineStart: number, lineEnd: number) => void) {
  for (let lineStart = start; lineStart < end; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline >= end ? end : newline;
    line(lineStart, lineEnd);
    lineStart = lineEnd + 1;
  }
}

/** Whether text[start, end) is empty or only whitespace. */
export function isBlank(text: string, start: number, end: number): boolean {
  while (start < end && isTrimmedSpace(text.charCodeAt(start))) start++;
  return start === end;
}

/**
 * Pushes `text.slice(start, end).trim()` as a span, or nothing when that is empty. The whitespace
 * set is exactly `String.prototype.trim`'s (the LangChain oracle trims with it).
 */
export function pushTrimmed(text: string, start: number, end: number, out: Spans) {
  while (start < end && isTrimmedSpace(text.charCodeAt(start))) start++;
  while (end > start && isTrimmedSpace(text.charCodeAt(end - 1))) end--;
  if (start < end) out.push(start, end);
}

const SPACE_ONLY = /^\s$/;

function isTrimmedSpace(code: number): boolean {
  if (code > 32 && code < 127) return false;
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  return SPACE_ONLY.test(String.fromCharCode(code));
}
