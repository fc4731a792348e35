// npm run generate:sdks: a Python client per service under sdks/python/<service> (gitignored), made by
// openapi-generator 4.3.1 (the jar in the `ogc-jar` package; needs Java) from the bundled specs of
// `npm run generate`, with the generators of openapitools.json.
//
// The generator does not read generated/openapi/<service>.json directly but a copy in
// sdks/openapi/, adjusted for it in two ways that change nothing on the wire:
//  - servers: the specs say `/` (the server that serves them: right for the validator, the API
//    reference at /docs and any deployment) which the generator turns into `http://localhost` with
//    a warning per operation. The copy names the platform's URL: PUBLIC_URL if set, else the
//    `npm start` default http://localhost:8080. Clients can still pass another host.
//  - `null` in the `enum` of a `nullable` schema: OpenAPI 3.0.3 requires it there (and the
//    request validator needs it to accept null), but 4.3.1's Python model template crashes on it
//    ("Null context for variable 'isString'", EmbedRequest.input_type). The template adds None to
//    the allowed values of nullable enums itself, so the copy leaves `null` out.
//
// Fails (exit 1) when a service has no generator in openapitools.json or any generator fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { bundledSpecPath, root, serviceNames } from './specs.ts';

const DEFAULT_SERVER_URL = 'http://localhost:8080';
const serverUrl = (process.env.PUBLIC_URL || DEFAULT_SERVER_URL).replace(/\/+$/, '');

type Generator = { generatorName: string; inputSpec: string; output: string; additionalProperties?: { packageName?: string } };
const config = JSON.parse(readFileSync(`${root}/openapitools.json`, 'utf8'));
const generators = config['generator-cli'].generators as Record<string, Generator>;

const fail = (message: string): never => {
  process.stderr.write(`generate:sdks: ${message}\n`);
  process.exit(1);
};

const sdkSpecPath = (service: string) => `sdks/openapi/${service}.json`;

/** Leaves `null` out of the enums of nullable schemas (see above); returns how many it changed. */
function dropNullFromEnums(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  let changed = 0;
  const schema = node as Record<string, unknown>;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) {
    schema.enum = schema.enum.filter((value) => value !== null);
    schema.nullable = true;
    changed++;
  }
  for (const value of Object.values(schema)) changed += dropNullFromEnums(value);
  return changed;
}

// A spec with `x-sdks: false` (the OpenAI-compatible surface: OpenAI's SDKs call it) gets none.
const services = serviceNames().filter((service) => JSON.parse(readFileSync(bundledSpecPath(service), 'utf8'))['x-sdks'] !== false);
const plan = services.map((service) => {
  const entry = Object.entries(generators).find(([, g]) => g.inputSpec === sdkSpecPath(service));
  if (!entry) fail(`no generator in openapitools.json reads ${sdkSpecPath(service)}: add one for the ${service} service`);
  const [key, generator] = entry!;
  if (!existsSync(bundledSpecPath(service))) fail(`${bundledSpecPath(service)} is missing: run npm run generate`);
  return { service, key, generator };
});
const unknown = Object.entries(generators).filter(([key]) => !plan.some((p) => p.key === key));
if (unknown.length) fail(`openapitools.json has generators for no service: ${unknown.map(([key]) => key).join(', ')}`);

for (const { service, generator } of plan) {
  const spec = JSON.parse(readFileSync(bundledSpecPath(service), 'utf8'));
  spec.servers = [{ url: serverUrl, description: process.env.PUBLIC_URL ? 'PUBLIC_URL' : '`npm start` default' }];
  dropNullFromEnums(spec);
  mkdirSync(`${root}/sdks/openapi`, { recursive: true });
  writeFileSync(`${root}/${sdkSpecPath(service)}`, `${JSON.stringify(spec, null, 2)}\n`);
  // A fresh output folder: no files left from operations or schemas that are gone.
  rmSync(`${root}/${generator.output}`, { recursive: true, force: true });
  mkdirSync(`${root}/${generator.output}`, { recursive: true });
}

const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
if (java.error || java.status !== 0) fail('needs Java (11 or later) on the PATH to run openapi-generator');

process.stdout.write(`generate:sdks: ${plan.map((p) => p.key).join(', ')} (server URL ${serverUrl})\n`);
const run = spawnSync(`${root}/node_modules/.bin/openapi-generator-cli`, ['generate'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
const warnings = output.split('\n').filter((line) => /\bWARN\b/.test(line));
for (const line of warnings) process.stdout.write(`${line}\n`);

const missing = plan.filter(({ generator }) => {
  const pkg = generator.additionalProperties?.packageName;
  return !pkg || !existsSync(`${root}/${generator.output}/${pkg}/__init__.py`);
});
if (run.status !== 0 || missing.length) {
  const errors = output.split('\n').filter((line) => /\bERROR\b|Exception in thread|Caused by|exited with code [1-9]/.test(line));
  process.stderr.write(`${errors.join('\n')}\n`);
  fail(`failed${missing.length ? ` (no package for ${missing.map((p) => p.service).join(', ')})` : ''}; full generator output: npx openapi-generator-cli generate`);
}
process.stdout.write(
  `generate:sdks: ${plan.map((p) => `${p.generator.output} (${p.generator.additionalProperties!.packageName})`).join(', ')}; ${warnings.length} warning(s)\n`,
);
