// Extraction on AWS: PDFs and images through Textract's asynchronous document analysis (LAYOUT +
// TABLES, as the seed), read from the file's S3 object; every other format through the local
// extractor. StartDocumentAnalysis, then GetDocumentAnalysis polled until the job ends, then paged
// through with NextToken; the result is laid out like the local extractor's.
import { open } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import {
  GetDocumentAnalysisCommand, StartDocumentAnalysisCommand, type Block as TextractBlock, type GetDocumentAnalysisCommandOutput, type TextractClient,
} from '@aws-sdk/client-textract';
import { ExtractionFailure, type Extraction, type ExtractionLimits, type Extractor, type ExtractorFile } from './ports.ts';
import { detectFormat, FORMAT_HEAD_BYTES, IMAGE_FORMATS } from './format.ts';
import { textractPages } from './textract-layout.ts';

export interface TextractOptions {
  client: TextractClient;
  /** Reads the formats Textract does not (DOCX, HTML, text…). */
  local: Extractor;
  /** Between two GetDocumentAnalysis calls while the job runs. */
  pollIntervalMs?: number;
}

/** Textract's largest page of results. */
const MAX_RESULTS = 1000;

async function headOf(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(FORMAT_HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Textract's refusals that say the file, not the service, is the problem. */
function failureOf(error: unknown): ExtractionFailure {
  const name = (error as Error).name;
  if (name === 'UnsupportedDocumentException' || name === 'BadDocumentException') return new ExtractionFailure('CORRUPT_FILE', 'Textract cannot read this document.');
  if (name === 'DocumentTooLargeException') return new ExtractionFailure('RESOURCE_LIMIT', 'The document is larger than Textract accepts.');
  return new ExtractionFailure('EXTRACTION_FAILED', 'Textract failed to analyse the document.');
}

export class TextractExtractor implements Extractor {
  private readonly pollIntervalMs: number;

  constructor(private readonly options: TextractOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
  }

  async extract(file: ExtractorFile, limits: ExtractionLimits): Promise<Extraction> {
    const format = detectFormat(file.fileName, await headOf(file.path));
    if (format !== 'pdf' && !IMAGE_FORMATS.has(format)) return this.options.local.extract(file, limits);
    if (!file.source) throw new ExtractionFailure('EXTRACTION_FAILED', 'Textract reads files from S3; this file has no S3 location.');
    const deadline = Date.now() + limits.timeoutMs;
    const blocks = await this.analyse(file.source, limits.maxPages, deadline).catch((error: unknown) => {
      throw error instanceof ExtractionFailure ? error : failureOf(error);
    });
    const pages = textractPages(blocks);
    return {
      format,
      pages: pages.map((p) => p.page),
      tables: pages.flatMap((p) => p.tables),
      stats: { pages: pages.length, ocrPages: 0, textractPages: pages.length },
    };
  }

  private async analyse(source: { bucket: string; key: string }, maxPages: number, deadline: number): Promise<TextractBlock[]> {
    const { client } = this.options;
    const { JobId } = await client.send(new StartDocumentAnalysisCommand({
      DocumentLocation: { S3Object: { Bucket: source.bucket, Name: source.key } },
      FeatureTypes: ['LAYOUT', 'TABLES'],
      ClientRequestToken: randomUUID(),
    }));
    let result: GetDocumentAnalysisCommandOutput;
    for (;;) {
      result = await client.send(new GetDocumentAnalysisCommand({ JobId, MaxResults: MAX_RESULTS }));
      if (result.JobStatus !== 'IN_PROGRESS') break;
      if (Date.now() + this.pollIntervalMs > deadline) throw new ExtractionFailure('EXTRACTION_TIMEOUT', 'Textract did not finish the document in time.');
      await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
    }
    if (result.JobStatus === 'FAILED') throw new ExtractionFailure('CORRUPT_FILE', 'Textract could not analyse the document.');
    const pageCount = result.DocumentMetadata?.Pages ?? 0;
    if (pageCount > maxPages) throw new ExtractionFailure('TOO_MANY_PAGES', `The document has ${pageCount} pages; at most ${maxPages} are read.`);
    const blocks = [...(result.Blocks ?? [])];
    while (result.NextToken) {
      if (Date.now() > deadline) throw new ExtractionFailure('EXTRACTION_TIMEOUT', 'Reading Textract\'s results took too long.');
      result = await client.send(new GetDocumentAnalysisCommand({ JobId, MaxResults: MAX_RESULTS, NextToken: result.NextToken }));
      blocks.push(...(result.Blocks ?? []));
    }
    return blocks;
  }

  close(): Promise<void> {
    return this.options.local.close();
  }
}
