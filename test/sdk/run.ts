// npm run test:sdks: regenerates the Python SDKs (npm run generate:sdks; needs Java), starts the
// platform on a free port with a fresh data directory, then calls one operation through each
// package with python3 (PYTHON to choose another; it needs urllib3, six, python-dateutil and
// certifi, e.g. Debian's python3-urllib3 python3-six python3-dateutil python3-certifi).
// Not part of `npm test`, which needs neither Java nor Python.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../../scripts/specs.ts';

const started = Date.now();
const python = process.env.PYTHON || 'python3';
const expectedHost = (process.env.PUBLIC_URL || 'http://localhost:8080').replace(/\/+$/, '');

const gen = spawnSync('npm', ['run', '-s', 'generate:sdks'], { cwd: root, stdio: 'inherit' });
if (gen.status !== 0) {
  process.stderr.write('test:sdks: generate:sdks failed\n');
  process.exit(1);
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'gaf-sdk-test-'));
const admin = { username: 'admin', password: randomBytes(18).toString('base64url') };
const platform = spawn(process.execPath, ['--import', 'tsx', 'handlers/main.ts'], {
  cwd: root,
  env: {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PUBLIC_URL: url,
    ADMIN_USERNAME: admin.username, ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let exited = false;
platform.on('exit', () => { exited = true; });
const stop = () => {
  if (!exited) platform.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
};

async function waitForPlatform() {
  for (let i = 0; i < 240 && !exited; i++) {
    try {
      if ((await fetch(`${url}/.well-known/openid-configuration`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(exited ? 'the platform exited on start' : 'the platform did not answer within 60 s');
}

type Result = { ok: boolean; error?: string; [key: string]: unknown };
function callSdk(service: string, env: Record<string, string>): Result {
  const run = spawnSync(python, [join(root, 'test/sdk/smoke.py'), service], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, PYTHONPATH: join(root, 'sdks/python', service), GAF_URL: url, GAF_EXPECTED_HOST: expectedHost },
  });
  if (run.error) return { ok: false, error: `cannot run ${python}: ${run.error.message}` };
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    const result = JSON.parse(last) as Result;
    if (!result.ok) process.stderr.write(run.stderr);
    return result;
  } catch {
    process.stderr.write(run.stderr);
    return { ok: false, error: `no result from ${python} (exit ${run.status})` };
  }
}

const results: [string, Result][] = [];
const report = (service: string, result: Result, detail: string) => {
  results.push([service, result]);
  process.stdout.write(result.ok ? `PASS ${service}: ${detail}\n` : `FAIL ${service}: ${result.error}\n`);
};
const skipped = (needs: string): Result => ({ ok: false, error: `not run: needs a working ${needs} SDK` });

try {
  await waitForPlatform();
  const app = callSdk('admin', { GAF_ADMIN_USERNAME: admin.username, GAF_ADMIN_PASSWORD: admin.password });
  report('admin', app, `login_admin + create_app_client → ${app.app_id}`);
  const token = app.ok
    ? callSdk('auth', { GAF_CLIENT_ID: String(app.client_id), GAF_CLIENT_SECRET: String(app.client_secret) })
    : skipped('admin');
  report('auth', token, `issue_access_token (client credentials) → token for ${token.expires_in} s`);
  const bearer = { GAF_TOKEN: String(token.token) };
  const prompt = token.ok ? callSdk('prompt', bearer) : skipped('auth');
  report('prompt', prompt, `create_prompt_template + get_prompt_template → version ${prompt.version}, variables ${JSON.stringify(prompt.variables)}`);
  const model = token.ok ? callSdk('model', bearer) : skipped('auth');
  report('model', model, `list_models + embed_text LOCAL_USE_LITE_512 → ${model.dimensions} dimensions`);
} catch (error) {
  process.stdout.write(`FAIL platform: ${(error as Error).message}\n`);
  results.push(['platform', { ok: false }]);
} finally {
  stop();
}

const failed = results.filter(([, r]) => !r.ok).length;
process.stdout.write(`${results.length - failed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
process.exit(failed ? 1 : 0);
