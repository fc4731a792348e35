// What a file is, from its first bytes rather than from its name or the uploader's word:
// PDF, PNG, JPEG, TIFF, GIF, and ZIP (DOCX, XLSX and PPTX told apart by their part names).

/** Bytes worth reading for sniffContentType (the part names of an OOXML zip come early). */
export const SNIFF_BYTES = 64 * 1024;

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const SIGNATURES: [number[], string][] = [
  [ascii('%PDF-'), 'application/pdf'],
  [[0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[...ascii('II*'), 0], 'image/tiff'],
  [[...ascii('MM'), 0, 0x2a], 'image/tiff'],
  [ascii('GIF87a'), 'image/gif'],
  [ascii('GIF89a'), 'image/gif'],
];

/** The type the bytes show, or undefined when they show none of the known ones. */
export function sniffContentType(bytes: Uint8Array): string | undefined {
  for (const [signature, type] of SIGNATURES) if (startsWith(bytes, signature)) return type;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // Local file headers name each part; an OOXML package has a part under word/, xl/ or ppt/.
    const names = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (names.includes('word/')) return DOCX;
    if (names.includes('xl/')) return XLSX;
    if (names.includes('ppt/')) return PPTX;
    return 'application/zip';
  }
  return undefined;
}
