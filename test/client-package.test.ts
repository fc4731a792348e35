// The installable typed client (clients/typescript) as a user gets it: `npm pack` builds and packs
// it, a scratch project outside the repository installs the tarball, tsc checks a TypeScript
// consumer and the package README's example against the shipped .d.ts, and both run as plain
// JavaScript against a listening platform (admin login, onboarding, token, prompt, model).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startFakeOpenAi, type FakeOpenAi } from './helpers/fake-openai.ts';
import { ADMIN, listen, startTestPlatform, type TestPlatform } from './helpers/platform.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const packageDir = join(root, 'clients/typescript');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const rootLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages as Record<string, LockEntry>;
type LockEntry = { version: string; resolved?: string; integrity?: string; license?: string; dependencies?: Record<string, string> };

// Under `npm test` the npm_* variables describe the repository's own project: not the child's.
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
const exec = promisify(execFile);
async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    return (await exec(command, args, { cwd, env: { ...childEnv, ...env } })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

let dir: string;
let project: string;
let upstream: FakeOpenAi;
let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gaf-client-package-'));
  project = join(dir, 'app');
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'llama3.2' });
  server = await listen(t.platform.handler);
});
after(async () => {
  await server.close();
  await t.close();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

it('packs the built client alone, depending on the openapi-fetch the repository uses', async () => {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.dependencies, { 'openapi-fetch': rootManifest.dependencies['openapi-fetch'] });

  const [packed] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', dir], packageDir)) as
    { filename: string; integrity: string; files: { path: string }[] }[];
  const files = packed!.files.map((f) => f.path).sort();
  assert.ok(files.includes('dist/client/index.js') && files.includes('dist/client/index.d.ts'), files.join());
  for (const file of files) assert.match(file, /^(dist\/.+\.(js|d\.ts)|README\.md|package\.json)$/);

  // Installed with a lockfile that pins the dependencies to the repository's own lock, so
  // `npm ci --offline` takes them from the npm cache that the repository's `npm ci` filled.
  const tarball = `file:../${packed!.filename}`;
  const packages: Record<string, object> = {
    '': { dependencies: { [manifest.name]: tarball } },
    [`node_modules/${manifest.name}`]: { version: manifest.version, resolved: tarball, integrity: packed!.integrity, dependencies: manifest.dependencies },
  };
  const pending = Object.keys(manifest.dependencies as Record<string, string>);
  for (let name = pending.pop(); name; name = pending.pop()) {
    const { version, resolved, integrity, license, dependencies } = rootLock[`node_modules/${name}`]!;
    packages[`node_modules/${name}`] = { version, resolved, integrity, license, dependencies };
    pending.push(...Object.keys(dependencies ?? {}));
  }
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [manifest.name]: tarball } }));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }));
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], project);
});

it('type-checks a TypeScript consumer and the README example against the shipped declarations', async () => {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  assert.ok(example.includes(`from '${manifest.name}'`), 'the README has a TypeScript example using the package');
  writeFileSync(join(project, 'example.ts'), example);
  writeFileSync(join(project, 'example.mjs'), example);
  copyFileSync(join(root, 'test/fixtures/client-package/consumer.ts'), join(project, 'consumer.ts'));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, lib: ['ES2022', 'DOM'],
      // skipLibCheck as most projects have it (checking @types/node costs seconds); if the package's
      // types were lost (any), the consumer's expected type errors go missing and tsc fails.
      skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')], outDir: 'out',
    },
    files: ['example.ts', 'consumer.ts'],
  }));
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.'], project);
});

it('runs both as JavaScript against a listening platform', async () => {
  const env = { PLATFORM_URL: server.baseUrl, ADMIN_PASSWORD: ADMIN.password };
  const [example, consumer] = await Promise.all([
    run(process.execPath, ['example.mjs'], project, env),
    run(process.execPath, ['out/consumer.js'], project, env),
  ]);
  assert.match(example, /^echo: Context: The invoice is due on 1 December\.\nQuestion: When is it due\? \(\d+ \+ \d+ tokens\)\n$/);
  assert.equal(consumer, 'consumer: ok\n');
});
