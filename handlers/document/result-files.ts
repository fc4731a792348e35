// The result files: extracted_text.json and extracted_tables.json in the AWS sample's shapes (plus
// fields), and the chunker's input rebuilt from extracted_text.json.
import type { ExtractedTable, Extraction } from './extraction/ports.ts';
import { tableText } from './extraction/layout-blocks.ts';
import { PAGE_SEPARATOR, type ChunkSource } from './chunking/ports.ts';
import type { Schemas } from './views.ts';

export function textDocument(jobId: string, fileName: string, extraction: Extraction): Schemas['ExtractedText'] {
  return {
    job_id: jobId,
    file_name: fileName,
    format: extraction.format,
    pages: extraction.pages.map(({ page_number, page_text, text, ocr }) => ({ page_number, page_text, text, ocr })),
  };
}

/** Per page, each table as the AWS sample linearised it (tab between cells, a line a row), and every table's cells. */
export function tablesDocument(jobId: string, fileName: string, extraction: Extraction): Schemas['ExtractedTables'] {
  return {
    job_id: jobId,
    file_name: fileName,
    pages: extraction.pages.map(({ page_number }) => ({
      page_number,
      tables: extraction.tables.filter((t) => t.page_number === page_number).map((t) => `<table>${tableText(t.rows)}</table>`),
    })),
    tables: extraction.tables,
  };
}

const CHUNK_FORMATS: Record<string, ChunkSource['format']> = { markdown: 'markdown', json: 'json', jsonl: 'jsonl' };

/**
 * The file's plain text (pages joined with PAGE_SEPARATOR), where each page lies in it, and, when
 * given, where each table's rows lie (the extractor writes a table into `text` as tab-separated lines).
 */
export function chunkSource(doc: Schemas['ExtractedText'], tables: ExtractedTable[] = []): ChunkSource {
  const pages: ChunkSource['pages'] = [];
  const texts: string[] = [];
  let at = 0;
  for (const page of doc.pages) {
    if (texts.length > 0) at += PAGE_SEPARATOR.length;
    const text = page.text ?? page.page_text;
    pages.push({ page_number: page.page_number, start: at, end: at + text.length });
    texts.push(text);
    at += text.length;
  }
  const text = texts.join(PAGE_SEPARATOR);
  const located: NonNullable<ChunkSource['tables']> = [];
  const searchFrom = new Map<number, number>();
  for (const table of tables) {
    const page = pages.find((p) => p.page_number === table.page_number);
    if (!page) continue;
    const needle = tableText(table.rows);
    const start = text.indexOf(needle, searchFrom.get(page.page_number) ?? page.start);
    if (start < 0 || start + needle.length > page.end) continue;
    located.push({ start, end: start + needle.length, header_rows: table.header_rows, rows: table.rows });
    searchFrom.set(page.page_number, start + needle.length);
  }
  return { text, pages, ...(located.length > 0 && { tables: located }), format: CHUNK_FORMATS[doc.format ?? ''] ?? 'text' };
}
