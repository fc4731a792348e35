// The README's walkthrough, run as written against `npm start` in a real process: the start
// commands are taken from its code blocks (env and all), the curl blocks are run by bash in order.
// Only the address changes (a free port instead of 8080) and the Ollama URL (a loopback fake).
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startPlatformProcess } from './helpers/platform-process.ts';
import { startFakeOpenAi } from './helpers/fake-openai.ts';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'gaf-readme-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The ```sh blocks of the README section under this heading. */
function shellBlocks(heading: string): string[] {
  const start = readme.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `README has no section "${heading}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return [...readme.slice(start, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** `A=1 B='x y' npm start` → { A: '1', B: 'x y' }. */
function startCommandEnv(block: string): Record<string, string> {
  const line = block.trim();
  assert.match(line, /^(\w+=('[^']*'|\S+) )+npm start$/, `not a start command: ${line}`);
  return Object.fromEntries([...line.matchAll(/(\w+)=(?:'([^']*)'|(\S+))/g)].map((m) => [m[1]!, m[2] ?? m[3]!]));
}

/** Runs the script in bash, asynchronously: the fake upstream lives in this process's event loop. */
async function runBash(script: string, port: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', `set -euo pipefail\n${script.replaceAll('localhost:8080', `127.0.0.1:${port}`)}`], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [status] = await once(child, 'exit');
  clearTimeout(timer);
  return { status, stdout, stderr };
}

it('the walkthrough and the OpenAI-compatible models section run as written, in order', { timeout: 180_000 }, async () => {
  const port = await freePort();
  const dataDir = join(scratch, 'data'); // stands in for the README's own fresh DATA_DIR
  const state = join(scratch, 'state.sh');

  const [start, ...steps] = shellBlocks('Walkthrough (copy, paste)');
  const env = startCommandEnv(start!);
  assert.ok(env.DATA_DIR && env.ADMIN_PASSWORD, 'the walkthrough starts on its own data dir with a known password');
  let platform = await startPlatformProcess({ ...env, DATA_DIR: dataDir, PORT: String(port) });
  let walk;
  try {
    walk = await runBash(`${steps.join('\n')}\ndeclare -p B W TOKEN > '${state}'`, port);
  } finally {
    await platform.stop();
  }
  assert.equal(walk.status, 0, walk.stderr);
  const out = walk.stdout;
  assert.match(out, /"username":"admin"/, 'admin login');
  assert.match(out, /"client_secret":"[^"]+"/, 'onboarding');
  assert.match(out, /"text":"Context: The invoice is due on 1 December\.\\nQuestion: When is it due\?"/, 'render of the labelled version 1');
  assert.match(out, /"code":"MISSING_VARIABLES"/);
  assert.match(out, /"embedding":\[/);
  assert.doesNotMatch(walk.stderr, /\S/, walk.stderr);
  const jar = readFileSync(state, 'utf8').match(/W="([^"]+)"/)![1]!;
  assert.ok(jar.startsWith(tmpdir()), 'the cookie jar lives in a temporary folder, not the repository');
  rmSync(jar, { recursive: true, force: true });

  const upstream = await startFakeOpenAi();
  try {
    const [restart, calls] = shellBlocks('Models from an OpenAI-compatible server');
    const modelEnv = startCommandEnv(restart!);
    assert.equal(modelEnv.DATA_DIR, env.DATA_DIR, 'the restart keeps the walkthrough\'s data');
    platform = await startPlatformProcess({ ...modelEnv, DATA_DIR: dataDir, OPENAI_BASE_URL: upstream.url, PORT: String(port) });
    let models;
    try {
      models = await runBash(`source '${state}'\n${calls!}`, port);
    } finally {
      await platform.stop();
    }
    assert.equal(models.status, 0, models.stderr);
    assert.match(models.stdout, /"model_name":"llama3\.2"/, 'list_models');
    assert.match(models.stdout, /"output_text":"echo: Name the capital of France in one word\."/, 'invoke');
    assert.match(models.stdout, /event: done/, 'invoke_stream');
    assert.match(models.stdout, /"status":"SUCCEEDED"/, 'async_output after the restart-free wait');
    assert.deepEqual(upstream.requests.find((r) => r.body.stream)!.body.messages, [
      { role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Count to five.' },
    ]);
  } finally {
    await upstream.close();
  }
});
