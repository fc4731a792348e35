// `table_aware`: text between tables is split like `recursive`; a table that fits chunk_size is one
// chunk; a larger one is cut between rows, and every chunk after the first repeats the header
// lines (`repeated_header`), so a row never leaves its header. Overlap does not apply inside tables.
// Tables come from the extractor (ChunkSource.tables) or, without them, from Markdown pipe tables.
import type { MergeSizes } from './langchain-merge.ts';
import type { ChunkSource } from './ports.ts';
import { splitRecursive } from './recursive.ts';
import { forEachLine, pushTrimmed, Spans, type Drafts } from './spans.ts';

export type TableSpan = NonNullable<ChunkSource['tables']>[number];

export function splitTableAware(text: string, start: number, end: number, tables: readonly TableSpan[], sizes: MergeSizes, out: Drafts) {
  const inRange = tables.filter((t) => t.start >= start && t.end <= end && t.start < t.end).sort((a, b) => a.start - b.start);
  let cursor = start;
  for (const table of inRange) {
    if (table.start < cursor) continue; // overlaps the previous table: its text is already chunked
    splitRecursive(text, cursor, table.start, sizes, out);
    splitTable(text, table, sizes, out);
    cursor = table.end;
  }
  splitRecursive(text, cursor, end, sizes, out);
}

function splitTable(text: string, table: TableSpan, sizes: MergeSizes, out: Drafts) {
  const { chunkSize } = sizes;
  if (trimmedLength(text, table.start, table.end) <= chunkSize) return pushTrimmed(text, table.start, table.end, out);
  const lines = rowLines(text, table.start, table.end);
  const headerCount = Math.min(table.header_rows, lines.length);
  // A table whose lines are not its rows cannot be cut safely between rows: split it as text.
  if (lines.length !== table.rows.length || headerCount === lines.length) return splitRecursive(text, table.start, table.end, sizes, out);
  const header = headerCount ? text.slice(lines.starts[0], lines.starts[headerCount]) : '';
  for (let row = headerCount, first = true; row < lines.length; first = false) {
    const chunkStart = first ? table.start : lines.starts[row]!;
    const budget = chunkSize - (first ? 0 : header.length);
    let next = row + 1; // at least one row, even one that alone exceeds the budget
    while (next < lines.length && lines.ends[next]! - chunkStart <= budget) next++;
    // Markup after the last row (`</table>`) comes along when it fits.
    const chunkEnd = next === lines.length && table.end - chunkStart <= budget ? table.end : lines.ends[next - 1]!;
    const index = out.length;
    pushTrimmed(text, chunkStart, chunkEnd, out);
    if (!first && header) out.repeatedHeaders.set(index, header);
    row = next;
  }
}

const MARKUP_ONLY = /^\s*(<\/?[A-Za-z_]+>\s*)*$/;

/** The table's lines that hold rows: not blank, not only markup such as `<table>`. */
function rowLines(text: string, start: number, end: number): Spans {
  const lines = new Spans();
  forEachLine(text, start, end, (lineStart, lineEnd) => {
    if (!MARKUP_ONLY.test(text.slice(lineStart, lineEnd))) lines.push(lineStart, lineEnd);
  });
  return lines;
}

function trimmedLength(text: string, start: number, end: number) {
  const trimmed = new Spans();
  pushTrimmed(text, start, end, trimmed);
  return trimmed.length ? trimmed.ends[0]! - trimmed.starts[0]! : 0;
}

const PIPE_ROW = /^\s*\|?.*\|.*$/;
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Markdown pipe tables (a header line, a `|---|` line, then rows) in text[start, end). */
export function findMarkdownTables(text: string, start: number, end: number): TableSpan[] {
  const lines: { start: number; end: number; text: string }[] = [];
  forEachLine(text, start, end, (lineStart, lineEnd) => lines.push({ start: lineStart, end: lineEnd, text: text.slice(lineStart, lineEnd) }));
  const tables: TableSpan[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!PIPE_ROW.test(lines[i]!.text) || !DELIMITER_ROW.test(lines[i + 1]!.text) || !lines[i + 1]!.text.includes('-')) continue;
    let last = i + 1;
    while (last + 1 < lines.length && PIPE_ROW.test(lines[last + 1]!.text)) last++;
    const rows = lines.slice(i, last + 1).map((line) => line.text.replace(/^\s*\||\|\s*$/g, '').split('|').map((cell) => cell.trim()));
    tables.push({ start: lines[i]!.start, end: lines[last]!.end, header_rows: 2, rows });
    i = last;
  }
  return tables;
}
