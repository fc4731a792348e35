// The problem catalogue has one source, openapi/_shared/problems.yaml; every copy is what it makes:
// the ProblemCode enum (source schema and every bundled spec), generated/problems.ts, the README
// table (spec-coverage.test.ts) and the API Gateway's gateway responses. `npm test` also
// regenerates and fails on drift; these checks say which copy drifted, without regenerating.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { problems } from '../generated/problems.ts';
import { problemCatalogue as handlerCatalogue } from '../handlers/platform/http/problem.ts';
import { PROBLEM_CODE_SCHEMA, parseProblems, problemCatalogue, problemCodeSchema } from '../scripts/generate-problems.ts';
import { gatewayResponses } from '../scripts/generate-gateway.ts';
import { bundledSpecPath, root, serviceNames } from '../scripts/specs.ts';

const catalogue = problemCatalogue();
const codes = catalogue.map((p) => p.code);

it('derives each type from its code and keeps codes unique', () => {
  assert.equal(new Set(codes).size, codes.length);
  for (const { code, type } of catalogue) assert.equal(type, `/problems/${code.toLowerCase().replaceAll('_', '-')}`);
});

it('writes the ProblemCode enum of the specs from the catalogue', () => {
  assert.equal(readFileSync(`${root}/${PROBLEM_CODE_SCHEMA}`, 'utf8'), problemCodeSchema(catalogue));
  // The OpenAI-compatible surface answers in OpenAI's error envelope (its code is the problem code in lower case).
  for (const service of serviceNames().filter((name) => name !== 'openai')) {
    const spec = JSON.parse(readFileSync(bundledSpecPath(service), 'utf8'));
    assert.deepEqual(spec.components.schemas.ProblemCode.enum, codes, service);
  }
});

it('gives the error handler the catalogue: status, title and type per code', () => {
  assert.deepEqual(
    Object.entries(problems).map(([code, entry]) => ({ code, ...entry })),
    catalogue.map(({ code, status, title, type }) => ({ code, status, title, type })),
  );
  assert.deepEqual(handlerCatalogue.map((p) => p.code), codes);
});

it('answers the gateway\'s own errors with the catalogue\'s problems', () => {
  const gateway = JSON.parse(readFileSync(`${root}/generated/gateway/api.json`, 'utf8'));
  const responses = gateway['x-amazon-apigateway-gateway-responses'];
  assert.deepEqual(responses, gatewayResponses(catalogue));
  for (const [name, response] of Object.entries<{ statusCode: string; responseTemplates: Record<string, string> }>(responses)) {
    const body = JSON.parse(response.responseTemplates['application/json']!);
    const entry = catalogue.find((p) => p.code === body.code);
    assert.ok(entry, `${name}: ${body.code} is not in the catalogue`);
    assert.deepEqual({ type: body.type, title: body.title, status: body.status }, { type: entry.type, title: entry.title, status: entry.status }, name);
    assert.equal(response.statusCode, String(entry.status), name);
  }
});

it('refuses a catalogue entry with a bad code, status, title or key, naming it', () => {
  const ok = { status: 400, title: 'Bad thing', when: 'it is bad' };
  const text = (entries: Record<string, unknown>) => JSON.stringify(entries); // JSON is YAML
  assert.deepEqual(parseProblems(text({ BAD_THING: ok })), [{ code: 'BAD_THING', type: '/problems/bad-thing', ...ok }]);
  assert.throws(() => parseProblems(text({ badThing: ok })), /badThing: codes are UPPER_SNAKE/);
  assert.throws(() => parseProblems(text({ BAD_THING: { ...ok, status: 302 } })), /BAD_THING: status/);
  assert.throws(() => parseProblems(text({ BAD_THING: { ...ok, title: '' } })), /BAD_THING: title/);
  assert.throws(() => parseProblems(text({ BAD_THING: { ...ok, when: 'a | b' } })), /BAD_THING: when/);
  assert.throws(() => parseProblems(text({ BAD_THING: { ...ok, type: '/x' } })), /BAD_THING: unknown keys type/);
});

it('keeps the kernel\'s problem module free of any service\'s types', () => {
  const source = readFileSync(`${root}/handlers/platform/http/problem.ts`, 'utf8');
  assert.doesNotMatch(source, /generated\/types\//);
});
