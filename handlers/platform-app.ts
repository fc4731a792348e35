// Builds the whole platform from its parts: adapters (embedded defaults), one Express app per
// service (each with its own spec and validator), and a root app that routes by path prefix.
import express, { type Express } from 'express';
import type { RequestListener } from 'node:http';
import { createLocalJWKSet } from 'jose';
import type { Config, ServiceName } from './platform/config.ts';
import type { Logger } from './platform/logger.ts';
import { openDatabase } from './platform/store/sqlite/database.ts';
import { sqliteAppStore } from './platform/store/sqlite/app-store.ts';
import { cachedAppStore } from './platform/store/cached-app-store.ts';
import { sqliteAdminStore } from './platform/store/sqlite/admin-store.ts';
import { loadOrCreateSigningKeys } from './platform/auth/signing-keys.ts';
import { createTokenVerifier, type AppPrincipal } from './platform/auth/token-verifier.ts';
import { createServiceApp, loadSpec } from './platform/http/service-app.ts';
import { withRequestContext } from './platform/http/request-context.ts';
import { problemErrorHandler } from './platform/http/error-handler.ts';
import { ProblemError } from './platform/http/problem.ts';
import { TokenIssuer } from './auth/token-issuer.ts';
import { authHandlers } from './auth/handlers.ts';
import { Prompts } from './prompt/prompts.ts';
import { promptHandlers } from './prompt/handlers.ts';
import { sqlitePromptStore } from './prompt/sqlite-prompt-store.ts';
import { AdminAuth } from './admin/admin-auth.ts';
import { AppClients } from './admin/app-clients.ts';
import { adminHandlers, type ServiceHealthCheck } from './admin/handlers.ts';
import { sameOriginOnly } from './admin/same-origin.ts';
import { createModelModule } from './model/model-module.ts';
import { modelHandlers } from './model/handlers.ts';

const root = new URL('..', import.meta.url).pathname;
export const specPath = (service: string) => `${root}generated/openapi/${service}.json`;

export interface Platform {
  /** The whole platform as one request listener: `http.createServer(platform.handler)`. */
  handler: RequestListener;
  /** Set when the first admin was created with a generated password (print it once). */
  bootstrapAdmin?: { username: string; generatedPassword?: string };
  /** The model module, for tests that look at the ledger. */
  model: ReturnType<typeof createModelModule>;
  /** Stops the workers, writes what is buffered, closes the store. */
  close(): Promise<void>;
}

export async function buildPlatform(config: Config, log: Logger): Promise<Platform> {
  const db = openDatabase(config.dataDir);
  const apps = cachedAppStore(sqliteAppStore(db));
  const ping = async () => void db.prepare('SELECT 1').get();
  const keys = await loadOrCreateSigningKeys(config.dataDir);
  const verifyAppToken = createTokenVerifier({ issuer: config.publicUrl, keys: createLocalJWKSet({ keys: [keys.publicJwk] }), apps });
  const adminAuth = new AdminAuth(sqliteAdminStore(db), { sessionTtlSeconds: config.adminSessionTtlSeconds, secureCookies: config.secureCookies });
  const bootstrapAdmin = await adminAuth.bootstrap(config.adminUsername, config.adminPassword);
  const common = { bodyLimitBytes: config.bodyLimitBytes };

  const runsAll = !config.service && !config.worker;
  const model = createModelModule(config.model, db, log, runsAll || config.worker === 'model');
  const healthChecks: ServiceHealthCheck[] = [
    { serviceName: 'Model Invocation Service', check: ping },
    { serviceName: 'Prompt Management Service', check: ping },
  ];
  const allServices: Record<ServiceName, Express> = {
    auth: createServiceApp({
      ...common,
      specPath: specPath('auth'),
      handlers: authHandlers(new TokenIssuer(apps, keys, config.publicUrl, config.tokenTtlSeconds), keys, config.publicUrl),
    }),
    prompt: createServiceApp<AppPrincipal>({
      ...common,
      specPath: specPath('prompt'),
      handlers: promptHandlers(new Prompts(sqlitePromptStore(db)), ping),
      authenticators: { AppToken: verifyAppToken },
    }),
    model: createServiceApp<AppPrincipal>({
      ...common,
      specPath: specPath('model'),
      handlers: modelHandlers(model.service, ping),
      authenticators: { AppToken: verifyAppToken },
    }),
    admin: createServiceApp({
      ...common,
      specPath: specPath('admin'),
      handlers: adminHandlers(adminAuth, new AppClients(apps), healthChecks),
      authenticators: { AdminSession: (req) => adminAuth.authenticate(req) },
      unauthenticatedCode: 'SESSION_REQUIRED',
      before: [sameOriginOnly(config.publicUrl)],
    }),
  };

  const services = Object.fromEntries(
    Object.entries(allServices).filter(([name]) => runsAll || name === config.service),
  );

  // Everything that is not a service: liveness, the API reference, the bundled specs, and 404s.
  const edge = express();
  edge.disable('x-powered-by');
  edge.get('/healthz', (_req, res) => void res.json({ status: 'UP' }));
  edge.use('/docs', express.static(`${root}docs/api`, { index: 'index.html' }));
  edge.use('/openapi', express.static(`${root}generated/openapi`));
  edge.use((req, _res, next) => next(new ProblemError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}.`)));
  edge.use(problemErrorHandler('UNAUTHENTICATED'));

  // Dispatch on the first path segment straight to the service's own app: no router in front.
  const byPrefix = routeTable(services);
  const handler = withRequestContext(log, (req, res) => {
    const segment = (req.url ?? '/').split('/', 2)[1]?.split('?', 1)[0] ?? '';
    (byPrefix.get(segment) ?? edge)(req, res);
  });

  return {
    handler,
    bootstrapAdmin,
    model,
    async close() {
      await model.close();
      db.close();
    },
  };
}

/** First path segment → the service whose spec declares paths under it. */
function routeTable(services: Record<string, Express>): Map<string, Express> {
  const table = new Map<string, Express>();
  for (const [name, service] of Object.entries(services)) {
    for (const path of Object.keys(loadSpec(specPath(name)).paths)) table.set(path.split('/', 2)[1]!, service);
  }
  return table;
}
