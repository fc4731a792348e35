// POST /prompt/template/get through the whole stack (token verification, request and response
// validation, SQLite, access log) against bare Express returning the same JSON, in the same run,
// at 1 and 16 connections, alternating the targets. Then RSS after 10k and after 100k requests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, median, type LoadResult } from './lib/load.ts';
import { startChildServer } from './lib/child-server.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const root = new URL('..', import.meta.url).pathname;

export async function benchPromptGet(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-'));
  const password = 'bench-admin-password';
  const platform = await startChildServer(`${root}handlers/main.ts`, { PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dir, 'data'), ADMIN_PASSWORD: password }, dir, 'platform');
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  try {
    const login = await post('/admin/auth/login', { username: 'admin', password });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const app = (await (await post('/admin/platform/create_app_client', { app_name: 'bench', description: 'benchmark' }, { cookie })).json()) as { client_id: string; client_secret: string };
    const tokenResponse = await fetch(`${platform.url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const authorization = `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`;
    await post('/prompt/template/save', { name: 'BENCH_PROMPT', prompt_template: 'Context: {{context}}\nQuestion: {{question}}' }, { authorization });
    const template = await (await post('/prompt/template/get', { name: 'BENCH_PROMPT' }, { authorization })).json();
    const bare = await startChildServer(`${root}bench/targets/bare-express.ts`, { BENCH_TEMPLATE_JSON: JSON.stringify(template) }, dir, 'bare');

    const body = JSON.stringify({ name: 'BENCH_PROMPT' });
    const request = (url: string, connections: number, extra: { duration?: number; amount?: number }) =>
      load({ url: `${url}/prompt/template/get`, method: 'POST', connections, headers: { authorization, 'content-type': 'application/json' }, body, ...extra });

    const lines: string[] = [];
    const say = (line: string) => { lines.push(line); process.stdout.write(`${line}\n`); };

    // Memory first, on a process that has served nothing but the setup calls.
    await request(platform.url, 16, { amount: 10_000 });
    const rss10k = platform.rssMb();
    await request(platform.url, 16, { amount: 90_000 });
    const rss100k = platform.rssMb();

    await request(bare.url, 16, { duration: 2 }); // warm-up
    await request(platform.url, 16, { duration: 2 });

    const results: Record<string, LoadResult[]> = {};
    for (const connections of [1, 16]) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, url] of [['bare', bare.url], ['platform', platform.url]] as const) {
          const result = await request(url, connections, { duration: SECONDS });
          if (result.errors || result.non2xx) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
          (results[`${name}@${connections}`] ??= []).push(result);
        }
      }
    }
    bare.stop();

    const summary = (key: string) => {
      const runs = results[key]!;
      return { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
    };
    say(`POST /prompt/template/get — medians of ${ROUNDS} alternating ${SECONDS}s runs per target`);
    say('| connections | target | req/s | p50 ms | p99 ms |');
    say('|---|---|---|---|---|');
    for (const connections of [1, 16]) {
      for (const name of ['bare', 'platform']) {
        const s = summary(`${name}@${connections}`);
        say(`| ${connections} | ${name === 'bare' ? 'bare Express 5' : 'platform (full stack)'} | ${s.rps.toFixed(0)} | ${s.p50.toFixed(3)} | ${s.p99.toFixed(3)} |`);
      }
    }
    const at = (c: number) => ({ bare: summary(`bare@${c}`), platform: summary(`platform@${c}`) });
    const one = at(1);
    const sixteen = at(16);
    const addedP50 = one.platform.p50 - one.bare.p50;
    const throughputRatio = sixteen.platform.rps / sixteen.bare.rps;
    const growth = (rss100k - rss10k) / rss10k;
    say('');
    say(`added latency at 1 connection: p50 +${addedP50.toFixed(3)} ms, p99 +${(one.platform.p99 - one.bare.p99).toFixed(3)} ms (goal p50 ≤ 0.5 ms: ${addedP50 <= 0.5 ? 'met' : 'NOT met'})`);
    say(`throughput at 16 connections: ${(throughputRatio * 100).toFixed(0)}% of bare Express (goal ≥ 50%: ${throughputRatio >= 0.5 ? 'met' : 'NOT met'})`);
    say(`platform RSS: ${rss10k.toFixed(1)} MiB after 10k requests, ${rss100k.toFixed(1)} MiB after 100k: ${(growth * 100).toFixed(1)}% growth (goal ≤ 10%: ${growth <= 0.1 ? 'met' : 'NOT met'})`);
    return lines.join('\n');
  } finally {
    platform.stop();
  }
}
