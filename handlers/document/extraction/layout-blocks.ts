// The layout every extractor produces, whatever the source: blocks in reading order, each a kind
// the seed's Textract output tagged (`<title>`, `<header>`, `<text>`, `<list_element>`, `<table>`,
// `<key_value>`). One renderer turns them into a page's tagged `page_text`, its plain `text` and its tables,
// so PDF, OCR, HTML, DOCX and Textract pages all look alike downstream.
import type { ExtractedPage, ExtractedTable } from './ports.ts';

export type BlockKind = 'title' | 'header' | 'text' | 'list_element' | 'key_value' | 'table';

export type Block =
  | { kind: Exclude<BlockKind, 'table'>; text: string }
  | { kind: 'table'; rows: string[][]; headerRows: number };

/** Between two blocks, as the seed's linearizer (textractor's `layout_element_separator`). */
const BLOCK_SEPARATOR = '\n\n';

/** A table as the seed linearized it: cells separated by tabs, rows by newlines. */
export const tableText = (rows: string[][]) => rows.map((row) => row.join('\t')).join('\n');

const blockText = (block: Block) => (block.kind === 'table' ? tableText(block.rows) : block.text);

export interface RenderedPage {
  page: ExtractedPage;
  tables: ExtractedTable[];
}

export function renderPage(pageNumber: number, blocks: Block[], ocr = false): RenderedPage {
  const kept = blocks.filter((block) => blockText(block).trim() !== '');
  const tables: ExtractedTable[] = [];
  for (const block of kept) {
    if (block.kind === 'table') tables.push({ page_number: pageNumber, table_index: tables.length, rows: block.rows, header_rows: block.headerRows });
  }
  return {
    page: {
      page_number: pageNumber,
      page_text: kept.map((block) => `<${block.kind}>${blockText(block)}</${block.kind}>`).join(BLOCK_SEPARATOR),
      text: kept.map(blockText).join(BLOCK_SEPARATOR),
      ocr,
    },
    tables,
  };
}

/** A page whose text is the file's content as it is (text, Markdown, JSON…): the chunkers parse it. */
export const verbatimPage = (pageNumber: number, content: string): RenderedPage => ({
  page: { page_number: pageNumber, page_text: content, text: content, ocr: false },
  tables: [],
});

/** Collapses runs of whitespace, as text laid out on a page reads. */
export const normalizeSpace = (text: string) => text.replace(/\s+/g, ' ').trim();
