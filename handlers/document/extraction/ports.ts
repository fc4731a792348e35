// The extraction port: one file's bytes in, its text page by page (with the seed's layout tags)
// and its tables out. Each extractor runs a file in a worker thread with a time and memory limit,
// so a hostile file fails that file, never the process.

/** What the bytes are, sniffed from the bytes themselves (never trusted from the name alone). */
export type DocumentFormat = 'pdf' | 'png' | 'jpeg' | 'tiff' | 'docx' | 'html' | 'markdown' | 'text' | 'json' | 'jsonl' | 'csv';

export interface ExtractedPage {
  /** 1-based. Formats without pages (DOCX, HTML, text…) are one page, or pages split at explicit page breaks. */
  page_number: number;
  /** The seed's shape: text in reading order with layout tags (`<title>`, `<header>`, `<text>`, `<table>`, `<list_element>` …). */
  page_text: string;
  /** The same content as plain text in reading order, no tags: what the chunkers read and offsets point into. */
  text: string;
  /** This page's text came from OCR (no text layer). */
  ocr: boolean;
}

export interface ExtractedTable {
  page_number: number;
  /** 0-based position of the table on its page. */
  table_index: number;
  /** Cell text, row by row; the first `header_rows` rows are the header. */
  rows: string[][];
  header_rows: number;
}

export interface Extraction {
  format: DocumentFormat;
  pages: ExtractedPage[];
  tables: ExtractedTable[];
  /** For metering: pages read, and how many of them through OCR or Textract. */
  stats: { pages: number; ocrPages: number; textractPages: number };
}

export interface ExtractionLimits {
  /** Wall time for the whole file. */
  timeoutMs: number;
  /** Heap of the worker thread that reads the file. */
  maxMemoryMb: number;
  maxPages: number;
}

/** Why a file could not be read: a stable code per file, shown in the job's file list. */
export type ExtractionFailureCode =
  | 'UNSUPPORTED_FORMAT' // the bytes are no format we read
  | 'FORMAT_MISMATCH' // the name says one format, the bytes another (a `.pdf` that is not a PDF)
  | 'CORRUPT_FILE' // the format is known but the file is broken or encrypted
  | 'TOO_MANY_PAGES'
  | 'RESOURCE_LIMIT' // the file needed more memory than allowed (decompression bombs, deep object graphs)
  | 'EXTRACTION_TIMEOUT'
  | 'EXTRACTION_FAILED'; // anything else (the upstream service failed, …)

export class ExtractionFailure extends Error {
  constructor(readonly code: ExtractionFailureCode, detail: string) {
    super(detail);
  }
}

/** A file to read: its bytes on local disk, the name it was registered under, and where it lives in S3 when it does. */
export interface ExtractorFile {
  path: string;
  fileName: string;
  /** The file's S3 object: Textract reads PDFs and images from there (the local extractor ignores it). */
  source?: { bucket: string; key: string };
}

export interface Extractor {
  /** Reads one file; throws ExtractionFailure when it cannot. */
  extract(file: ExtractorFile, limits: ExtractionLimits): Promise<Extraction>;
  close(): Promise<void>;
}
