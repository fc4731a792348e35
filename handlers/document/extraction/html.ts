// HTML (and DOCX, through mammoth's HTML) to layout blocks: markup stripped, structure kept —
// h1 is the title, h2–h6 headers, li list elements, tables their cells, the rest text paragraphs.
import { Parser } from 'htmlparser2';
import { normalizeSpace, type Block } from './layout-blocks.ts';

/** Elements whose content is not document text. */
const SKIPPED = new Set(['head', 'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'canvas', 'select', 'button']);
/** Elements that end the paragraph before them and start a new one. */
const BREAKS = new Set(['p', 'div', 'section', 'article', 'aside', 'header', 'footer', 'main', 'nav', 'blockquote', 'pre', 'address',
  'dl', 'dt', 'dd', 'figure', 'figcaption', 'form', 'fieldset', 'hr', 'ul', 'ol', 'body', 'details', 'summary', 'caption']);
const HEADINGS: Record<string, 'title' | 'header'> = { h1: 'title', h2: 'header', h3: 'header', h4: 'header', h5: 'header', h6: 'header' };

interface TableState { rows: string[][]; headerRows: number; inHead: boolean; row?: string[]; rowAllHeader: boolean; cell?: string; countingHeader: boolean }

export function htmlToBlocks(html: string): Block[] {
  const blocks: Block[] = [];
  const kinds: ('title' | 'header' | 'list_element')[] = [];
  let buffer = '';
  let skipDepth = 0;
  let tableDepth = 0;
  let table: TableState | undefined;

  const flush = () => {
    const text = normalizeSpace(buffer);
    buffer = '';
    if (text) blocks.push({ kind: kinds.at(-1) ?? 'text', text });
  };

  const openInTable = (name: string) => {
    if (!table || tableDepth !== 1) return;
    if (name === 'thead') table.inHead = true;
    else if (name === 'tr') { table.row = []; table.rowAllHeader = true; }
    else if (name === 'td' || name === 'th') {
      table.cell = '';
      if (name === 'td') table.rowAllHeader = false;
    }
  };

  const closeInTable = (name: string) => {
    if (!table || tableDepth !== 1) return;
    if (name === 'thead') table.inHead = false;
    else if ((name === 'td' || name === 'th') && table.cell !== undefined) {
      (table.row ??= []).push(normalizeSpace(table.cell));
      table.cell = undefined;
    } else if (name === 'tr' && table.row) {
      if (table.row.length > 0) {
        // Header rows: those in <thead>, else the leading rows made only of <th>.
        const isHeader = table.inHead || (table.countingHeader && table.rowAllHeader);
        if (isHeader && table.headerRows === table.rows.length) table.headerRows++;
        else table.countingHeader = false;
        table.rows.push(table.row);
      }
      table.row = undefined;
    }
  };

  const parser = new Parser({
    onopentag(name) {
      if (skipDepth > 0 || SKIPPED.has(name)) { skipDepth++; return; }
      if (name === 'table') {
        if (tableDepth++ === 0) { flush(); table = { rows: [], headerRows: 0, inHead: false, rowAllHeader: true, countingHeader: true }; }
        return;
      }
      if (tableDepth > 0) { openInTable(name); return; }
      if (name in HEADINGS) { flush(); kinds.push(HEADINGS[name]!); }
      else if (name === 'li') { flush(); kinds.push('list_element'); }
      else if (BREAKS.has(name)) flush();
      else if (name === 'br') buffer += ' ';
    },
    ontext(text) {
      if (skipDepth > 0) return;
      if (tableDepth === 0) buffer += text;
      else if (table?.cell !== undefined) table.cell += text;
    },
    onclosetag(name) {
      if (skipDepth > 0) { skipDepth--; return; }
      if (name === 'table' && tableDepth > 0) {
        if (--tableDepth === 0 && table) {
          const width = Math.max(0, ...table.rows.map((row) => row.length));
          const rows = table.rows.map((row) => [...row, ...Array<string>(width - row.length).fill('')]);
          if (rows.length > 0) blocks.push({ kind: 'table', rows, headerRows: table.headerRows });
          table = undefined;
        }
        return;
      }
      if (tableDepth > 0) { closeInTable(name); return; }
      if (name in HEADINGS || name === 'li') { flush(); kinds.pop(); }
      else if (BREAKS.has(name)) flush();
    },
  }, { decodeEntities: true, lowerCaseTags: true });
  parser.write(html);
  parser.end();
  flush();
  return blocks;
}
