// Composition root for `npm start`: read the config, build the platform, listen.
import { loadConfig, ConfigError } from './platform/config.ts';
import { createLogger } from './platform/logger.ts';
import { createServer } from 'node:http';
import { buildPlatform } from './platform-app.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`configuration error: ${error.message}\n`);
  process.exit(1);
}

const log = createLogger(config.logLevel);
const platform = await buildPlatform(config, log);
if (platform.bootstrapAdmin?.generatedPassword) {
  // Printed once, on the terminal only (not in the JSON logs): it is not stored anywhere in clear.
  process.stderr.write(
    `\nCreated the first admin user "${platform.bootstrapAdmin.username}" with password: ${platform.bootstrapAdmin.generatedPassword}\n` +
      'It is shown only this once. Set ADMIN_USERNAME / ADMIN_PASSWORD before the first start to choose them.\n\n',
  );
}

const server = createServer(platform.handler).listen(config.port, config.host, () => {
  const { port } = server.address() as { port: number };
  log.info({ url: config.publicUrl, port, data_dir: config.dataDir }, 'GenAI Foundations is listening');
});
server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts

const shutdown = () => {
  log.info('shutting down');
  server.close(() => void platform.close().then(() => process.exit(0)));
  setTimeout(() => process.exit(0), 10_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
