// npm run generate: lint the specs, then rebuild everything under generated/ and docs/api/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { bundledSpecPath, DO_NOT_EDIT, root, serviceNames } from './specs.ts';
import { buildClient } from './generate-client.ts';
import { buildGateway } from './generate-gateway.ts';

// Redocly phones home for telemetry unless told not to; this machine has no network.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
const redocly = (...args: string[]) =>
  execFileSync(`${root}/node_modules/.bin/redocly`, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });

const services = serviceNames();
const step = (name: string) => process.stdout.write(`generate: ${name}\n`);

step('lint');
try {
  execFileSync(`${root}/node_modules/.bin/redocly`, ['lint', '--format=stylish'], { cwd: root, env, stdio: 'pipe' });
} catch (error) {
  process.stderr.write(String((error as { stdout?: Buffer }).stdout ?? error));
  process.exit(1);
}

for (const dir of ['openapi', 'types', 'client', 'gateway']) {
  rmSync(`${root}/generated/${dir}`, { recursive: true, force: true });
  mkdirSync(`${root}/generated/${dir}`, { recursive: true });
}

step('bundle');
for (const service of services) redocly('bundle', service, '--output', bundledSpecPath(service));

step('types');
for (const service of services) {
  const ast = await openapiTS(new URL(`file://${bundledSpecPath(service)}`));
  writeFileSync(`${root}/generated/types/${service}.ts`, `// ${DO_NOT_EDIT}\n\n${astToString(ast)}`);
}

step('client');
writeFileSync(`${root}/generated/client/index.ts`, buildClient(services));

step('gateway');
writeFileSync(`${root}/generated/gateway/api.json`, `${JSON.stringify(buildGateway(services), null, 2)}\n`);

step('docs');
mkdirSync(`${root}/docs/api`, { recursive: true });
const joined = `${root}/generated/openapi/.platform.json`;
redocly('join', ...services.map(bundledSpecPath), '--output', joined);
redocly('build-docs', joined, '--inlineBundle', '--output', `${root}/docs/api/index.html`,
  '--title', 'GenAI Foundations API');
rmSync(joined);
