// Lines in reading order to layout blocks: consecutive lines of one size, close together and in
// the same column, are one paragraph; a line much larger than the body text is a title or a
// header; a line that starts with a bullet or a number starts a list element, and the indented
// lines under it continue it.
import type { Block } from './layout-blocks.ts';
import type { Fragment } from './pdf-fragments.ts';
import type { Region } from './pdf-reading-order.ts';
import { joinFragments } from './pdf-rows.ts';

/** Font size ratios to the body text's size. */
const TITLE_RATIO = 1.45;
const HEADER_RATIO = 1.12;
/** Lines further apart than this (in font sizes, bottom to top) are separate paragraphs. */
const PARAGRAPH_GAP = 0.6;
const BULLET = /^([•◦▪‣●○■□▸►✓–*-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s/;

interface Line { text: string; x0: number; x1: number; top: number; bottom: number; size: number; kind: 'title' | 'header' | 'text' | 'list_element' }

function lineOf(row: Fragment[], bodySize: number): Line {
  const text = joinFragments(row);
  const size = Math.max(...row.map((f) => f.size));
  const kind = size >= bodySize * TITLE_RATIO ? 'title' : size >= bodySize * HEADER_RATIO ? 'header' : BULLET.test(text) ? 'list_element' : 'text';
  return { text, size, kind, x0: row[0]!.x0, x1: Math.max(...row.map((f) => f.x1)), top: Math.min(...row.map((f) => f.top)), bottom: Math.max(...row.map((f) => f.bottom)) };
}

/** Whether `next` continues the block whose first line is `first` and last line is `last`. */
function continues(first: Line, last: Line, next: Line): boolean {
  const gap = next.top - last.bottom;
  const sameColumn = next.x0 < last.x1 && next.x1 > last.x0;
  if (gap < -last.size * 0.3 || gap > last.size * PARAGRAPH_GAP || !sameColumn || Math.abs(next.size - last.size) > 0.5) return false;
  if (first.kind === 'list_element') return next.kind === 'text' && next.x0 > first.x0 + first.size * 0.5;
  return next.kind === first.kind && (next.kind !== 'text' || next.x0 <= first.x0 + first.size);
}

/** The font size most of the document's characters are set in. */
export function bodySizeOf(fragments: Iterable<Fragment>): number {
  const chars = new Map<number, number>();
  for (const f of fragments) {
    const size = Math.round(f.size * 2) / 2;
    chars.set(size, (chars.get(size) ?? 0) + f.text.length);
  }
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
}

export function blocksOf(regions: Region[], bodySize: number): Block[] {
  const blocks: Block[] = [];
  let open: { first: Line; last: Line; texts: string[] } | undefined;
  const close = () => {
    if (open) blocks.push({ kind: open.first.kind, text: open.texts.join(' ') });
    open = undefined;
  };
  for (const region of regions) {
    if (region.kind === 'table') {
      close();
      blocks.push({ kind: 'table', rows: region.table.rows, headerRows: region.table.headerRows });
      continue;
    }
    for (const row of region.lines) {
      const line = lineOf(row, bodySize);
      if (open && continues(open.first, open.last, line)) {
        open.texts.push(line.text);
        open.last = line;
      } else {
        close();
        open = { first: line, last: line, texts: [line.text] };
      }
    }
  }
  close();
  return blocks;
}
