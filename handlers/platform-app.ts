// Builds the whole platform from its parts: adapters (embedded defaults or AWS, see adapters.ts),
// one Express app per service (each with its own spec and validator), and a root app that routes
// by path prefix.
import express, { type Express } from 'express';
import { readdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import type { Config, ServiceName } from './platform/config.ts';
import type { Logger } from './platform/logger.ts';
import { createTokenVerifier, type AppPrincipal } from './platform/auth/token-verifier.ts';
import { createServiceApp, loadSpec } from './platform/http/service-app.ts';
import { withRequestContext } from './platform/http/request-context.ts';
import { problemErrorHandler } from './platform/http/error-handler.ts';
import { ProblemError } from './platform/http/problem.ts';
import { TokenIssuer } from './auth/token-issuer.ts';
import { authHandlers } from './auth/handlers.ts';
import { Prompts } from './prompt/prompts.ts';
import { promptHandlers } from './prompt/handlers.ts';
import { AdminAuth, type AdminBootstrap } from './admin/admin-auth.ts';
import { AppClients } from './admin/app-clients.ts';
import { adminHandlers, type ServiceHealthCheck } from './admin/handlers.ts';
import { sameOriginOnly } from './admin/same-origin.ts';
import { noStore } from './platform/http/no-store.ts';
import { createModelModule } from './model/model-module.ts';
import { modelHandlers } from './model/handlers.ts';
import { createAdapters } from './adapters.ts';

const root = new URL('..', import.meta.url).pathname;
export const specPath = (service: string) => `${root}generated/openapi/${service}.json`;

export interface Platform {
  /** The whole platform as one request listener: `http.createServer(platform.handler)`. */
  handler: RequestListener;
  /** What start-up did about the first admin (a generated password is printed once). */
  bootstrapAdmin: AdminBootstrap;
  /** The model module, for tests that look at the ledger. */
  model: ReturnType<typeof createModelModule>;
  /** Stops the workers, writes what is buffered, closes the store. */
  close(): Promise<void>;
}

export async function buildPlatform(config: Config, log: Logger): Promise<Platform> {
  const adapters = await createAdapters(config, log);
  const { apps, ping, signingKeys } = adapters;
  const verifyAppToken = createTokenVerifier({ ...adapters.tokens, apps });
  const adminAuth = new AdminAuth(adapters.admin, {
    sessionTtlSeconds: config.adminSessionTtlSeconds,
    secureCookies: config.secureCookies,
    // PUBLIC_URL's path is the prefix a gateway stage adds (e.g. /prod), so the cookie still matches.
    cookiePath: `${new URL(config.publicUrl).pathname.replace(/\/+$/, '')}/admin`,
  });
  const bootstrapAdmin = await adminAuth.bootstrap(config.adminUsername, config.adminPassword);
  const common = { bodyLimitBytes: config.bodyLimitBytes };

  const runsAll = !config.service && !config.worker;
  const model = createModelModule(config.model, adapters, log, runsAll || config.worker === 'model');
  const healthChecks: ServiceHealthCheck[] = [
    { serviceName: 'Model Invocation Service', check: ping },
    { serviceName: 'Prompt Management Service', check: ping },
  ];
  const allServices: Partial<Record<ServiceName, Express>> = {
    // The platform's own OAuth2 issuer; with Cognito, the user pool's domain serves /oauth2/token.
    ...(signingKeys && {
      auth: createServiceApp({
        ...common,
        specPath: specPath('auth'),
        handlers: authHandlers(new TokenIssuer(apps, signingKeys, config.publicUrl, config.tokenTtlSeconds), signingKeys, config.publicUrl),
      }),
    }),
    prompt: createServiceApp<AppPrincipal>({
      ...common,
      specPath: specPath('prompt'),
      handlers: promptHandlers(new Prompts(adapters.prompts), ping),
      authenticators: { AppToken: verifyAppToken },
      typelessBodyIsJson: true,
    }),
    model: createServiceApp<AppPrincipal>({
      ...common,
      specPath: specPath('model'),
      handlers: modelHandlers(model.service, ping),
      authenticators: { AppToken: verifyAppToken },
      typelessBodyIsJson: true,
    }),
    admin: createServiceApp({
      ...common,
      specPath: specPath('admin'),
      handlers: adminHandlers(adminAuth, new AppClients(apps, adapters.registry, log), healthChecks),
      authenticators: { AdminSession: (req) => adminAuth.authenticate(req) },
      unauthenticatedCode: 'SESSION_REQUIRED',
      before: [noStore, sameOriginOnly(config.publicUrl)],
    }),
  };

  const services = Object.fromEntries(
    Object.entries(allServices).filter(([name]) => runsAll || name === config.service),
  );

  // Everything that is not a service: liveness, the API reference, the bundled specs, and 404s.
  // Links carry PUBLIC_URL's path, the prefix a gateway stage adds (e.g. /prod), like the admin cookie.
  const prefix = new URL(config.publicUrl).pathname.replace(/\/+$/, '');
  const specList = {
    specs: readdirSync(`${root}generated/openapi`)
      .filter((file) => file.endsWith('.json') && !file.startsWith('.'))
      .sort()
      .map((file) => ({ service: file.slice(0, -'.json'.length), url: `${prefix}/openapi/${file}` })),
  };
  const edge = express();
  edge.disable('x-powered-by');
  edge.get('/', (_req, res) => res.redirect(302, `${prefix}/docs/`));
  edge.get('/healthz', (_req, res) => void res.json({ status: 'UP' }));
  edge.use('/docs', express.static(`${root}docs/api`, { index: 'index.html' }));
  edge.get('/openapi', (_req, res) => void res.json(specList)); // also matches /openapi/
  edge.use('/openapi', express.static(`${root}generated/openapi`));
  edge.use((req, _res, next) => next(new ProblemError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}.`)));
  edge.use(problemErrorHandler('UNAUTHENTICATED'));

  // Dispatch on the first path segment straight to the service's own app: no router in front.
  const byPrefix = routeTable(services);
  const handler = withRequestContext(log, (req, res) => {
    const segment = (req.url ?? '/').split('/', 2)[1]?.split('?', 1)[0] ?? '';
    (byPrefix.get(segment) ?? edge)(req, res);
  }, { trustProxyHops: config.trustProxyHops });

  return {
    handler,
    bootstrapAdmin,
    model,
    async close() {
      await model.close();
      await adapters.close();
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
