import type { operations } from '../../generated/types/document.ts';
import type { Handlers } from '../platform/http/handler-types.ts';
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { ExtractionJobs } from './extraction-jobs.ts';
import type { ChunkingJobs } from './chunking-jobs.ts';
import type { Schemas } from './views.ts';

const ok = <T>(body: T) => ({ status: 200 as const, body });

export const documentHandlers = (extraction: ExtractionJobs, chunking: ChunkingJobs, ping: () => Promise<void>) =>
  ({
    createExtractionJobViaGet: async ({ principal }) => ok(await extraction.create(principal.appId)),
    createExtractionJob: async ({ principal }) => ok(await extraction.create(principal.appId)),
    registerExtractionFile: async ({ principal, body }) => ok(await extraction.register(principal.appId, body.extraction_job_id, body.file_name)),
    startExtractionJob: async ({ principal, body }) => ok(await extraction.start(principal.appId, body.extraction_job_id)),
    listExtractionJobFiles: async ({ principal, params }) => ok(await extraction.files(principal.appId, params.extraction_job_id)),
    getExtractionJobStatus: async ({ principal, params }) => ok(await extraction.status(principal.appId, params.extraction_job_id)),
    getExtractionFileStatus: async ({ principal, body }) => ok(await extraction.fileStatus(principal.appId, body.extraction_job_id, body.file_name)),
    getExtractionJobResults: async ({ principal, params }) => ok(await extraction.results(principal.appId, params.extraction_job_id)),
    listAllExtractionJobs: async ({ principal }) => ok(await extraction.newest(principal.appId)),
    listExtractionJobs: async ({ principal, query }) => ok(await extraction.page(principal.appId, query.limit, query.cursor)),
    deleteExtractionJob: async ({ principal, params }) => ok(await extraction.delete(principal.appId, params.extraction_job_id)),
    cancelExtractionJob: async ({ principal, params }) => ok(await extraction.cancel(principal.appId, params.extraction_job_id)),
    getExtractedText: async ({ principal, params }) =>
      ok((await extraction.resultDocument(principal.appId, params.extraction_job_id, params.file_name, 'text')) as Schemas['ExtractedText']),
    getExtractedTables: async ({ principal, params }) =>
      ok((await extraction.resultDocument(principal.appId, params.extraction_job_id, params.file_name, 'tables')) as Schemas['ExtractedTables']),

    createChunkingJob: async ({ principal, body }) => ok(await chunking.create(principal.appId, body)),
    getChunkingJobStatus: async ({ principal, params }) => ok(await chunking.status(principal.appId, params.job_id)),
    listChunkingJobFiles: async ({ principal, params }) => ok(await chunking.files(principal.appId, params.job_id)),
    getChunkFileUrl: async ({ principal, body }) => ok(await chunking.fileUrl(principal.appId, body.chunking_job_id, body.file_name)),
    listAllChunkingJobs: async ({ principal }) => ok(await chunking.newest(principal.appId)),
    listChunkingJobs: async ({ principal, query }) => ok(await chunking.page(principal.appId, query.limit, query.cursor)),
    deleteChunkingJob: async ({ principal, params }) => ok(await chunking.delete(principal.appId, params.chunking_job_id)),
    cancelChunkingJob: async ({ principal, params }) => ok(await chunking.cancel(principal.appId, params.chunking_job_id)),
    getChunks: async ({ principal, params }) => ok(await chunking.chunks(principal.appId, params.chunking_job_id, params.file_name)),

    getDocumentServiceHealth: async () => {
      await ping();
      return ok({ status: 'UP' as const });
    },
  }) satisfies Handlers<operations, AppPrincipal>;
