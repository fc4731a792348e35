// Builds the whole platform from its modules (handlers/modules.ts): the kernel's adapters
// (embedded defaults or AWS), each module started on that kernel, one Express app per service
// (each with its own spec and validator), and a root listener that routes by path prefix.
import express, { type Express } from 'express';
import { readdirSync } from 'node:fs';
import type { RequestListener, ServerResponse } from 'node:http';
import { ConfigError, type Config } from './platform/config.ts';
import { sweepExpiredJobs } from './platform/jobs/expiry-sweep.ts';
import type { Logger } from './platform/logger.ts';
import type { HealthCheck, Kernel, ServiceModule, StartedModule } from './platform/module.ts';
import type { UsageLedger } from './platform/usage/usage-ledger.ts';
import { createKernelAdapters } from './platform/adapters.ts';
import { createTokenVerifier } from './platform/auth/token-verifier.ts';
import { createServiceApp, loadSpec } from './platform/http/service-app.ts';
import { withRequestContext } from './platform/http/request-context.ts';
import { problemErrorHandler } from './platform/http/error-handler.ts';
import { ProblemError } from './platform/problems.ts';
import { MODULES } from './modules.ts';
import { LocalBlobStore } from './platform/blobs/local-blob-store.ts';
import { CapabilityRegistry } from './platform/capabilities/registry.ts';
import { createBlobRoutes } from './platform/blobs/blob-routes.ts';

const root = new URL('..', import.meta.url).pathname;
export const specPath = (service: string) => `${root}generated/openapi/${service}.json`;

export interface Platform {
  /** The whole platform as one request listener: `http.createServer(platform.handler)`. */
  handler: RequestListener;
  /** What the modules said at start: log fields, terminal lines (printed once), warnings. */
  startup: { summary: Record<string, unknown>; terminal: string[]; warnings: string[] };
  /** The usage ledger, for tests that look at it. */
  ledger: UsageLedger;
  /** Stops the workers, writes what is buffered, closes the store. */
  close(): Promise<void>;
}

export async function buildPlatform(config: Config, log: Logger, modules: ServiceModule[] = MODULES): Promise<Platform> {
  checkRole(config, modules);
  const settings = new Map(modules.map((module) => [module, module.readConfig?.(config.env)]));
  const adapters = await createKernelAdapters(config, modules, log);
  const health: HealthCheck[] = [];
  const capabilities = new CapabilityRegistry();
  const kernel: Kernel = {
    config, log, health,
    store: adapters.store, jobs: adapters.jobs, jobStore: adapters.jobStore, blobs: adapters.blobs, apps: adapters.apps, ledger: adapters.ledger, limiter: adapters.limiter,
    apiKeys: adapters.apiKeys, capabilities: capabilities.provided,
    signingKeys: adapters.signingKeys, ping: adapters.ping,
    verifyAppToken: createTokenVerifier({ ...adapters.tokens, apps: adapters.apps }),
  };
  const runsAll = !config.service && !config.worker;
  const runOf = (module: ServiceModule) => ({ service: runsAll || config.service === module.name, worker: runsAll || config.worker === module.name });
  const started: [ServiceModule, StartedModule | undefined][] = [];
  // Every module starts, whatever this process serves: a module's capabilities (and its worker's
  // flag) must be there for the modules after it that require them.
  for (const module of modules) {
    capabilities.check(module.name, module.requires);
    const running = await module.start(kernel, runOf(module), settings.get(module));
    capabilities.add(module.name, running?.provides);
    started.push([module, running]);
  }
  const stopSweep = modules.some((module) => module.worker && runOf(module).worker) ? sweepExpiredJobs(adapters.jobStore, log) : undefined;
  for (const [module, running] of started) {
    if (module.title) health.push({ serviceName: module.title, check: running?.health ?? adapters.ping, circuitBreakers: running?.circuitBreakers });
  }

  const services: Record<string, { app: Express; spec: string }> = {};
  for (const [module, running] of started) {
    if (!running?.service) continue;
    const spec = module.specPath ?? specPath(module.name);
    services[module.name] = { spec, app: createServiceApp({ ...running.service, specPath: spec, bodyLimitBytes: config.bodyLimitBytes }) };
  }

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
  // The admin portal (admin-ui/, built into admin-ui/dist): on the API's origin, so its session
  // cookie and the admin API's same-origin rule need nothing more.
  // (Express matches /portal/ here too; only the bare path is redirected, to the trailing slash its relative URLs need.)
  edge.get('/portal', (req, res, next) => (req.path === '/portal' ? res.redirect(301, `${prefix}/portal/`) : next()));
  edge.use('/portal', express.static(`${root}admin-ui/dist`, { index: 'index.html', redirect: false, setHeaders: portalHeaders }));
  edge.get('/openapi', (_req, res) => void res.json(specList)); // also matches /openapi/
  edge.use('/openapi', express.static(`${root}generated/openapi`));
  // Signed upload and download URLs of the local blob store (on S3 they point at S3 itself).
  if (adapters.blobs instanceof LocalBlobStore) edge.use(createBlobRoutes(adapters.blobs));
  edge.use((req, _res, next) => next(new ProblemError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}.`)));
  edge.use(problemErrorHandler('UNAUTHENTICATED'));

  // Dispatch on the first path segment straight to the service's own app: no router in front.
  const byPrefix = routeTable(Object.values(services));
  const handler = withRequestContext(log, (req, res) => {
    const segment = (req.url ?? '/').split('/', 2)[1]?.split('?', 1)[0] ?? '';
    (byPrefix.get(segment) ?? edge)(req, res);
  }, { trustProxyHops: config.trustProxyHops });

  const said = started.flatMap(([, running]) => (running ? [running] : []));
  return {
    handler,
    startup: {
      summary: Object.assign({}, ...said.map((running) => running.summary ?? {})),
      terminal: said.flatMap((running) => running.terminal ?? []),
      warnings: said.flatMap((running) => running.warnings ?? []),
    },
    ledger: adapters.ledger,
    async close() {
      stopSweep?.();
      for (const [, running] of started.reverse()) await running?.close?.();
      await adapters.close();
    },
  };
}

/**
 * The portal loads nothing from elsewhere and talks only to its own origin; it is never framed.
 * (Inline styles are allowed: Svelte and uPlot set element styles.)
 */
function portalHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

/** SERVICE and WORKER name a module of this platform (the kernel's config cannot know them). */
function checkRole(config: Config, modules: ServiceModule[]): void {
  if (config.service && !modules.some((m) => m.name === config.service)) {
    throw new ConfigError(`SERVICE must be one of ${modules.map((m) => m.name).join(', ')}, got "${config.service}"`);
  }
  if (config.worker && !modules.some((m) => m.worker && m.name === config.worker)) {
    throw new ConfigError(`WORKER must be one of ${modules.filter((m) => m.worker).map((m) => m.name).join(', ')}, got "${config.worker}"`);
  }
}

/** First path segment → the service whose spec declares paths under it. */
function routeTable(services: { app: Express; spec: string }[]): Map<string, Express> {
  const table = new Map<string, Express>();
  for (const { app, spec } of services) {
    for (const path of Object.keys(loadSpec(spec).paths)) table.set(path.split('/', 2)[1]!, app);
  }
  return table;
}
