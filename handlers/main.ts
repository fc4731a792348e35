// Composition root for `npm start`: read the config, build the platform, listen. A mistake in the
// set-up (a bad variable, an unusable DATA_DIR, a busy PORT, a HOST that does not resolve) stops
// the process with one line naming the cause and exit code 1, never a stack trace or a hang.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { loadConfig, ConfigError, type Config } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { buildPlatform, type Platform } from './platform-app.ts';
import { CONNECTION_LIMITS, createPlatformServer } from './platform/http/server.ts';

const HOST_LOOKUP_TIMEOUT_MS = 5_000;

function fail(message: string): never {
  process.stderr.write(`start-up error: ${message}\n`);
  process.exit(1);
}

/** Resolves HOST up front with a deadline: listen() alone would wait on a slow resolver. */
async function checkHost(host: string): Promise<void> {
  if (isIP(host)) return;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), HOST_LOOKUP_TIMEOUT_MS).unref());
  try {
    await Promise.race([lookup(host), timeout]);
  } catch {
    fail(`HOST "${host}" does not resolve to an address; use an IP address such as 0.0.0.0 or 127.0.0.1, or a resolvable name`);
  }
}

function listenError(error: NodeJS.ErrnoException, config: Config): string {
  switch (error.code) {
    case 'EADDRINUSE': return `PORT ${config.port} is already in use on ${config.host}; stop the other process or set PORT to a free port`;
    case 'EACCES': return `PORT ${config.port} needs privileges this user lacks; set PORT to 1024 or above`;
    case 'EADDRNOTAVAIL': return `HOST "${config.host}" is not an address of this machine; use 0.0.0.0 (all interfaces) or 127.0.0.1`;
    default: return `cannot listen on ${config.host}:${config.port} (${error.code ?? error.message})`;
  }
}

function announce(log: ReturnType<typeof createLogger>, config: Config, platform: Platform, port: number): void {
  log.info(
    { url: config.publicUrl, docs: `${config.publicUrl}/docs`, portal: `${config.publicUrl}/portal/`, port, data_dir: config.dataDir, ...platform.startup.summary },
    `GenAI Foundations is listening on ${config.publicUrl} (admin portal at ${config.publicUrl}/portal/, API reference at ${config.publicUrl}/docs)`,
  );
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`configuration error: ${error.message}\n`);
  process.exit(1);
}

await checkHost(config.host);
const log = createLogger(config.logLevel);
let platform: Platform;
try {
  platform = await buildPlatform(config, log);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(1);
  }
  fail(error instanceof Error ? error.message : String(error));
}

// Terminal lines may hold a secret (the first admin's password): printed once, never logged.
if (platform.startup.terminal.length) process.stderr.write(`\n${platform.startup.terminal.join('\n')}\n\n`);
for (const warning of platform.startup.warnings) log.warn({ data_dir: config.dataDir }, warning);

const server = createPlatformServer(platform.handler, { ...CONNECTION_LIMITS, maxConnectionsPerClient: config.maxConnectionsPerClient });
server.once('error', (error: NodeJS.ErrnoException) => fail(listenError(error, config)));
server.listen(config.port, config.host, () => {
  announce(log, config, platform, (server.address() as { port: number }).port);
});

const shutdown = () => {
  log.info('shutting down');
  server.close(() => void platform.close().then(() => process.exit(0)));
  setTimeout(() => process.exit(0), 10_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
