// Content types from the first bytes, as the blob download route and the document service see them.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { DOCX, sniffContentType } from '../../handlers/platform/blobs/sniff.ts';
import { contentDisposition } from '../../handlers/platform/blobs/ports.ts';

/** A zip's first local file header naming `name` (enough for the sniffer). */
const zipWith = (...names: string[]) =>
  Buffer.concat(names.map((name) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(22), Buffer.from([name.length, 0, 0, 0]), Buffer.from(name), Buffer.from('compressed bytes')])));

it('knows PDF, PNG, JPEG, TIFF (both byte orders), GIF, DOCX and other zips by their bytes', () => {
  const cases: [Uint8Array, string | undefined][] = [
    [Buffer.from('%PDF-1.4\n%âãÏÓ'), 'application/pdf'],
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    [Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0]), 'image/tiff'],
    [Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 8]), 'image/tiff'],
    [Buffer.from('GIF89a....'), 'image/gif'],
    [Buffer.from('GIF87a....'), 'image/gif'],
    [zipWith('[Content_Types].xml', '_rels/.rels', 'word/document.xml'), DOCX],
    [zipWith('[Content_Types].xml', 'xl/workbook.xml'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    [zipWith('notes.txt'), 'application/zip'],
    [Buffer.from('%PDF'), undefined], // too short to be one
    [Buffer.from('<html><body>hi</body></html>'), undefined],
    [Buffer.from('{"a":1}'), undefined],
    [new Uint8Array(0), undefined],
  ];
  for (const [bytes, type] of cases) assert.equal(sniffContentType(bytes), type, Buffer.from(bytes).subarray(0, 12).toString('latin1'));
});

it('writes Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
  assert.equal(contentDisposition('report.pdf'), `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  assert.equal(contentDisposition('Résumé "final" (2).pdf'), `attachment; filename="R_sum_ _final_ (2).pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20%282%29.pdf`);
});
