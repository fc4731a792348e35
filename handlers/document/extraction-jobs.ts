// Extraction jobs: create, register files (each with a signed upload URL), start (every upload
// checked against the limits, one queue message per file), read status, files and results,
// cancel and delete. The files themselves are read by the worker (run-extraction.ts).
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../platform/problems.ts';
import { mapLimit } from '../platform/map-limit.ts';
import type { BlobStore } from '../platform/blobs/ports.ts';
import type { JobQueue } from '../platform/queue/ports.ts';
import type { Job, JobItem, JobStore } from '../platform/jobs/ports.ts';
import { TERMINAL_JOB_STATES } from '../platform/jobs/ports.ts';
import type { DocumentConfig } from './config.ts';
import { checkFileName } from './file-names.ts';
import { sourceKey, tablesKey, textKey } from './blob-keys.ts';
import { EXTRACTION_JOB, EXTRACTION_QUEUE } from './kinds.ts';
import type { FileMessage } from '../platform/jobs/file-runs.ts';
import { allItems, cancelJob, deleteJob, findItem, findJob, newestJobs, notFound, pageOfJobs } from './job-access.ts';
import { extractionFileView, extractionJobView, fileStatus, type Schemas } from './views.ts';

/** Upload and result URLs live this long (the AWS sample's 3600 s). */
export const URL_SECONDS = 3600;
/** Uploads checked at once when a job starts. */
const HEAD_CONCURRENCY = 8;

export interface DocumentDeps {
  jobStore: JobStore;
  blobs: BlobStore;
  queue: JobQueue;
  config: DocumentConfig;
  /** Wakes this process's worker when it enqueued work. */
  onQueued?: (queue: string) => void;
  /** Whether a file name has an extension the extractor reads. */
  readableName: (fileName: string) => boolean;
}

export class ExtractionJobs {
  constructor(private readonly deps: DocumentDeps) {}

  private get retentionSeconds() {
    return this.deps.config.retentionDays * 86_400;
  }

  async create(appId: string): Promise<Schemas['ExtractionJobCreated']> {
    const job = await this.deps.jobStore.create({ appId, kind: EXTRACTION_JOB, retentionSeconds: this.retentionSeconds });
    return { extraction_job_id: job.jobId, status: 'CREATED' };
  }

  async register(appId: string, jobId: string, rawName: string): Promise<Schemas['RegisteredFile']> {
    const job = await findJob(this.deps.jobStore, appId, jobId, EXTRACTION_JOB);
    if (job.state !== 'CREATED') throw notOpen(jobId);
    const fileName = checkFileName(rawName, this.deps.readableName);
    const fileId = randomUUID().replaceAll('-', '');
    const added = await this.deps.jobStore.addItems(appId, jobId, [{ itemId: fileName, input: { file_id: fileId } }]);
    if (added.status === 'NOT_FOUND') throw notFound(EXTRACTION_JOB, jobId);
    if (added.status === 'NOT_OPEN') throw notOpen(jobId);
    if (added.status === 'TOO_MANY_ITEMS') throw new ProblemError('TOO_MANY_FILES', `Job ${jobId} already holds the most files a job may have.`);
    if (added.duplicates.length > 0) throw new ProblemError('FILE_ALREADY_REGISTERED', `A file named "${fileName}" is already registered for this job.`);
    const url = await this.deps.blobs.signedUploadUrl(appId, sourceKey(jobId, fileName), {
      maxBytes: this.deps.config.maxFileBytes, expiresInSeconds: URL_SECONDS,
    });
    return {
      extraction_job_id: jobId, file_name: fileName, file_id: fileId, upload_url: url.url, upload_method: 'PUT',
      max_bytes: this.deps.config.maxFileBytes, expires_at: url.expiresAt.toISOString(),
    };
  }

  /**
   * Checks every upload, queues one message per file, then seals the job. Messages go first: a
   * crash in between leaves a job still CREATED (start it again), whose early messages wait for it.
   */
  async start(appId: string, jobId: string): Promise<Schemas['ExtractionJobStarted']> {
    const { jobStore, blobs, queue, config } = this.deps;
    const job = await findJob(jobStore, appId, jobId, EXTRACTION_JOB);
    if (job.state !== 'CREATED') throw notOpen(jobId);
    const items = await allItems(jobStore, job);
    if (items.length === 0) throw new ProblemError('NO_FILES_REGISTERED', 'No files registered for the job. Please register and upload files before starting the job.');
    const sizes = await mapLimit(items, HEAD_CONCURRENCY, async (item) => {
      try {
        return (await blobs.confirmUpload(appId, sourceKey(jobId, item.itemId), { maxBytes: config.maxFileBytes }))?.size;
      } catch (error) {
        if (error instanceof ProblemError && error.code === 'PAYLOAD_TOO_LARGE') {
          throw new ProblemError('FILE_TOO_LARGE', `"${item.itemId}" is larger than ${config.maxFileBytes} bytes; it was removed. Upload a smaller file.`);
        }
        throw error;
      }
    });
    const missing = items.filter((_, i) => sizes[i] === undefined).map((item) => item.itemId);
    if (missing.length > 0) throw new ProblemError('FILES_NOT_UPLOADED', `Files not uploaded: ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}.`);
    const total = sizes.reduce((sum: number, size) => sum + size!, 0);
    if (total > config.maxJobBytes) throw new ProblemError('JOB_TOO_LARGE', `The job's files add up to ${total} bytes, over the limit of ${config.maxJobBytes}.`);

    for (const item of items) {
      const message: FileMessage = { app_id: appId, job_id: jobId, file_name: item.itemId };
      await queue.enqueue(EXTRACTION_QUEUE, message);
    }
    const started = await jobStore.start(appId, jobId);
    if (!started) throw notFound(EXTRACTION_JOB, jobId);
    if (!started.started) throw notOpen(jobId); // a concurrent start won; its messages and ours are the same work
    this.deps.onQueued?.(EXTRACTION_QUEUE);
    return { extraction_job_id: jobId, total_files: items.length, status: 'STARTED' };
  }

  async status(appId: string, jobId: string): Promise<Schemas['ExtractionJob']> {
    return extractionJobView(await findJob(this.deps.jobStore, appId, jobId, EXTRACTION_JOB));
  }

  async files(appId: string, jobId: string): Promise<Schemas['ExtractionFile'][]> {
    const job = await findJob(this.deps.jobStore, appId, jobId, EXTRACTION_JOB);
    return (await allItems(this.deps.jobStore, job)).map((item) => extractionFileView(job, item));
  }

  async fileStatus(appId: string, jobId: string, fileName: string): Promise<Schemas['FileStatus']> {
    const job = await findJob(this.deps.jobStore, appId, jobId, EXTRACTION_JOB);
    const item = await findItem(this.deps.jobStore, job, fileName);
    const view = extractionFileView(job, item);
    const base = { status: view.status, extraction_job_id: jobId, file_name: fileName, ...(view.error && { error: view.error }) };
    if (item.state !== 'SUCCEEDED') return { ...base, result_url: null, tables_url: null };
    const [text, tables] = await Promise.all([this.resultUrl(job, textKey(jobId, fileName)), this.resultUrl(job, tablesKey(jobId, fileName))]);
    return { ...base, result_url: text.url, tables_url: tables.url, expires_at: text.expiresAt.toISOString() };
  }

  async results(appId: string, jobId: string): Promise<Schemas['ExtractionJobResults']> {
    const job = await findJob(this.deps.jobStore, appId, jobId, EXTRACTION_JOB);
    if (!TERMINAL_JOB_STATES.includes(job.state)) throw new ProblemError('JOB_NOT_FINISHED', `Job ${jobId} is not completed yet (${extractionJobView(job).status}).`);
    const completed = (await allItems(this.deps.jobStore, job)).filter((item) => item.state === 'SUCCEEDED');
    const files = await mapLimit(completed, HEAD_CONCURRENCY, async (item) => {
      const [text, tables] = await Promise.all([this.resultUrl(job, textKey(jobId, item.itemId)), this.resultUrl(job, tablesKey(jobId, item.itemId))]);
      return { file_name: item.itemId, extracted_text_url: text.url, extracted_tables_url: tables.url };
    });
    return { extraction_job_id: jobId, files, expires_at: new Date(Date.now() + URL_SECONDS * 1000).toISOString() };
  }

  async page(appId: string, limit: number | undefined, cursor: string | undefined): Promise<Schemas['ExtractionJobPage']> {
    const page = await pageOfJobs(this.deps.jobStore, appId, EXTRACTION_JOB, limit, cursor);
    return { items: page.items.map(extractionJobView), next: page.next };
  }

  async newest(appId: string): Promise<Schemas['ExtractionJob'][]> {
    return (await newestJobs(this.deps.jobStore, appId, EXTRACTION_JOB)).map(extractionJobView);
  }

  async cancel(appId: string, jobId: string): Promise<Schemas['ExtractionJob']> {
    return extractionJobView(await cancelJob(this.deps.jobStore, appId, jobId, EXTRACTION_JOB));
  }

  /** Removes every file's upload and results with the job. */
  async delete(appId: string, jobId: string): Promise<Schemas['DeletedJob']> {
    return deleteJob(this.deps.jobStore, this.deps.blobs, appId, jobId, EXTRACTION_JOB,
      (fileName) => [sourceKey, textKey, tablesKey].map((key) => key(jobId, fileName)));
  }


  /** A COMPLETED file's extracted_text.json or extracted_tables.json, read through the API. */
  async resultDocument(appId: string, jobId: string, fileName: string, which: 'text' | 'tables'): Promise<unknown> {
    const job = await findJob(this.deps.jobStore, appId, jobId, EXTRACTION_JOB);
    const item = await findItem(this.deps.jobStore, job, fileName);
    if (item.state !== 'SUCCEEDED') throw notReady(job, item);
    return readJson(this.deps.blobs, appId, (which === 'text' ? textKey : tablesKey)(jobId, fileName));
  }

  private resultUrl(job: Job, key: string) {
    return this.deps.blobs.signedDownloadUrl(job.appId, key, { expiresInSeconds: URL_SECONDS, contentType: 'application/json' });
  }
}

const notOpen = (jobId: string) => new ProblemError('JOB_NOT_OPEN', `Job ${jobId} is already started or completed. Please create a new job.`);

export const notReady = (job: Job, item: JobItem) =>
  new ProblemError('RESULT_NOT_READY', `"${item.itemId}" has no result: it is ${job.kind === EXTRACTION_JOB ? fileStatus(job, item) : item.state}.`);

/** A JSON result the service wrote; gone only if its job was deleted meanwhile. */
export async function readJson(blobs: BlobStore, appId: string, key: string): Promise<unknown> {
  const found = await readJsonIfPresent(blobs, appId, key);
  if (found === undefined) throw new ProblemError('FILE_NOT_FOUND', 'The result is no longer there: its job was deleted.');
  return found;
}

export async function readJsonIfPresent(blobs: BlobStore, appId: string, key: string): Promise<unknown> {
  const blob = await blobs.get(appId, key);
  if (!blob) return undefined;
  const parts: Buffer[] = [];
  for await (const part of blob.body) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}
