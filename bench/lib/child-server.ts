// Runs a server in its own process (so the load generator does not share its event loop) and
// finds its port in the `"port":N` log line it prints when it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, createServer } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChildServer {
  url: string;
  rssMb(): number;
  stop(): void;
}

export interface ChildOptions {
  /** Node arguments (a TypeScript script: ['--import', 'tsx', path]). */
  args: string[];
  env?: Record<string, string>;
  /** When the process does not print its port: the port it was told to use. */
  port?: number;
}

/** A port nothing listens on right now (for processes that cannot be told to pick one). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export const tsScript = (path: string) => ['--import', 'tsx', path];

export async function startChildServer(options: ChildOptions, logDir: string, name: string): Promise<ChildServer> {
  const logFile = join(logDir, `${name}.log`);
  const out = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, options.args, {
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', out, out],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const port = options.port ?? readFileSync(logFile, 'utf8').match(/"port":(\d+)/)?.[1];
    if (port && options.port && !(await answers(options.port))) {
      await sleep(100);
      continue;
    }
    if (port) {
      return {
        url: `http://127.0.0.1:${port}`,
        rssMb: () => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024,
        stop: () => child.kill('SIGTERM'),
      };
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start; see ${logFile}`);
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
