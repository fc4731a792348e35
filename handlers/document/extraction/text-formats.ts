// Text, Markdown, JSON, JSONL and CSV: the content itself is the page (the chunkers parse JSON and
// read Markdown headings), checked to be what it claims so a broken file fails here with its line.
import { ExtractionFailure, type DocumentFormat } from './ports.ts';
import { verbatimPage, type RenderedPage } from './layout-blocks.ts';
import { parseCsv } from './csv.ts';

export type TextFormat = Extract<DocumentFormat, 'text' | 'markdown' | 'json' | 'jsonl' | 'csv'>;

export const TEXT_FORMATS = new Set<DocumentFormat>(['text', 'markdown', 'json', 'jsonl', 'csv']);

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ExtractionFailure('CORRUPT_FILE', 'The file is not valid UTF-8 text.');
  }
}

function parseJson(text: string, where: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ExtractionFailure('CORRUPT_FILE', `${where} is not valid JSON (${(error as Error).message}).`);
  }
}

export function extractTextFormat(format: TextFormat, bytes: Uint8Array): RenderedPage[] {
  const content = decodeUtf8(bytes);
  switch (format) {
    case 'text':
      // A form feed is the one page break plain text has (pdftotext and enscript write it).
      return content.split('\f').map((page, i) => verbatimPage(i + 1, page));
    case 'markdown':
      return [verbatimPage(1, content)];
    case 'json':
      parseJson(content, 'The file');
      return [verbatimPage(1, content)];
    case 'jsonl':
      content.split('\n').forEach((line, i) => { if (line.trim() !== '') parseJson(line, `Line ${i + 1}`); });
      return [verbatimPage(1, content)];
    case 'csv': {
      const rows = parseCsv(content);
      const page = verbatimPage(1, content);
      if (rows.length > 0) page.tables.push({ page_number: 1, table_index: 0, rows, header_rows: 1 });
      return [page];
    }
  }
}
