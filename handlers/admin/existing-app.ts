// The application an admin route names, or APP_NOT_FOUND.
import { ProblemError } from '../platform/problems.ts';
import type { AppRecord, AppStore } from '../platform/store/ports.ts';

export const appNotFound = (appId: string) => new ProblemError('APP_NOT_FOUND', `No application with id ${appId}.`);

export async function existingApp(apps: Pick<AppStore, 'findById'>, appId: string): Promise<AppRecord> {
  const app = await apps.findById(appId);
  if (!app) throw appNotFound(appId);
  return app;
}
