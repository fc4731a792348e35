// `npm start` as a real process: for what only the composition root does (start-up checks, the
// first-start messages, listening on a port).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const root = new URL('../..', import.meta.url).pathname;

export interface PlatformProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function launch(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}handlers/main.ts`], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => (out.stdout += chunk));
  child.stderr!.on('data', (chunk) => (out.stderr += chunk));
  return { child, out };
}

/** Runs the platform and waits for it to exit on its own (killed after `timeoutMs`: a hang). */
export async function runUntilExit(env: Record<string, string>, timeoutMs = 45_000): Promise<Exited> {
  const { child, out } = launch(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, ...out };
}

/** Starts the platform and resolves once it listens (PORT must be given: a fixed, free port). */
export async function startPlatformProcess(env: Record<string, string> & { PORT: string }): Promise<PlatformProcess> {
  const { child, out } = launch(env);
  const deadline = Date.now() + 30_000;
  while (!out.stdout.includes('is listening')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the platform did not start:\n${out.stderr}${out.stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    url: `http://127.0.0.1:${env.PORT}`,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Through a running platform's own routes: the admin signs in, onboards an app, and the app gets a token. */
export async function appBearer(url: string, adminPassword: string, appName = 'crash'): Promise<{ authorization: string }> {
  const post = (path: string, init: { headers?: Record<string, string>; json?: unknown; body?: URLSearchParams }) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { ...init.headers, ...(init.json !== undefined && { 'content-type': 'application/json' }) },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
  const login = await post('/admin/auth/login', { json: { username: 'admin', password: adminPassword } });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const app = await (await post('/admin/platform/create_app_client', { headers: { cookie }, json: { app_name: appName, description: 'x' } })).json();
  const basic = Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64');
  const token = await (await post('/oauth2/token', { headers: { authorization: `Basic ${basic}` }, body: new URLSearchParams({ grant_type: 'client_credentials' }) })).json();
  return { authorization: `Bearer ${token.access_token}` };
}
