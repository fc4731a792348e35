// The result files: extracted_text.json and extracted_tables.json in the AWS sample's shapes (plus
// fields), and the chunker's input rebuilt from extracted_text.json.
import type { Extraction } from './extraction/ports.ts';
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
      tables: extraction.tables.filter((t) => t.page_number === page_number).map((t) => `<table>${t.rows.map((row) => row.join('\t')).join('\n')}</table>`),
    })),
    tables: extraction.tables,
  };
}

const CHUNK_FORMATS: Record<string, ChunkSource['format']> = { markdown: 'markdown', json: 'json', jsonl: 'jsonl' };

/** The file's plain text (pages joined with PAGE_SEPARATOR) and where each page lies in it. */
export function chunkSource(doc: Schemas['ExtractedText']): ChunkSource {
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
  return { text: texts.join(PAGE_SEPARATOR), pages, format: CHUNK_FORMATS[doc.format ?? ''] ?? 'text' };
}
