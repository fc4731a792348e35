// Which format a file is: the name says what the uploader claims, the first bytes say what it is.
// The service calls detectFormat at upload/start so a `.pdf` that is not a PDF fails that file
// (FORMAT_MISMATCH) before any extractor runs; the extractors call it again on the bytes they read.
import { DOCX, SNIFF_BYTES, sniffContentType } from '../../platform/blobs/sniff.ts';
import { ExtractionFailure, type DocumentFormat } from './ports.ts';

/** Bytes detectFormat needs from the start of the file. */
export const FORMAT_HEAD_BYTES = SNIFF_BYTES;

const BY_EXTENSION: Record<string, DocumentFormat> = {
  pdf: 'pdf', png: 'png', jpg: 'jpeg', jpeg: 'jpeg', tif: 'tiff', tiff: 'tiff', docx: 'docx',
  html: 'html', htm: 'html', md: 'markdown', markdown: 'markdown', txt: 'text', text: 'text',
  json: 'json', jsonl: 'jsonl', ndjson: 'jsonl', csv: 'csv',
};

const BY_CONTENT_TYPE: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/tiff': 'tiff', [DOCX]: 'docx',
};

const BINARY_FORMATS = new Set<DocumentFormat>(Object.values(BY_CONTENT_TYPE));

/** Formats a page image can be OCR'd from. */
export const IMAGE_FORMATS = new Set<DocumentFormat>(['png', 'jpeg', 'tiff']);

/** The lower-cased extension of a file name, or '' when it has none. */
export const extensionOf = (fileName: string) => /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

/** The format a file name claims, or undefined for a name we do not read. */
export const formatOfName = (fileName: string): DocumentFormat | undefined => BY_EXTENSION[extensionOf(fileName)];

/** Text formats must be UTF-8 without NUL bytes; a cut-off multi-byte character at the end of the head is fine. */
function looksLikeUtf8Text(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * The format of a file from its name and its first bytes (FORMAT_HEAD_BYTES are enough).
 * Throws UNSUPPORTED_FORMAT for a name we do not read, FORMAT_MISMATCH when the bytes are another format.
 */
export function detectFormat(fileName: string, head: Uint8Array): DocumentFormat {
  const claimed = formatOfName(fileName);
  if (!claimed) throw new ExtractionFailure('UNSUPPORTED_FORMAT', `"${fileName}" is not a format the extractor reads (pdf, png, jpg, tiff, docx, html, md, txt, json, jsonl, csv).`);
  const contentType = sniffContentType(head);
  const sniffed = contentType ? BY_CONTENT_TYPE[contentType] : undefined;
  if (sniffed === claimed) return claimed;
  if (BINARY_FORMATS.has(claimed)) {
    const actual = contentType ? `are ${contentType}` : `are not a ${claimed.toUpperCase()} file`;
    throw new ExtractionFailure('FORMAT_MISMATCH', `"${fileName}" is named as ${claimed.toUpperCase()} but its bytes ${actual}.`);
  }
  if (contentType || !looksLikeUtf8Text(head)) {
    throw new ExtractionFailure('FORMAT_MISMATCH', `"${fileName}" is named as ${claimed} text but its bytes are ${contentType ?? 'binary, not UTF-8 text'}.`);
  }
  return claimed;
}
