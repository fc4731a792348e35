// Onboarding of client applications: each app gets an id, an OAuth2 client id and a secret that
// is shown once and stored only as a hash.
import { ProblemError } from '../platform/http/problem.ts';
import type { AppLimits, AppRecord, AppStatus, AppStore } from '../platform/store/ports.ts';
import { hashClientSecret, newAppId, newClientId, newClientSecret } from '../platform/auth/secrets.ts';

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

const notFound = (appId: string) => new ProblemError('APP_NOT_FOUND', `No application with id ${appId}.`);

export class AppClients {
  constructor(private readonly apps: AppStore) {}

  async create(appName: string, description: string) {
    const secret = newClientSecret();
    const app: AppRecord = {
      appId: newAppId(),
      clientId: newClientId(),
      appName: appName.trim(),
      description: description.trim(),
      status: 'active',
      secretHash: hashClientSecret(secret),
      createdAt: new Date().toISOString(),
      limits: UNLIMITED,
    };
    await this.apps.create(app);
    return { ...view(app), client_secret: secret };
  }

  async list(): Promise<AppClientView[]> {
    return (await this.apps.list()).map(view);
  }

  async setStatus(appId: string, status: AppStatus) {
    const app = await this.apps.update(appId, { status });
    if (!app) throw notFound(appId);
    const verb = status === 'active' ? 'activated' : 'deactivated';
    return { message: `Client ${verb} successfully`, app_id: app.appId, status: app.status };
  }

  async setLimits(appId: string, limits: AppLimits): Promise<AppClientView> {
    const app = await this.apps.update(appId, { limits });
    if (!app) throw notFound(appId);
    return view(app);
  }

  async rotateSecret(appId: string) {
    const secret = newClientSecret();
    const app = await this.apps.update(appId, { secretHash: hashClientSecret(secret) });
    if (!app) throw notFound(appId);
    return { ...view(app), client_secret: secret };
  }

  async delete(appId: string) {
    if (!(await this.apps.delete(appId))) throw notFound(appId);
    return { message: 'Client deleted successfully', app_id: appId };
  }
}
