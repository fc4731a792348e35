// The playground's document steps, through the generated client as the application: upload a file
// to an extraction job (create, register, PUT to the signed upload URL, start), wait for the
// extraction, read its text; then chunk it and read the chunks (waiting with untilFinished).
import { call } from './api.ts';
import type { PlaygroundClient } from './playground-client.ts';
import { untilFinished } from './polling.ts';
import type { DocumentComponents } from '../../../generated/client/index.ts';

type Schemas = DocumentComponents['schemas'];
export type ChunkingStrategy = Schemas['ChunkingStrategy'];


export interface Extracted {
  jobId: string;
  fileName: string;
  status: string;
  pages: Schemas['ExtractedPage'][];
}

/** `onUpload` records the upload itself, which is a signed URL, not an API operation. */
export async function extract(client: PlaygroundClient, file: File, onUpload: (request: { url: string; bytes: number }, status: number) => void): Promise<Extracted> {
  const { document } = client;
  const { extraction_job_id: jobId } = await call(document.POST('/document/extraction/create_job', { body: {} }));
  const registered = await call(document.POST('/document/extraction/register_file', { body: { extraction_job_id: jobId, file_name: file.name } }));
  const uploaded = await fetch(registered.upload_url, { method: registered.upload_method ?? 'PUT', body: file });
  onUpload({ url: new URL(registered.upload_url).pathname, bytes: file.size }, uploaded.status);
  if (!uploaded.ok) throw new Error(`The upload answered ${uploaded.status}.`);
  await call(document.POST('/document/extraction/start_job', { body: { extraction_job_id: jobId } }));
  const job = await untilFinished(() => call(document.GET('/document/extraction/job_status/{extraction_job_id}', { params: { path: { extraction_job_id: jobId } } })));
  if (job.status !== 'COMPLETED') return { jobId, fileName: file.name, status: job.status, pages: [] };
  const text = await call(document.GET('/document/extraction/jobs/{extraction_job_id}/files/{file_name}/text', { params: { path: { extraction_job_id: jobId, file_name: file.name } } }));
  return { jobId, fileName: file.name, status: job.status, pages: text.pages };
}

export interface Chunked {
  jobId: string;
  status: string;
  chunks: Schemas['Chunk'][];
}

export async function chunk(client: PlaygroundClient, extracted: Extracted, strategy: ChunkingStrategy, chunkSize: number): Promise<Chunked> {
  const { document } = client;
  const created = await call(document.POST('/document/chunking/create_job', {
    body: { extraction_job_id: extracted.jobId, chunking_strategy: strategy, chunking_params: { chunk_size: chunkSize } },
  }));
  const jobId = created.chunking_job_id;
  const job = await untilFinished(() => call(document.GET('/document/chunking/job_status/{job_id}', { params: { path: { job_id: jobId } } })));
  if (job.status !== 'COMPLETED') return { jobId, status: job.status, chunks: [] };
  const file = await call(document.GET('/document/chunking/jobs/{chunking_job_id}/files/{file_name}/chunks', { params: { path: { chunking_job_id: jobId, file_name: extracted.fileName } } }));
  return { jobId, status: job.status, chunks: file.chunks };
}
