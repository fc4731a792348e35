// The Textract extractor against aws-sdk-client-mock, with GetDocumentAnalysis responses in the
// shape Textract returns them (LAYOUT + TABLES blocks, a job in progress, results in two pages).
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mockClient } from 'aws-sdk-client-mock';
import { GetDocumentAnalysisCommand, StartDocumentAnalysisCommand, TextractClient, type GetDocumentAnalysisCommandOutput } from '@aws-sdk/client-textract';
import { TextractExtractor } from '../../handlers/document/extraction/textract-extractor.ts';
import { ExtractionFailure, type Extraction, type Extractor } from '../../handlers/document/extraction/ports.ts';
import { tempFiles } from '../helpers/temp-files.ts';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/textract/get-document-analysis.json', import.meta.url), 'utf8')) as {
  inProgress: GetDocumentAnalysisCommandOutput;
  pages: GetDocumentAnalysisCommandOutput[];
};
const LIMITS = { timeoutMs: 10_000, maxMemoryMb: 256, maxPages: 100 };
const { file } = tempFiles('gaf-textract-');
const textract = mockClient(TextractClient);
const source = { bucket: 'extraction-source', key: 'app-1/job-1/report.pdf' };

/** Stands in for the local extractor: records what it was asked to read. */
class LocalStub implements Extractor {
  readonly read: string[] = [];
  async extract(f: { fileName: string }): Promise<Extraction> {
    this.read.push(f.fileName);
    return { format: 'html', pages: [], tables: [], stats: { pages: 0, ocrPages: 0, textractPages: 0 } };
  }
  async close() {}
}

let local: LocalStub;
let extractor: TextractExtractor;
const failsWith = (code: ExtractionFailure['code']) => (error: unknown) => error instanceof ExtractionFailure && error.code === code;

beforeEach(() => {
  textract.reset();
  local = new LocalStub();
  extractor = new TextractExtractor({ client: new TextractClient({ region: 'eu-west-1' }), local, pollIntervalMs: 1 });
  textract.on(StartDocumentAnalysisCommand).resolves({ JobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9' });
});
afterEach(() => extractor.close());

describe('Textract extractor', () => {
  it('starts an analysis with LAYOUT and TABLES on the S3 object, polls until it ends, and pages through the results', async () => {
    textract.on(GetDocumentAnalysisCommand)
      .resolvesOnce(recorded.inProgress)
      .resolvesOnce(recorded.pages[0]!)
      .resolvesOnce(recorded.pages[1]!);
    const result = await extractor.extract({ ...file('report.pdf', '%PDF-1.7\n'), source }, LIMITS);

    const [start] = textract.commandCalls(StartDocumentAnalysisCommand);
    assert.deepEqual(start!.args[0].input.DocumentLocation, { S3Object: { Bucket: source.bucket, Name: source.key } });
    assert.deepEqual(start!.args[0].input.FeatureTypes, ['LAYOUT', 'TABLES']);
    const gets = textract.commandCalls(GetDocumentAnalysisCommand).map((call) => call.args[0].input.NextToken);
    assert.deepEqual(gets, [undefined, undefined, recorded.pages[0]!.NextToken]);

    assert.equal(result.format, 'pdf');
    assert.deepEqual(result.stats, { pages: 2, ocrPages: 0, textractPages: 2 });
    assert.equal(result.pages[0]!.page_text, [
      '<title>Annual Report 2026</title>',
      '<text>Revenue grew in every region. Costs stayed flat.</text>',
      '<header>Regional results</header>',
      '<list_element>North grew 12%</list_element>',
      '<list_element>South grew 4%</list_element>',
      '<table>Region\tRevenue\nNorth\t1,200\nSouth\t900</table>',
    ].join('\n\n'));
    assert.equal(result.pages[1]!.page_text, '<header>Outlook</header>\n\n<text>We expect steady demand next year.</text>');
    assert.doesNotMatch(result.pages.map((p) => p.text).join(' '), /confidential|ACME Corp page/i); // headers and footers dropped
    assert.deepEqual(result.tables, [{ page_number: 1, table_index: 0, rows: [['Region', 'Revenue'], ['North', '1,200'], ['South', '900']], header_rows: 1 }]);
  });

  it('reads formats Textract does not take (HTML, DOCX, text…) with the local extractor', async () => {
    await extractor.extract(file('page.html', '<p>hi</p>'), LIMITS);
    assert.deepEqual(local.read, ['page.html']);
    assert.equal(textract.commandCalls(StartDocumentAnalysisCommand).length, 0);
  });

  it('fails a document over the page limit with TOO_MANY_PAGES', async () => {
    textract.on(GetDocumentAnalysisCommand).resolves(recorded.pages[0]!);
    await assert.rejects(extractor.extract({ ...file('report.pdf', '%PDF-1.7\n'), source }, { ...LIMITS, maxPages: 1 }), failsWith('TOO_MANY_PAGES'));
  });

  it('fails a job Textract reports FAILED with CORRUPT_FILE, and a refused document likewise', async () => {
    textract.on(GetDocumentAnalysisCommand).resolves({ JobStatus: 'FAILED', StatusMessage: 'Unsupported document format' });
    await assert.rejects(extractor.extract({ ...file('report.pdf', '%PDF-1.7\n'), source }, LIMITS), failsWith('CORRUPT_FILE'));
    textract.on(StartDocumentAnalysisCommand).rejects(Object.assign(new Error('Request has unsupported document format'), { name: 'UnsupportedDocumentException' }));
    await assert.rejects(extractor.extract({ ...file('report.pdf', '%PDF-1.7\n'), source }, LIMITS), failsWith('CORRUPT_FILE'));
  });

  it('fails with EXTRACTION_TIMEOUT when the job is still running at the time limit', async () => {
    textract.on(GetDocumentAnalysisCommand).resolves(recorded.inProgress);
    await assert.rejects(extractor.extract({ ...file('report.pdf', '%PDF-1.7\n'), source }, { ...LIMITS, timeoutMs: 30 }), failsWith('EXTRACTION_TIMEOUT'));
  });

  it('fails with EXTRACTION_FAILED when Textract is unavailable, without its error text', async () => {
    textract.on(StartDocumentAnalysisCommand).rejects(Object.assign(new Error('Rate exceeded for account 123456789012'), { name: 'ProvisionedThroughputExceededException' }));
    await assert.rejects(extractor.extract({ ...file('report.pdf', '%PDF-1.7\n'), source }, LIMITS), (error: unknown) =>
      failsWith('EXTRACTION_FAILED')(error) && !(error as Error).message.includes('123456789012'));
  });

  it('checks the bytes before calling Textract: a .pdf that is not a PDF fails with FORMAT_MISMATCH', async () => {
    await assert.rejects(extractor.extract({ ...file('report.pdf', 'plain text'), source }, LIMITS), failsWith('FORMAT_MISMATCH'));
    assert.equal(textract.commandCalls(StartDocumentAnalysisCommand).length, 0);
  });
});
