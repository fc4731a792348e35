// Spec and code stay one: every operation has a handler and a contract test, every handler an
// operation, and every operationId is unique across the specs.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { operationIds } from '../handlers/platform/http/service-app.ts';
import { specPath } from '../handlers/platform-app.ts';
import { authHandlers } from '../handlers/auth/handlers.ts';
import { promptHandlers } from '../handlers/prompt/handlers.ts';
import { adminHandlers } from '../handlers/admin/handlers.ts';
import { modelHandlers } from '../handlers/model/handlers.ts';
import { openAiHandlers } from '../handlers/openai/handlers.ts';
import { documentHandlers } from '../handlers/document/handlers.ts';
import { vectorHandlers } from '../handlers/vector/handlers.ts';
import { vectorisationHandlers } from '../handlers/vector/vectorisation/handlers.ts';
import { problemCatalogue as handlerCatalogue } from '../handlers/platform/http/problem.ts';
import { problemCatalogue, readmeTable } from '../scripts/generate-problems.ts';

const handlerMaps = {
  auth: authHandlers(undefined as never, undefined as never, ''),
  prompt: promptHandlers(undefined as never, undefined as never),
  model: modelHandlers(undefined as never, undefined as never),
  admin: adminHandlers({ services: [] } as never),
  openai: openAiHandlers(undefined as never),
  document: documentHandlers(undefined as never, undefined as never, undefined as never),
  vector: { ...vectorHandlers(undefined as never, undefined as never, undefined as never, undefined as never), ...vectorisationHandlers(undefined as never) },
};

it('binds exactly one handler to each operation of each spec', () => {
  for (const [service, handlers] of Object.entries(handlerMaps)) {
    assert.deepEqual(Object.keys(handlers).sort(), operationIds(specPath(service)).sort(), service);
  }
});

it('uses each operationId once across all specs', () => {
  const all = Object.keys(handlerMaps).flatMap((service) => operationIds(specPath(service)));
  assert.equal(new Set(all).size, all.length);
});

it('has a describe block of contract tests for every operation', () => {
  const dir = new URL('./contract/', import.meta.url);
  const described = new Set(
    readdirSync(dir).flatMap((file) => Array.from(readFileSync(new URL(file, dir), 'utf8').matchAll(/describe\('(\w+)'/g), (m) => m[1])),
  );
  const untested = Object.keys(handlerMaps).flatMap((service) => operationIds(specPath(service))).filter((id) => !described.has(id));
  assert.deepEqual(untested, []);
});

it('documents every problem code, with its status and type, in openapi/README.md (the table the catalogue makes)', () => {
  const readme = readFileSync(new URL('../openapi/README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(`\n${readmeTable(problemCatalogue())}\n`), 'openapi/README.md: problem table out of date; run npm run generate');
  for (const { code, status, type } of handlerCatalogue) {
    assert.ok(readme.includes(`| \`${code}\` | ${status} | \`${type}\` |`), `${code} missing from openapi/README.md`);
  }
});
