// Textract's analysis (LAYOUT + TABLES) to the same blocks the local extractor makes. Layout blocks
// come in reading order; each names the LINEs it holds. A LAYOUT_TABLE takes its cells from the
// TABLE block it covers; page headers, footers, page numbers and figures are dropped, as the seed did.
import type { Block as TextractBlock } from '@aws-sdk/client-textract';
import { renderPage, normalizeSpace, type Block, type RenderedPage } from './layout-blocks.ts';

const KIND: Record<string, Exclude<Block['kind'], 'table'> | undefined> = {
  LAYOUT_TITLE: 'title', LAYOUT_SECTION_HEADER: 'header', LAYOUT_TEXT: 'text', LAYOUT_KEY_VALUE: 'key_value',
};

type ById = Map<string, TextractBlock>;

const children = (block: TextractBlock, byId: ById) =>
  (block.Relationships ?? []).filter((r) => r.Type === 'CHILD').flatMap((r) => r.Ids ?? []).map((id) => byId.get(id)).filter((b): b is TextractBlock => b !== undefined);

function textOf(block: TextractBlock, byId: ById): string {
  if (block.BlockType === 'WORD' || block.BlockType === 'LINE') return block.Text ?? '';
  if (block.BlockType === 'SELECTION_ELEMENT') return block.SelectionStatus === 'SELECTED' ? '[X]' : '[ ]';
  return normalizeSpace(children(block, byId).map((child) => textOf(child, byId)).join(' '));
}

function overlap(a: TextractBlock, b: TextractBlock): number {
  const p = a.Geometry?.BoundingBox, q = b.Geometry?.BoundingBox;
  if (!p || !q) return 0;
  const w = Math.min((p.Left ?? 0) + (p.Width ?? 0), (q.Left ?? 0) + (q.Width ?? 0)) - Math.max(p.Left ?? 0, q.Left ?? 0);
  const h = Math.min((p.Top ?? 0) + (p.Height ?? 0), (q.Top ?? 0) + (q.Height ?? 0)) - Math.max(p.Top ?? 0, q.Top ?? 0);
  return Math.max(0, w) * Math.max(0, h);
}

function tableOf(table: TextractBlock, byId: ById): Block {
  const cells = children(table, byId).filter((cell) => cell.BlockType === 'CELL');
  const rowCount = Math.max(0, ...cells.map((c) => c.RowIndex ?? 0));
  const columnCount = Math.max(0, ...cells.map((c) => c.ColumnIndex ?? 0));
  const rows = Array.from({ length: rowCount }, () => Array<string>(columnCount).fill(''));
  for (const cell of cells) rows[(cell.RowIndex ?? 1) - 1]![(cell.ColumnIndex ?? 1) - 1] = textOf(cell, byId);
  const headerRows = Math.max(0, ...cells.filter((c) => c.EntityTypes?.includes('COLUMN_HEADER')).map((c) => c.RowIndex ?? 0));
  return { kind: 'table', rows, headerRows };
}

function pageBlocks(layout: TextractBlock[], tables: TextractBlock[], byId: ById): Block[] {
  const blocks: Block[] = [];
  for (const block of layout) {
    if (block.BlockType === 'LAYOUT_LIST') {
      for (const item of children(block, byId)) blocks.push({ kind: 'list_element', text: textOf(item, byId) });
    } else if (block.BlockType === 'LAYOUT_TABLE') {
      const table = [...tables].sort((a, b) => overlap(b, block) - overlap(a, block))[0];
      blocks.push(table && overlap(table, block) > 0 ? tableOf(table, byId) : { kind: 'text', text: textOf(block, byId) });
    } else {
      const kind = KIND[block.BlockType ?? ''];
      if (kind) blocks.push({ kind, text: textOf(block, byId) });
    }
  }
  return blocks;
}

/** The pages of a Textract document analysis, from all its result pages' blocks. */
export function textractPages(all: TextractBlock[]): RenderedPage[] {
  const byId: ById = new Map(all.filter((b) => b.Id).map((b) => [b.Id!, b]));
  const inList = new Set(all.filter((b) => b.BlockType === 'LAYOUT_LIST').flatMap((b) => children(b, byId)));
  const byPage = new Map<number, TextractBlock[]>();
  for (const block of all) {
    const page = block.Page ?? 1;
    if (!byPage.has(page)) byPage.set(page, []);
    byPage.get(page)!.push(block);
  }
  const pageCount = Math.max(0, ...byPage.keys());
  return Array.from({ length: pageCount }, (_, i) => {
    const onPage = byPage.get(i + 1) ?? [];
    const layout = onPage.filter((b) => b.BlockType?.startsWith('LAYOUT_') && !inList.has(b));
    // Without layout blocks (an analysis without LAYOUT), the lines are the text.
    const blocks = layout.length > 0
      ? pageBlocks(layout, onPage.filter((b) => b.BlockType === 'TABLE'), byId)
      : onPage.filter((b) => b.BlockType === 'LINE').map((b) => ({ kind: 'text' as const, text: b.Text ?? '' }));
    return renderPage(i + 1, blocks);
  });
}
