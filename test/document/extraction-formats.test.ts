// Format detection and the readers that need no worker: text, Markdown, JSON, JSONL, CSV, HTML.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectFormat } from '../../handlers/document/extraction/format.ts';
import { ExtractionFailure } from '../../handlers/document/extraction/ports.ts';
import { extractTextFormat } from '../../handlers/document/extraction/text-formats.ts';
import { htmlToBlocks } from '../../handlers/document/extraction/html.ts';
import { renderPage } from '../../handlers/document/extraction/layout-blocks.ts';
import { htmlOf, shortReport } from '../helpers/document-corpus.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const failsWith = (code: ExtractionFailure['code']) => (error: unknown) => error instanceof ExtractionFailure && error.code === code;

describe('detectFormat', () => {
  it('names each format from the file name when the bytes agree', () => {
    assert.equal(detectFormat('report.PDF', bytes('%PDF-1.7\n')), 'pdf');
    assert.equal(detectFormat('scan.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(detectFormat('scan.tif', new Uint8Array([0x49, 0x49, 0x2a, 0])), 'tiff');
    assert.equal(detectFormat('page.png', PNG), 'png');
    assert.equal(detectFormat('notes.md', bytes('# Title\n')), 'markdown');
    assert.equal(detectFormat('data.jsonl', bytes('{"a":1}\n')), 'jsonl');
    assert.equal(detectFormat('table.csv', bytes('a,b\n1,2\n')), 'csv');
    assert.equal(detectFormat('page.htm', bytes('<html></html>')), 'html');
    assert.equal(detectFormat('empty.txt', new Uint8Array()), 'text');
  });

  it('fails a .pdf that is not a PDF, and a .png that is a PDF, with FORMAT_MISMATCH', () => {
    assert.throws(() => detectFormat('report.pdf', bytes('<html>not a pdf</html>')), failsWith('FORMAT_MISMATCH'));
    assert.throws(() => detectFormat('page.png', bytes('%PDF-1.4')), failsWith('FORMAT_MISMATCH'));
    assert.throws(() => detectFormat('notes.txt', PNG), failsWith('FORMAT_MISMATCH'));
    assert.throws(() => detectFormat('notes.txt', new Uint8Array([0x41, 0xc3, 0x28, 0x41])), failsWith('FORMAT_MISMATCH'));
  });

  it('accepts a text head cut inside a multi-byte character', () => {
    assert.equal(detectFormat('notes.txt', bytes('café').subarray(0, 4)), 'text');
  });

  it('fails names it does not read with UNSUPPORTED_FORMAT', () => {
    assert.throws(() => detectFormat('archive.zip', bytes('PK')), failsWith('UNSUPPORTED_FORMAT'));
    assert.throws(() => detectFormat('README', bytes('hello')), failsWith('UNSUPPORTED_FORMAT'));
  });
});

describe('text formats', () => {
  it('keeps text, Markdown and JSON as they are, so offsets point into the file', () => {
    const markdown = '# Title\n\nSome *text*.\n';
    const [page] = extractTextFormat('markdown', bytes(markdown));
    assert.deepEqual(page!.page, { page_number: 1, page_text: markdown, text: markdown, ocr: false });
    const [json] = extractTextFormat('json', bytes('[{"a":1},{"a":2}]'));
    assert.equal(json!.page.text, '[{"a":1},{"a":2}]'); // a top-level array is content, not null
  });

  it('splits plain text into pages at form feeds and drops a byte-order mark', () => {
    const pages = extractTextFormat('text', bytes('\ufeffpage one\fpage two'));
    assert.deepEqual(pages.map((p) => [p.page.page_number, p.page.text]), [[1, 'page one'], [2, 'page two']]);
  });

  it('fails broken JSON and JSONL with CORRUPT_FILE, naming the line', () => {
    assert.throws(() => extractTextFormat('json', bytes('{"a":')), failsWith('CORRUPT_FILE'));
    assert.throws(() => extractTextFormat('jsonl', bytes('{"a":1}\n\n{"b":\n')), (error: unknown) => failsWith('CORRUPT_FILE')(error) && /Line 3/.test((error as Error).message));
    assert.equal(extractTextFormat('jsonl', bytes('{"a":1}\n{"b":2}\n'))[0]!.page.text, '{"a":1}\n{"b":2}\n');
  });

  it('reads a CSV file as a table as well, with quoted commas, quotes and line breaks', () => {
    const [page] = extractTextFormat('csv', bytes('name,note\r\n"Smith, J","said ""hi""\nthen left"\r\nDoe,ok\r\n'));
    assert.deepEqual(page!.tables, [{ page_number: 1, table_index: 0, header_rows: 1, rows: [['name', 'note'], ['Smith, J', 'said "hi"\nthen left'], ['Doe', 'ok']] }]);
    assert.throws(() => extractTextFormat('csv', bytes('a,"b\n')), failsWith('CORRUPT_FILE'));
  });

  it('fails bytes that are not UTF-8 with CORRUPT_FILE', () => {
    assert.throws(() => extractTextFormat('text', new Uint8Array([0x61, 0xff, 0x62])), failsWith('CORRUPT_FILE'));
  });
});

describe('HTML', () => {
  it('strips markup, scripts and styles and keeps headings, paragraphs, lists and tables as blocks', () => {
    const truth = shortReport(3);
    assert.deepEqual(htmlToBlocks(htmlOf(truth)), truth);
  });

  it('renders the blocks with the seed layout tags, and the same words as plain text', () => {
    const { page, tables } = renderPage(1, htmlToBlocks('<h1>Plan</h1><p>One &amp; two</p><ul><li>first</li></ul><table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>'));
    assert.equal(page.page_text, '<title>Plan</title>\n\n<text>One & two</text>\n\n<list_element>first</list_element>\n\n<table>k\tv\na\t1</table>');
    assert.equal(page.text, 'Plan\n\nOne & two\n\nfirst\n\nk\tv\na\t1');
    assert.deepEqual(tables, [{ page_number: 1, table_index: 0, rows: [['k', 'v'], ['a', '1']], header_rows: 1 }]);
  });

  it('keeps a nested table inside its cell and pads ragged rows', () => {
    const [table] = htmlToBlocks('<table><tr><td>a</td><td><table><tr><td>x</td></tr></table></td></tr><tr><td>b</td></tr></table>');
    assert.deepEqual(table, { kind: 'table', rows: [['a', 'x'], ['b', '']], headerRows: 0 });
  });
});
