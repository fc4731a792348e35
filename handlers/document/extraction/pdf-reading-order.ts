// Reading order by XY-cut: a region is split at its empty bands, down (left to right) at its
// gutters when it has any, else across (top to bottom), and each part is cut again until it is
// one line. So a two-column page is read column after column, and a title or a table across both
// columns (which no gutter runs through) is cut off above them first.
// Tables are found first in each region — runs of rows of short cells that line up — and stand in
// the cut as one box, so a table's column gap never passes for a gutter and a table is read row by row.
import type { Fragment } from './pdf-fragments.ts';
import { rowsOf } from './pdf-rows.ts';
import { detectTable, type DetectedTable } from './pdf-tables.ts';

export type Region = { kind: 'lines'; lines: Fragment[][] } | { kind: 'table'; table: DetectedTable };

/** A vertical band narrower than this (in font sizes) is a space between words, not a gutter. */
const MIN_GUTTER = 0.9;
/** A row whose fragments are all narrower than this share of the region's width may be a table row. */
const MAX_CELL_SHARE = 0.4;
/** Bands at least this share of the widest are cut together (equal paragraph or line gaps). */
const BATCH = 0.9;
/** Deeper than this, the page is pathological: read what is left as lines. */
const MAX_DEPTH = 100;

interface Gap { from: number; to: number }

/** The empty bands between the fragments' [start, end) ranges, in order. */
function gapsOf(fragments: Fragment[], start: (f: Fragment) => number, end: (f: Fragment) => number): Gap[] {
  const sorted = [...fragments].sort((a, b) => start(a) - start(b));
  let reach = end(sorted[0]!);
  const gaps: Gap[] = [];
  for (const f of sorted) {
    if (start(f) > reach) gaps.push({ from: reach, to: start(f) });
    reach = Math.max(reach, end(f));
  }
  return gaps;
}

const widest = (gaps: Gap[]) => gaps.reduce((max, g) => Math.max(max, g.to - g.from), 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function tableBox(cells: Fragment[], table: DetectedTable): Fragment {
  return {
    text: '', table, size: median(cells.map((f) => f.size)), font: '',
    x0: Math.min(...cells.map((f) => f.x0)), x1: Math.max(...cells.map((f) => f.x1)),
    top: Math.min(...cells.map((f) => f.top)), bottom: Math.max(...cells.map((f) => f.bottom)),
  };
}

/** Runs of rows made only of short cells that line up are tables: each becomes one box. */
function boxTables(fragments: Fragment[]): Fragment[] {
  const width = Math.max(...fragments.map((f) => f.x1)) - Math.min(...fragments.map((f) => f.x0));
  const tableLike = (row: Fragment[]) => row.length >= 2 && row.every((f) => !f.table && f.x1 - f.x0 < width * MAX_CELL_SHARE);
  const out: Fragment[] = [];
  let run: Fragment[][] = [];
  // The run may start or end with rows that only look like table rows (two short lines side by
  // side): the longest stretch of it that is a table is boxed, and the search goes on after it.
  const endRun = () => {
    let start = 0;
    while (start < run.length) {
      let found = false;
      for (let end = run.length; end - start >= 2 && !found; end--) {
        const cells = run.slice(start, end).flat();
        const table = detectTable(cells);
        if (table) { out.push(tableBox(cells, table)); start = end; found = true; }
      }
      if (!found) out.push(...run[start++]!);
    }
    run = [];
  };
  for (const row of rowsOf(fragments)) {
    if (tableLike(row)) run.push(row);
    else { endRun(); out.push(...row); }
  }
  endRun();
  return out;
}

/** Splits fragments at the gaps (by where each fragment starts), keeping order. */
function splitAt(fragments: Fragment[], gaps: Gap[], start: (f: Fragment) => number): Fragment[][] {
  const parts: Fragment[][] = Array.from({ length: gaps.length + 1 }, () => []);
  for (const f of fragments) {
    let i = 0;
    while (i < gaps.length && start(f) >= gaps[i]!.to) i++;
    parts[i]!.push(f);
  }
  return parts.filter((part) => part.length > 0);
}

const top = (f: Fragment) => f.top;
const bottom = (f: Fragment) => f.bottom;
const left = (f: Fragment) => f.x0;
const right = (f: Fragment) => f.x1;

function cut(region: Fragment[], out: Region[], depth: number): void {
  const fragments = region.length > 3 ? boxTables(region) : region;
  if (fragments.length === 1 && fragments[0]!.table) {
    out.push({ kind: 'table', table: fragments[0]!.table });
    return;
  }
  const across = gapsOf(fragments, top, bottom);
  const minGutter = MIN_GUTTER * median(fragments.map((f) => f.size));
  const down = gapsOf(fragments, left, right).filter((g) => g.to - g.from >= minGutter);
  if (depth >= MAX_DEPTH || (across.length === 0 && down.length === 0)) {
    for (const f of fragments) if (f.table) out.push({ kind: 'table', table: f.table });
    out.push({ kind: 'lines', lines: rowsOf(fragments.filter((f) => !f.table)) });
    return;
  }
  // Columns first: a gutter running through the whole region is cut before any band across it,
  // since bands across two columns may be gaps they happen to share (a column that ends early).
  // Bands about as wide as the widest are cut together (equal line or paragraph gaps).
  const widestDown = widest(down);
  const parts = down.length > 0
    ? splitAt(fragments, down.filter((g) => g.to - g.from >= widestDown * BATCH), left)
    : splitAt(fragments, across.filter((g) => g.to - g.from >= widest(across) * BATCH), top);
  for (const part of parts) cut(part, out, depth + 1);
}

/** The page's text regions and tables in reading order. */
export function readingOrder(fragments: Fragment[]): Region[] {
  const out: Region[] = [];
  if (fragments.length > 0) cut(fragments, out, 0);
  return out;
}
