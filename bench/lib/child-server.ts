// Runs a server in its own process (so the load generator does not share its event loop) and
// finds its port in the `"port":N` log line it prints when it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChildServer {
  url: string;
  rssMb(): number;
  stop(): void;
}

export async function startChildServer(script: string, env: Record<string, string>, logDir: string, name: string): Promise<ChildServer> {
  const logFile = join(logDir, `${name}.log`);
  const out = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', out, out],
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const port = readFileSync(logFile, 'utf8').match(/"port":(\d+)/)?.[1];
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
