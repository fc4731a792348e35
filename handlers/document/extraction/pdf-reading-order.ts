// Reading order by recursive XY-cut: split a region at its widest empty band, across (top, then
// bottom) or down (left, then right), whichever is wider, until a region has no empty band left:
// then it is a few lines, read top to bottom. A column gutter is wider than the gap between two
// lines, so columns are read one after the other; a heading across both columns is cut off first.
// Tables are kept whole and read row by row: full-width ones are found on the page's rows first
// and stand in the cut as one box (so a table column gap never passes for a gutter), and tables
// inside a column are found when the cut reaches their region.
import type { Fragment } from './pdf-fragments.ts';
import { rowsOf } from './pdf-rows.ts';
import { detectTable, type DetectedTable } from './pdf-tables.ts';

export type Region = { kind: 'lines'; lines: Fragment[][] } | { kind: 'table'; table: DetectedTable };

/** A vertical band narrower than this (in font sizes) is a space between words, not a gutter. */
const MIN_GUTTER = 0.9;
/** A row whose fragments are all narrower than this share of the page's text width may be a table row. */
const MAX_CELL_SHARE = 0.35;
/** Deeper than this, the page is pathological: read what is left as lines. */
const MAX_DEPTH = 200;

interface Gap { at: number; size: number }

function widestGap(fragments: Fragment[], start: (f: Fragment) => number, end: (f: Fragment) => number): Gap | undefined {
  const sorted = [...fragments].sort((a, b) => start(a) - start(b));
  let reach = end(sorted[0]!);
  let best: Gap | undefined;
  for (const f of sorted.slice(1)) {
    const size = start(f) - reach;
    if (size > 0 && (!best || size > best.size)) best = { at: reach + size / 2, size };
    reach = Math.max(reach, end(f));
  }
  return best;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Runs of page rows made only of short cells that line up are tables: each becomes one box. */
function boxFullWidthTables(fragments: Fragment[]): Fragment[] {
  if (fragments.length === 0) return fragments;
  const width = Math.max(...fragments.map((f) => f.x1)) - Math.min(...fragments.map((f) => f.x0));
  const tableLike = (row: Fragment[]) => row.length >= 2 && row.every((f) => f.x1 - f.x0 < width * MAX_CELL_SHARE);
  const out: Fragment[] = [];
  let run: Fragment[][] = [];
  const endRun = () => {
    const cells = run.flat();
    const table = run.length >= 2 ? detectTable(cells) : undefined;
    if (table) {
      out.push({
        text: '', table, size: median(cells.map((f) => f.size)), font: '',
        x0: Math.min(...cells.map((f) => f.x0)), x1: Math.max(...cells.map((f) => f.x1)),
        top: Math.min(...cells.map((f) => f.top)), bottom: Math.max(...cells.map((f) => f.bottom)),
      });
    } else out.push(...cells);
    run = [];
  };
  for (const row of rowsOf(fragments)) {
    if (tableLike(row)) run.push(row);
    else { endRun(); out.push(...row); }
  }
  endRun();
  return out;
}

function cut(fragments: Fragment[], out: Region[], depth: number): void {
  if (fragments.length === 0) return;
  if (fragments.length === 1 && fragments[0]!.table) {
    out.push({ kind: 'table', table: fragments[0]!.table });
    return;
  }
  const table = fragments.some((f) => f.table) ? undefined : detectTable(fragments);
  if (table) {
    out.push({ kind: 'table', table });
    return;
  }
  const across = widestGap(fragments, (f) => f.top, (f) => f.bottom);
  const down = widestGap(fragments, (f) => f.x0, (f) => f.x1);
  const gutter = down && down.size >= MIN_GUTTER * median(fragments.map((f) => f.size)) ? down : undefined;
  if (depth >= MAX_DEPTH || (!across && !gutter)) {
    for (const f of fragments) if (f.table) out.push({ kind: 'table', table: f.table });
    out.push({ kind: 'lines', lines: rowsOf(fragments.filter((f) => !f.table)) });
    return;
  }
  const [first, second] = gutter && (!across || gutter.size > across.size)
    ? [fragments.filter((f) => f.x0 < gutter.at), fragments.filter((f) => f.x0 >= gutter.at)]
    : [fragments.filter((f) => f.top < across!.at), fragments.filter((f) => f.top >= across!.at)];
  cut(first, out, depth + 1);
  cut(second, out, depth + 1);
}

/** The page's text regions and tables in reading order. */
export function readingOrder(fragments: Fragment[]): Region[] {
  const out: Region[] = [];
  cut(boxFullWidthTables(fragments), out, 0);
  return out;
}
