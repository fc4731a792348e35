// pdf.js text items to fragments: runs of text on one baseline with no wide gap inside, in top-down
// page coordinates. A fragment is the unit the layout orders: a line of a column, a table cell, a
// heading. Words closer than WORD_GAP font sizes join; a wider gap (a gutter, a cell border) splits.
import type { DetectedTable } from './pdf-tables.ts';

export interface Fragment {
  text: string;
  x0: number;
  x1: number;
  /** Top-down coordinates: top = baseline − font size, bottom = baseline. */
  top: number;
  bottom: number;
  size: number;
  font: string;
  /** Set on the one fragment that stands for a whole table found before the reading order is worked out. */
  table?: DetectedTable;
}

/** A pdf.js text item placed on the page: x and baseline top-down, in points. */
export interface PlacedText {
  str: string;
  x: number;
  baseline: number;
  width: number;
  size: number;
  font: string;
}

/** Wider than a word space (≈0.25–0.35 em) but narrower than a column gutter or a cell gap (≥ 1 em). */
const WORD_GAP = 0.8;
const BULLET_GLYPH = /^\s*[•◦▪‣●○■□▸►✓–-]\s*$/;
/** How far (in font sizes) list text may sit from its bullet. */
const BULLET_INDENT = 3;
/** Below this gap two items touch (kerned pieces of one word). */
const TOUCHING = 0.12;

export function fragmentsOf(items: PlacedText[]): Fragment[] {
  const fragments: Fragment[] = [];
  let current: Fragment | undefined;
  for (const item of items) {
    if (!item.str || item.str.trim() === '') continue;
    const { x, baseline, size } = item;
    const x1 = x + (item.width || size * item.str.length * 0.5);
    const gap = current ? x - current.x1 : 0;
    // A bullet drawn on its own joins the text it marks, however far the text is indented.
    const maxGap = current && BULLET_GLYPH.test(current.text) ? size * BULLET_INDENT : size * WORD_GAP;
    if (current && Math.abs(current.bottom - baseline) < size * 0.3 && gap > -size * 0.5 && gap < maxGap) {
      const space = gap > size * TOUCHING && !current.text.endsWith(' ') && !item.str.startsWith(' ') ? ' ' : '';
      current.text += space + item.str;
      current.x1 = Math.max(current.x1, x1);
      current.size = Math.max(current.size, size);
      continue;
    }
    current = { text: item.str, x0: x, x1, top: baseline - size, bottom: baseline, size, font: item.font };
    fragments.push(current);
  }
  for (const fragment of fragments) fragment.text = fragment.text.replace(/\s+/g, ' ').trim();
  return fragments.filter((fragment) => fragment.text !== '');
}
