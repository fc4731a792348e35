// How figures read on the portal.
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export const count = (n: number) => (n >= 100_000 ? compact.format(n) : integer.format(n));
export const usd = (n: number) => (n === 0 ? '$0' : n < 0.01 ? `$${n.toPrecision(2)}` : `$${n.toFixed(2)}`);
export const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
export const when = (iso: string) => new Date(iso).toLocaleString();

export const UNIT_LABELS = {
  input_tokens: 'Input tokens',
  output_tokens: 'Output tokens',
  pages: 'Pages',
  ocr_pages: 'OCR pages',
  textract_pages: 'Textract pages',
  chunks: 'Chunks',
  vectors: 'Vectors',
  queries: 'Queries',
} as const;
