// Fragments that share a baseline form a row (a text line, or a table row), left to right.
import type { Fragment } from './pdf-fragments.ts';

export function rowsOf(fragments: Fragment[]): Fragment[][] {
  const sorted = [...fragments].sort((a, b) => a.bottom - b.bottom || a.x0 - b.x0);
  const rows: Fragment[][] = [];
  let row: Fragment[] = [];
  let baseline = Number.NEGATIVE_INFINITY;
  for (const fragment of sorted) {
    if (row.length > 0 && fragment.bottom - baseline > Math.min(fragment.size, row[0]!.size) * 0.5) {
      rows.push(row);
      row = [];
    }
    if (row.length === 0) baseline = fragment.bottom;
    row.push(fragment);
  }
  if (row.length > 0) rows.push(row);
  for (const r of rows) r.sort((a, b) => a.x0 - b.x0);
  return rows;
}

/** The text of fragments on one line, left to right. */
export const joinFragments = (fragments: Fragment[]) => fragments.map((f) => f.text).join(' ');
