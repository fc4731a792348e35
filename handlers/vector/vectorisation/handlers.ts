// The vectorisation job operations of the vector API (the module spreads them into its handler map).
import type { operations } from '../../../generated/types/vector.ts';
import type { Handlers } from '../../platform/http/handler-types.ts';
import type { AppPrincipal } from '../../platform/auth/token-verifier.ts';
import type { VectorisationJobs } from './vectorisation-jobs.ts';

export type VectorisationOperation =
  | 'createVectorizeJob' | 'getVectorizeJobStatus' | 'listAllVectorizeJobs' | 'listVectorizeJobs'
  | 'listVectorizeJobFiles' | 'cancelVectorizeJob' | 'deleteVectorizeJob';

const ok = <T>(body: T) => ({ status: 200 as const, body });

export const vectorisationHandlers = (jobs: VectorisationJobs) =>
  ({
    createVectorizeJob: async ({ principal, body }) => ok(await jobs.create(principal.appId, body)),
    getVectorizeJobStatus: async ({ principal, params }) => ok(await jobs.status(principal.appId, params.vectorize_job_id)),
    listAllVectorizeJobs: async ({ principal }) => ok(await jobs.newest(principal.appId)),
    listVectorizeJobs: async ({ principal, query }) => ok(await jobs.page(principal.appId, query.limit, query.cursor)),
    listVectorizeJobFiles: async ({ principal, params }) => ok(await jobs.files(principal.appId, params.vectorize_job_id)),
    cancelVectorizeJob: async ({ principal, params }) => ok(await jobs.cancel(principal.appId, params.vectorize_job_id)),
    deleteVectorizeJob: async ({ principal, params }) => ok(await jobs.delete(principal.appId, params.vectorize_job_id)),
  }) satisfies Pick<Handlers<operations, AppPrincipal>, VectorisationOperation>;
