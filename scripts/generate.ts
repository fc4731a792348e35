// npm run generate: write what the problem catalogue drives (the ProblemCode enum, the README table),
// lint the specs, then rebuild everything under generated/ and docs/api/, and the admin portal (admin-ui/dist/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { bundledSpecPath, DO_NOT_EDIT, root, serviceNames } from './specs.ts';
import { buildClient } from './generate-client.ts';
import { buildGateway } from './generate-gateway.ts';
import { MODULES } from '../handlers/modules.ts';
import { PROBLEM_CODE_SCHEMA, problemCatalogue, problemCodeSchema, problemsModule, README, withReadmeTable } from './generate-problems.ts';

// Redocly phones home for telemetry unless told not to; this machine has no network.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
const redocly = (...args: string[]) =>
  execFileSync(`${root}/node_modules/.bin/redocly`, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });

const services = serviceNames();
const step = (name: string) => process.stdout.write(`generate: ${name}\n`);

const PLATFORM_TITLE = 'GenAI Foundations API';
const PLATFORM_INTRO = `One authenticated API for the Generative AI applications of an organisation: model invocation
and embeddings, prompt management, document extraction and chunking, vector stores and search, and an
admin API to onboard applications and set their limits.

**Calling it.** An administrator onboards an application (Admin service) and hands it a client id and
secret. The application exchanges them for an access token at \`POST /oauth2/token\` (OAuth2 client
credentials; with Cognito, at the user pool's token endpoint) and sends it as
\`Authorization: Bearer <token>\` on every call to \`/model/*\`, \`/prompt/*\`, \`/document/*\` and \`/vector/*\`.
Every error is \`application/problem+json\` (RFC 9457) with a stable \`code\` to branch on.

**Outside the services** (no authentication):

| route | what |
|---|---|
| \`GET /healthz\` | liveness: \`200 {"status":"UP"}\` while the process serves requests |
| \`GET /docs/\` | this page (\`GET /\` redirects here); it works offline |
| \`GET /openapi/\` | the list of service specs, \`{"specs":[{"service","url"}]}\` |
| \`GET /openapi/<service>.json\` | one service's bundled OpenAPI document |
`;

// The problem catalogue first: the specs refer to the ProblemCode enum written from it.
step('problems');
const problems = problemCatalogue();
writeFileSync(`${root}/${PROBLEM_CODE_SCHEMA}`, problemCodeSchema(problems));
writeFileSync(`${root}/${README}`, withReadmeTable(readFileSync(`${root}/${README}`, 'utf8'), problems));

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
  const ast = await openapiTS(new URL(`file://${bundledSpecPath(service)}`), { defaultNonNullable: false });
  writeFileSync(`${root}/generated/types/${service}.ts`, `// ${DO_NOT_EDIT}\n\n${astToString(ast)}`);
}

step('problem catalogue');
writeFileSync(`${root}/generated/problems.ts`, await problemsModule(problems));

step('client');
writeFileSync(`${root}/generated/client/index.ts`, buildClient(services));

step('gateway');
const edgeRoutes = MODULES.flatMap((module) => module.edgeRoutes ?? []);
writeFileSync(`${root}/generated/gateway/api.json`, `${JSON.stringify(buildGateway(services, problems, edgeRoutes), null, 2)}\n`);

step('docs');
mkdirSync(`${root}/docs/api`, { recursive: true });
const joined = `${root}/generated/openapi/.platform.json`;
redocly('join', ...services.map(bundledSpecPath), '--output', joined);
// join keeps the first spec's info ("Auth service"); the page is about the whole platform.
const platformSpec = JSON.parse(readFileSync(joined, 'utf8'));
platformSpec.info = { ...platformSpec.info, title: PLATFORM_TITLE, description: PLATFORM_INTRO };
writeFileSync(joined, JSON.stringify(platformSpec, null, 2));
const docsPage = `${root}/docs/api/index.html`;
redocly('build-docs', joined, '--inlineBundle', '--output', docsPage, '--title', PLATFORM_TITLE,
  // Redoc sends usage telemetry from the reader's browser unless told not to.
  '--openapi.disableTelemetry=true');
rmSync(joined);
writeFileSync(docsPage, withoutRemoteLogo(readFileSync(docsPage, 'utf8')));

// The admin portal last: it is built on the typed client written above. Committed like the rest,
// so `npm start` (and the container image, which has no dev dependencies) just serves the files.
step('admin portal');
execFileSync(`${root}/node_modules/.bin/vite`, ['build', '--config', `${root}/admin-ui/vite.config.ts`], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });

/**
 * The page must work offline and make no request but to the platform. Redoc CE 3 always renders
 * an "API docs by Redocly" footer whose logo image comes from Redocly's CDN, and has no option to
 * hide it; point the image at an inline SVG instead (the attribution and its link stay). Fails
 * loudly if a Redoc upgrade changes the URLs, so the page never silently goes back to the CDN.
 */
function withoutRemoteLogo(html: string): string {
  const logo = (text: string) =>
    `data:image/svg+xml,${encodeURIComponent(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${text.length * 8}" height="16"><text x="0" y="13" font-family="sans-serif" font-size="13" fill="#888">${text}</text></svg>`,
    )}`;
  const remote = { 'https://cdn.redoc.ly/redoc/logo-mini-full.svg': logo('Redocly'), 'https://cdn.redoc.ly/redoc/logo-mini.svg': logo('R') };
  for (const [url, inline] of Object.entries(remote)) {
    if (html.split(url).length !== 2) throw new Error(`docs: expected ${url} once in the Redoc bundle; did Redoc change?`);
    html = html.replace(url, inline);
  }
  return html;
}
