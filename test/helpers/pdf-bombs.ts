// Hostile PDFs, written object by object: a page tree claiming a billion pages, a content stream
// that inflates to hundreds of megabytes of text operators, and an object nested deeper than any
// parser's stack.
import { deflateSync } from 'node:zlib';

/** A PDF from its objects' bodies (object n is bodies[n-1]), with a correct cross-reference table. */
export function pdfOf(bodies: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  bodies.forEach((body, i) => {
    offsets.push(length);
    const part = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.from(body), Buffer.from('\nendobj\n')]);
    parts.push(part);
    length += part.length;
  });
  const xref = [`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}

const stream = (dict: string, data: Buffer) => Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, Buffer.from('\nendstream')]);
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

/** A million pages in a few kilobytes: a page tree of 1,000 nodes that are one node of 1,000 kids that are one page. */
export const pageCountBomb = () => pdfOf([
  '<< /Type /Catalog /Pages 2 0 R >>',
  `<< /Type /Pages /Kids [${'6 0 R '.repeat(1000)}] /Count 1000000 >>`,
  '<< /Type /Page /Parent 6 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
  stream('', Buffer.from('BT /F1 12 Tf 72 720 Td (Hello) Tj ET')),
  FONT,
  `<< /Type /Pages /Parent 2 0 R /Kids [${'3 0 R '.repeat(1000)}] /Count 1000 >>`,
]);

/** A page whose compressed content stream inflates to `megabytes` MB of show-text operators. */
export function decompressionBomb(megabytes: number): Buffer {
  const line = Buffer.from('(AAAA) Tj 0 -14 Td\n');
  const content = Buffer.concat([Buffer.from('BT /F1 12 Tf 72 720 Td\n'), Buffer.alloc(megabytes * 1024 * 1024, line), Buffer.from('ET')]);
  return pdfOf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    stream('/Filter /FlateDecode', deflateSync(content, { level: 1 })),
    FONT,
  ]);
}

/** A page whose resources hold an array nested `depth` levels deep. */
export const deepNesting = (depth: number) => pdfOf([
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /Deep ${'['.repeat(depth)}${']'.repeat(depth)} >> >>`,
  stream('', Buffer.from('BT /F1 12 Tf 72 720 Td (Hello) Tj ET')),
  FONT,
]);
