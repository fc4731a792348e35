// Hostile and broken files fail that file with a clear code, in its worker thread; the process and
// the pool go on reading the next files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LocalExtractor } from '../../handlers/document/extraction/local-extractor.ts';
import { ExtractionFailure } from '../../handlers/document/extraction/ports.ts';
import { deepNesting, decompressionBomb, pageCountBomb } from '../helpers/pdf-bombs.ts';
import { reportPdf } from '../helpers/document-corpus.ts';
import { tempFiles } from '../helpers/temp-files.ts';

const LIMITS = { timeoutMs: 120_000, maxMemoryMb: 256, maxPages: 1_000 };
const { dir, file } = tempFiles('gaf-extraction-limits-');
let extractor: LocalExtractor;


const failsWith = (code: ExtractionFailure['code']) => (error: unknown) => {
  assert.ok(error instanceof ExtractionFailure, String(error));
  assert.equal(error.code, code, error.message);
  return true;
};

const hello = () => file('hello.pdf', deepNesting(3));
const readsHello = async () => assert.equal((await extractor.extract(hello(), LIMITS)).pages[0]!.text, 'Hello');

before(() => { extractor = new LocalExtractor(2); });
after(() => extractor.close());

describe('PDF bombs', () => {
  it('fails a page tree of a million pages in a few kilobytes with TOO_MANY_PAGES', async () => {
    await assert.rejects(extractor.extract(file('million.pdf', pageCountBomb()), LIMITS), failsWith('TOO_MANY_PAGES'));
  });

  it('fails a real PDF over the page limit with TOO_MANY_PAGES', async () => {
    const pdf = await reportPdf({ pages: 4, seed: 1 });
    await assert.rejects(extractor.extract(file('long.pdf', pdf.bytes), { ...LIMITS, maxPages: 2 }), failsWith('TOO_MANY_PAGES'));
  });

  it('fails an object nested 200,000 levels deep with RESOURCE_LIMIT', async () => {
    await assert.rejects(extractor.extract(file('deep.pdf', deepNesting(200_000)), LIMITS), failsWith('RESOURCE_LIMIT'));
    await readsHello();
  });

  // Reading 20 MB takes seconds (about 3 s on an idle core), far beyond this limit however fast the machine.
  it('stops a content stream that inflates to 20 MB of text operators at the time limit, then reads the next file', async () => {
    await assert.rejects(extractor.extract(file('inflate.pdf', decompressionBomb(20)), { ...LIMITS, timeoutMs: 500 }), failsWith('EXTRACTION_TIMEOUT'));
    await readsHello();
  });
});

describe('limits and broken files', () => {
  it('fails a file whose reading needs more heap than allowed with RESOURCE_LIMIT, and the pool recovers', async () => {
    await assert.rejects(extractor.extract(hello(), { ...LIMITS, maxMemoryMb: 8 }), failsWith('RESOURCE_LIMIT'));
    await readsHello();
  });

  it('fails a .pdf that is not a PDF with FORMAT_MISMATCH', async () => {
    await assert.rejects(extractor.extract(file('fake.pdf', '<html>hello</html>'), LIMITS), failsWith('FORMAT_MISMATCH'));
  });

  it('fails a damaged PDF with CORRUPT_FILE', async () => {
    await assert.rejects(extractor.extract(file('broken.pdf', '%PDF-1.7\nthis is not a pdf body'), LIMITS), failsWith('CORRUPT_FILE'));
  });

  it('fails a damaged DOCX with CORRUPT_FILE', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(22), Buffer.from([17, 0, 0, 0]), Buffer.from('word/document.xml'), Buffer.from('garbage')]);
    await assert.rejects(extractor.extract(file('broken.docx', zip), LIMITS), failsWith('CORRUPT_FILE'));
  });

  it('fails a file it cannot find with EXTRACTION_FAILED', async () => {
    await assert.rejects(extractor.extract({ path: join(dir, 'missing.pdf'), fileName: 'missing.pdf' }, LIMITS), failsWith('EXTRACTION_FAILED'));
  });

  it('fails files still waiting when the extractor closes', async () => {
    const closing = new LocalExtractor(1);
    const pending = [closing.extract(hello(), LIMITS), closing.extract(hello(), LIMITS)].map((p) => assert.rejects(p, failsWith('EXTRACTION_FAILED')));
    await closing.close();
    await Promise.all(pending);
    await assert.rejects(closing.extract(hello(), LIMITS), failsWith('EXTRACTION_FAILED'));
  });
});
