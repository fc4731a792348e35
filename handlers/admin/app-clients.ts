// Onboarding of client applications: each app gets an id and an OAuth2 client (id and secret,
// the secret shown once) from the identity provider. The app store is changed first on the way
// down (deactivate, delete) so that tokens stop working at once, and last on the way up.
import type { Logger } from '../platform/logger.ts';
import type { AppLimits, AppRecord, AppStatus, AppStore } from '../platform/store/ports.ts';
import type { JobStore } from '../platform/jobs/ports.ts';
import { newAppId } from '../platform/auth/secrets.ts';
import type { ClientRegistry } from './client-registry.ts';
import { appNotFound } from './existing-app.ts';

export interface AppClientView {
  app_id: string;
  client_id: string;
  app_name: string;
  description: string;
  status: AppStatus;
  date_created: string;
  created_at: string;
  limits: { requests_per_minute: number | null; tokens_per_minute: number | null; monthly_token_budget: number | null };
}

const view = (app: AppRecord): AppClientView => ({
  app_id: app.appId,
  client_id: app.clientId,
  app_name: app.appName,
  description: app.description,
  status: app.status,
  // The seed's format, kept for its clients: "YYYY-MM-DD HH:MM:SS" (UTC).
  date_created: app.createdAt.slice(0, 19).replace('T', ' '),
  created_at: app.createdAt,
  limits: {
    requests_per_minute: app.limits.requestsPerMinute,
    tokens_per_minute: app.limits.tokensPerMinute,
    monthly_token_budget: app.limits.monthlyTokenBudget,
  },
});

const UNLIMITED: AppLimits = { requestsPerMinute: null, tokensPerMinute: null, monthlyTokenBudget: null };


export class AppClients {
  constructor(
    private readonly apps: AppStore,
    private readonly registry: ClientRegistry,
    private readonly log: Logger,
    /** A deleted app's unfinished jobs are cancelled (the job store has no cascade). */
    private readonly jobs: Pick<JobStore, 'cancelApp'>,
  ) {}

  async create(appName: string, description: string) {
    const name = appName.trim();
    const credentials = await this.registry.register(name);
    const app: AppRecord = {
      appId: newAppId(),
      clientId: credentials.clientId,
      appName: name,
      description: description.trim(),
      status: 'active',
      secretHash: credentials.secretHash,
      createdAt: new Date().toISOString(),
      limits: UNLIMITED,
    };
    try {
      await this.apps.create(app);
    } catch (error) {
      await this.removeClient(credentials.clientId);
      throw error;
    }
    return { ...view(app), client_secret: credentials.clientSecret };
  }

  async list(): Promise<AppClientView[]> {
    return (await this.apps.list()).map(view);
  }

  async setStatus(appId: string, status: AppStatus) {
    const app = await this.apps.update(appId, { status });
    if (!app) throw appNotFound(appId);
    await this.registry.setActive(app.clientId, app.appName, status === 'active');
    const verb = status === 'active' ? 'activated' : 'deactivated';
    return { message: `Client ${verb} successfully`, app_id: app.appId, status: app.status };
  }

  async setLimits(appId: string, limits: AppLimits): Promise<AppClientView> {
    const app = await this.apps.update(appId, { limits });
    if (!app) throw appNotFound(appId);
    return view(app);
  }

  async rotateSecret(appId: string) {
    const current = await this.apps.findById(appId);
    if (!current) throw appNotFound(appId);
    const { clientSecret, secretHash } = await this.registry.rotateSecret(current.clientId);
    const app = await this.apps.update(appId, { secretHash });
    if (!app) throw appNotFound(appId);
    return { ...view(app), client_secret: clientSecret };
  }

  async delete(appId: string) {
    const app = await this.apps.findById(appId);
    if (!app || !(await this.apps.delete(appId))) throw appNotFound(appId);
    // The app is gone from the store, so its tokens are already refused; an OAuth client left
    // behind by a failure here can do nothing, and is logged for clean-up.
    await this.removeClient(app.clientId);
    // Best effort too: the model worker also ends a deleted app's invocations itself (APP_INACTIVE).
    await this.jobs.cancelApp(appId).catch((err) => this.log.error({ err, app_id: appId }, 'jobs of a deleted app not cancelled'));
    return { message: 'Client deleted successfully', app_id: appId };
  }

  /** Best effort: a client with no app behind it can get no token the services accept. */
  private async removeClient(clientId: string): Promise<void> {
    await this.registry.remove(clientId).catch((err) => this.log.error({ err, client_id: clientId }, 'orphan OAuth client left behind'));
  }
}
