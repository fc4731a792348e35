// A table is a region whose rows all have two or more cells and whose cells line up in columns:
// the x-ranges of every fragment, merged, give the columns, and each row fills at least two of
// them. Prose columns line up too, so a region with a wide column of long, similar lines (a text
// column, not a table column) is not a table.
import type { Fragment } from './pdf-fragments.ts';
import { joinFragments, rowsOf } from './pdf-rows.ts';

export interface DetectedTable {
  rows: string[][];
  headerRows: number;
}

/** A column wider than this share of the region, filled this much by its lines, is a text column. */
const TEXT_COLUMN_WIDTH = 0.35;
const TEXT_COLUMN_FILL = 0.75;
/** A row set this much larger or smaller than the table's rows is no row of it. */
const MAX_SIZE_CHANGE = 0.15;
/** A row further below the previous one than this many times the table's row pitch is no row of it. */
const MAX_PITCH_CHANGE = 1.8;
/** Cells made of several fragments, per row, above which the columns are not real. */
const MAX_SPLIT_CELLS = 0.1;

interface Column { x0: number; x1: number }

function columnsOf(fragments: Fragment[]): Column[] {
  const sorted = [...fragments].sort((a, b) => a.x0 - b.x0);
  const columns: Column[] = [];
  for (const f of sorted) {
    const last = columns.at(-1);
    if (last && f.x0 <= last.x1 + 1) last.x1 = Math.max(last.x1, f.x1);
    else columns.push({ x0: f.x0, x1: f.x1 });
  }
  return columns;
}

const columnIndex = (columns: Column[], f: Fragment) => columns.findIndex((c) => f.x0 >= c.x0 - 1 && f.x0 <= c.x1);

function looksLikeTextColumns(fragments: Fragment[], columns: Column[]): boolean {
  const regionWidth = columns.at(-1)!.x1 - columns[0]!.x0;
  return columns.some((column, i) => {
    const width = column.x1 - column.x0;
    const inColumn = fragments.filter((f) => columnIndex(columns, f) === i);
    if (width < regionWidth * TEXT_COLUMN_WIDTH || inColumn.length < 2) return false;
    const fill = inColumn.reduce((sum, f) => sum + (f.x1 - f.x0), 0) / (inColumn.length * width);
    return fill > TEXT_COLUMN_FILL;
  });
}

/** The header: a first row set in another font than the body rows, or of words above rows of numbers. */
function headerRowsOf(rows: Fragment[][]): number {
  if (rows.length < 2) return 0;
  const bodyFonts = new Set(rows.slice(1).flat().map((f) => f.font));
  if (rows[0]!.every((f) => !bodyFonts.has(f.font))) return 1;
  const hasDigits = (row: Fragment[]) => row.some((f) => /\d/.test(f.text));
  return !hasDigits(rows[0]!) && rows.slice(1).some(hasDigits) ? 1 : 0;
}

/** Rows of one table are set in one size and at an even pitch: a heading or a paragraph's line beside it is not a row. */
function evenRows(rows: Fragment[][]): boolean {
  const sizes = rows.map((row) => Math.max(...row.map((f) => f.size)));
  const size = median(sizes);
  if (sizes.some((s) => Math.abs(s - size) > size * MAX_SIZE_CHANGE)) return false;
  const pitches = rows.slice(1).map((row, i) => row[0]!.bottom - rows[i]![0]!.bottom);
  const pitch = median(pitches);
  return pitches.every((p) => p <= pitch * MAX_PITCH_CHANGE);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export function detectTable(fragments: Fragment[]): DetectedTable | undefined {
  const rows = rowsOf(fragments);
  if (rows.length < 2 || rows.some((row) => row.length < 2) || !evenRows(rows)) return undefined;
  const columns = columnsOf(fragments);
  if (columns.length < 2 || looksLikeTextColumns(fragments, columns)) return undefined;
  const cells = rows.map((row) => {
    const byColumn = columns.map(() => [] as Fragment[]);
    for (const f of row) byColumn[columnIndex(columns, f)]?.push(f);
    return byColumn;
  });
  if (cells.some((row) => row.filter((cell) => cell.length > 0).length < 2)) return undefined;
  // A cell is one fragment: two in one column of a row means two columns were merged by a
  // fragment across both (a text line beside the table, taken for a row).
  const split = cells.reduce((n, row) => n + row.filter((cell) => cell.length > 1).length, 0);
  if (split > rows.length * MAX_SPLIT_CELLS) return undefined;
  return { rows: cells.map((row) => row.map(joinFragments)), headerRows: headerRowsOf(rows) };
}
