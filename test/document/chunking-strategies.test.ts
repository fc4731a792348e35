// Each strategy's own promise, on small texts whose chunks can be read in the assertion.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkText } from '../../handlers/document/chunking/chunk-text.ts';
import { ChunkingFailure, type ChunkSource } from '../../handlers/document/chunking/ports.ts';
import { sentenceSpans } from '../../handlers/document/chunking/sentence.ts';
import { asPages, generateProse } from './chunking-texts.ts';

const texts = (source: ChunkSource, ...args: Parameters<typeof chunkText> extends [unknown, ...infer Rest] ? Rest : never) =>
  chunkText(source, ...args).map((c) => c.chunk);

describe('page', () => {
  it('gives each page as it is, untrimmed, and nothing for a blank page', () => {
    const source = asPages(['  first page\n', ' \n ', 'third']);
    const chunks = chunkText(source, 'page', { chunk_size: 2 });
    assert.deepEqual(chunks.map((c) => [c.chunk, c.page_start, c.page_end]), [['  first page\n', 1, 1], ['third', 3, 3]]);
  });
});

describe('markdown', () => {
  const doc = '# Guide\n\nIntro.\n\n## Install\n\nRun it.\n\n```sh\n# a comment, not a heading\n```\n\n### Linux\n\nUse apt.\n\n## Use\n\nCall it. ##';

  it('never puts two sections in one chunk, and gives each chunk its heading path', () => {
    const chunks = chunkText(asPages([doc]), 'markdown', { chunk_size: 1000 });
    assert.deepEqual(chunks.map((c) => [c.chunk, c.heading_path]), [
      ['# Guide\n\nIntro.', ['Guide']],
      ['## Install\n\nRun it.\n\n```sh\n# a comment, not a heading\n```', ['Guide', 'Install']],
      ['### Linux\n\nUse apt.', ['Guide', 'Install', 'Linux']],
      ['## Use\n\nCall it. ##', ['Guide', 'Use']],
    ]);
  });

  it('splits a long section like recursive, every part under the section heading', () => {
    const chunks = chunkText(asPages(['# Top\n\n' + 'word '.repeat(50)]), 'markdown', { chunk_size: 40 });
    assert.ok(chunks.length > 3);
    assert.ok(chunks.every((c) => c.heading_path.join() === 'Top' && c.chunk.length <= 40));
  });

  it('gives text before the first heading an empty path', () => {
    assert.deepEqual(chunkText(asPages(['Preface.\n\n# One\n\nBody.']), 'markdown').map((c) => c.heading_path), [[], ['One']]);
  });
});

describe('sentence', () => {
  it('packs whole sentences and repeats whole sentences as overlap', () => {
    const text = 'One is here. Two is here. Three is here. Four is here.';
    assert.deepEqual(texts(asPages([text]), 'sentence', { chunk_size: 30, chunk_overlap: 0 }), ['One is here. Two is here.', 'Three is here. Four is here.']);
    // 16 characters of overlap hold "Three is here. " (15) but not "Two is here. Three is here. ".
    assert.deepEqual(texts(asPages([text]), 'sentence', { chunk_size: 30, chunk_overlap: 16 }), [
      'One is here. Two is here.',
      'Two is here. Three is here.',
      'Three is here. Four is here.',
    ]);
  });

  it('splits a sentence longer than chunk_size at words', () => {
    const chunks = texts(asPages(['Short one. ' + 'Long '.repeat(20) + 'end.']), 'sentence', { chunk_size: 25 });
    assert.equal(chunks[0], 'Short one.');
    assert.ok(chunks.slice(1).every((c) => c.length <= 25 && !c.includes('Short')));
  });

  it('finds the sentences Intl.Segmenter finds in the whole text, though it walks the text in windows', () => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
    for (const text of [generateProse(3, 150), generateProse(4, 150).replace(/\n/g, ' ')]) {
      assert.ok(text.length > 3 * 4096);
      const spans = sentenceSpans(text, 0, text.length);
      const ours = spans.starts.map((start, i) => text.slice(start, spans.ends[i]));
      assert.deepEqual(ours, [...segmenter.segment(text)].map((s) => s.segment));
    }
  });

  it('cuts a sentence longer than its window (4096 characters) at the window', () => {
    const text = 'No end '.repeat(1500);
    const spans = sentenceSpans(text, 0, text.length);
    assert.deepEqual(spans.ends.map((end, i) => end - spans.starts[i]!), [4096, 4096, text.length - 8192]);
  });

  it('lets a chunk run across a page break and says so', () => {
    const chunks = chunkText(asPages(['It starts on one page', 'and ends on the next.']), 'sentence', { chunk_size: 100 });
    assert.deepEqual(chunks.map((c) => [c.page_start, c.page_end]), [[1, 2]]);
  });
});

describe('token', () => {
  it('cuts at most chunk_size tokens, overlapping by at most chunk_overlap tokens', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    const chunks = chunkText(asPages([text]), 'token', { chunk_size: 16, chunk_overlap: 4 });
    assert.ok(chunks.length > 10);
    assert.ok(chunks.every((c) => c.token_count <= 16));
    assert.ok(chunks.slice(0, -1).every((c) => c.token_count >= 12), 'packed up to about chunk_size');
    for (let i = 1; i < chunks.length; i++) {
      assert.ok(chunks[i]!.start < chunks[i - 1]!.end, 'overlaps the previous chunk');
    }
  });

  it('cuts a word longer than chunk_size tokens inside the word', () => {
    const chunks = chunkText(asPages(['x'.repeat(500)]), 'token', { chunk_size: 5 });
    assert.equal(chunks.map((c) => c.chunk).join(''), 'x'.repeat(500));
    assert.ok(chunks.every((c) => c.token_count <= 5));
  });

  it('treats special-token text in a document as text', () => {
    const [chunk] = chunkText(asPages(['before <|endoftext|> after']), 'token', { chunk_size: 100 });
    assert.equal(chunk!.chunk, 'before <|endoftext|> after');
  });
});

describe('table_aware', () => {
  const table = 'Name\tQty\nApple\t1\nPear\t2\nPlum\t3\nFig\t4';
  const before = 'Fruit on hand.\n\n';
  const text = `${before}<table>\n${table}\n</table>\n\nThat is all.`;
  const tables = [{ start: before.length, end: before.length + '<table>\n'.length + table.length + '\n</table>'.length, header_rows: 1, rows: table.split('\n').map((r) => r.split('\t')) }];

  it('keeps a table that fits chunk_size whole', () => {
    const chunks = texts({ ...asPages([text]), tables }, 'table_aware', { chunk_size: 200 });
    assert.ok(chunks.includes(`<table>\n${table}\n</table>`));
  });

  it('cuts a larger table between rows and repeats its header ahead of every later part', () => {
    const chunks = chunkText({ ...asPages([text]), tables }, 'table_aware', { chunk_size: 28 });
    assert.deepEqual(chunks.map((c) => c.chunk), [
      'Fruit on hand.',
      '<table>\nName\tQty\nApple\t1',
      'Name\tQty\nPear\t2\nPlum\t3\nFig\t4',
      'That is all.',
    ]);
    assert.deepEqual(chunks.map((c) => c.repeated_header), [undefined, undefined, 'Name\tQty\n', undefined]);
    assert.ok(chunks.every((c) => c.chunk.length <= 28));
  });

  it('finds Markdown pipe tables when the extractor gave none', () => {
    const md = 'Intro.\n\n| h1 | h2 |\n|---|---|\n| a | b |\n| c | d |\n| e | f |\n\nOutro.';
    const chunks = chunkText(asPages([md]), 'table_aware', { chunk_size: 34 });
    const parts = chunks.filter((c) => c.chunk.includes('| h1 | h2 |'));
    assert.equal(parts.length, 3); // the header (22 characters) and one row (9) fill 34
    assert.ok(parts.every((c) => c.chunk.startsWith('| h1 | h2 |\n|---|---|\n')));
    assert.deepEqual(chunks.flatMap((c) => c.chunk.match(/\| [ace] \|/g) ?? []), ['| a |', '| c |', '| e |']);
  });

  it('splits a table whose lines are not its rows as plain text', () => {
    const broken = [{ ...tables[0]!, rows: [['only one row']] }];
    const chunks = texts({ ...asPages([text]), tables: broken }, 'table_aware', { chunk_size: 28 });
    assert.ok(chunks.length > 3);
  });
});

describe('JSON files', () => {
  const json = (text: string) => ({ text, pages: [{ page_number: 1, start: 0, end: text.length }], format: 'json' as const });

  it('splits an object like RecursiveJsonSplitter(max_chunk_size=300), keeping nested paths, in json.dumps form', () => {
    const text = JSON.stringify({ a: { b: 1, c: 'x'.repeat(250) }, d: [1, 2], é: 'ü' });
    const chunks = chunkText(json(text), 'recursive');
    assert.deepEqual(chunks.map((c) => c.chunk), [`{"a": {"b": 1, "c": "${'x'.repeat(250)}"}, "d": [1, 2]}`, '{"\\u00e9": "\\u00fc"}']);
    assert.deepEqual(chunks.map((c) => text.slice(c.start, c.end)), [text.slice(1, text.indexOf(',"é"')), '"é":"ü"'], 'the members each chunk holds');
  });

  it('goes into a large value and starts a new chunk once the current one has 100 characters', () => {
    const text = JSON.stringify({ big: { p: 'y'.repeat(200), q: 'z'.repeat(200) } });
    assert.deepEqual(texts(json(text), 'recursive'), [`{"big": {"p": "${'y'.repeat(200)}"}}`, `{"big": {"q": "${'z'.repeat(200)}"}}`]);
  });

  it('keeps key order as written, numeric keys included', () => {
    assert.deepEqual(texts(json('{"b": 1, "2": 2, "a": 3}'), 'recursive'), ['{"b": 1, "2": 2, "a": 3}']);
  });

  it('chunks a top-level array (the seed wrote null) and locates each chunk in the file', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: i, name: `item ${i}` }));
    const text = JSON.stringify(items);
    const chunks = chunkText(json(text), 'recursive');
    assert.ok(chunks.length > 1);
    assert.deepEqual(chunks.flatMap((c) => JSON.parse(c.chunk) as unknown[]), items);
    assert.ok(chunks.every((c) => c.chunk.length <= 300));
    for (const c of chunks) assert.deepEqual(JSON.parse(`[${text.slice(c.start, c.end)}]`), JSON.parse(c.chunk));
  });

  it('fails the file with INVALID_JSON when it is not JSON', () => {
    assert.throws(() => chunkText(json('{"a": '), 'recursive'), (error: unknown) => error instanceof ChunkingFailure && error.code === 'INVALID_JSON');
  });
});

describe('JSONL files', () => {
  it('gives one chunk per line, none for blank lines (the seed gave empty chunks)', () => {
    const text = '{"a": 1}\n\n{"b": 2}\r\n{"c": 3}\n';
    const chunks = chunkText({ text, pages: [], format: 'jsonl' }, 'fixed_size');
    assert.deepEqual(chunks.map((c) => c.chunk), ['{"a": 1}', '{"b": 2}', '{"c": 3}']);
    assert.ok(chunks.every((c) => text.slice(c.start, c.end) === c.chunk));
  });
});
