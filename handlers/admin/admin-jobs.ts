// Jobs across applications for the admin's jobs page. The job store lists one app's jobs at a time
// (its tables are keyed by app, as tenancy wants), so a page here asks every app for one page after
// the same point in "newest first" and merges them: one query per application and page, which
// suits an admin's page of a platform with tens of applications, not thousands.
import { ProblemError } from '../platform/problems.ts';
import type { AppRecord, AppStore } from '../platform/store/ports.ts';
import { JobStoreError, type Job, type JobStore } from '../platform/jobs/ports.ts';
import { decodeCursor, encodeCursor, jobOrderKey, splitJobOrderKey } from '../platform/jobs/rules.ts';
import { existingApp } from './existing-app.ts';
import type { components } from '../../generated/types/admin.ts';

type AdminJob = components['schemas']['AdminJob'];

const DEFAULT_LIMIT = 20;

const orderKey = (job: Job) => jobOrderKey(job.createdAt, job.jobId);

export class AdminJobs {
  constructor(private readonly apps: AppStore, private readonly jobStore: JobStore) {}

  async list(query: { app_id?: string; kind?: string; limit?: number; cursor?: string }): Promise<{ items: AdminJob[]; next: string | null }> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (query.cursor !== undefined) checkCursor(query.cursor);
    const names = new Map((await this.appsOf(query.app_id)).map((app) => [app.appId, app.appName]));
    const pages = await Promise.all([...names.keys()].map((appId) =>
      this.jobStore.list(appId, { kind: query.kind, limit: limit + 1, cursor: query.cursor })));
    const merged = pages.flatMap((page) => page.items).sort((a, b) => (orderKey(a) < orderKey(b) ? 1 : orderKey(a) > orderKey(b) ? -1 : 0));
    const page = merged.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((job) => view(job, names.get(job.appId)!)),
      next: merged.length > limit && last ? encodeCursor(orderKey(last)) : null,
    };
  }

  private async appsOf(appId: string | undefined): Promise<AppRecord[]> {
    return appId === undefined ? this.apps.list() : [await existingApp(this.apps, appId)];
  }
}

function checkCursor(cursor: string): void {
  try {
    splitJobOrderKey(decodeCursor(cursor));
  } catch (error) {
    if (!(error instanceof JobStoreError)) throw error;
    throw new ProblemError('VALIDATION_ERROR', 'The cursor is not one this API returned.', { errors: [{ path: '/query/cursor', message: 'unknown cursor' }] });
  }
}

const view = (job: Job, appName: string): AdminJob => ({
  app_id: job.appId,
  app_name: appName,
  job_id: job.jobId,
  kind: job.kind,
  state: job.state,
  progress: job.progress,
  succeeded: job.succeeded,
  failed: job.failed,
  cancelled: job.cancelled,
  created_at: job.createdAt,
  updated_at: job.updatedAt,
  ...(job.finishedAt && { finished_at: job.finishedAt }),
});
