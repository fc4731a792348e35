// The `chunks` capability (platform/capabilities/chunks.ts) over this service's chunking jobs.
import type { DocumentChunks, StoredChunk } from '../platform/capabilities/chunks.ts';
import type { JobStore } from '../platform/jobs/ports.ts';
import type { ChunkingJobs } from './chunking-jobs.ts';
import { allItems } from './job-access.ts';
import { CHUNKING_JOB } from './kinds.ts';

export function documentChunks(jobStore: JobStore, chunkingJobs: ChunkingJobs): DocumentChunks {
  return {
    async job(appId, chunkingJobId) {
      const job = await jobStore.get(appId, chunkingJobId);
      if (job?.kind !== CHUNKING_JOB) return undefined;
      const files = (await allItems(jobStore, job)).map((item) => ({ file_name: item.itemId, state: item.state }));
      return { chunking_job_id: job.jobId, state: job.state, files };
    },
    async read(appId, chunkingJobId, fileName) {
      // The worker writes every field (chunking/ports.ts Chunk); the API schema only requires the seed's `chunk`.
      return (await chunkingJobs.chunks(appId, chunkingJobId, fileName)).chunks as StoredChunk[];
    },
  };
}
