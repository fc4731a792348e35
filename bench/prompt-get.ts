// POST /prompt/template/get through the whole stack (token verification, request and response
// validation, SQLite, access log) against bare Express returning the same JSON, in the same run,
// at 1 and 16 connections, alternating the targets. Then RSS after 10k and after 100k requests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from './lib/load.ts';
import { compare, rssGrowth, tableRow } from './lib/compare.ts';
import { startChildServer, tsScript } from './lib/child-server.ts';
import { startPlatform } from './lib/platform.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const root = new URL('..', import.meta.url).pathname;

export async function benchPromptGet(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-'));
  const platform = await startPlatform(dir);
  const { authorization } = platform;

  try {
    await platform.post('/prompt/template/save', { name: 'BENCH_PROMPT', prompt_template: 'Context: {{context}}\nQuestion: {{question}}' });
    const template = await (await platform.post('/prompt/template/get', { name: 'BENCH_PROMPT' })).json();
    const bare = await startChildServer({ args: tsScript(`${root}bench/targets/bare-express.ts`), env: { BENCH_TEMPLATE_JSON: JSON.stringify(template) } }, dir, 'bare');

    const body = JSON.stringify({ name: 'BENCH_PROMPT' });
    const request = (url: string, connections: number, extra: { duration?: number; amount?: number }) =>
      load({ url: `${url}/prompt/template/get`, method: 'POST', connections, headers: { authorization, 'content-type': 'application/json' }, body, ...extra });

    const lines: string[] = [];
    const say = (line: string) => { lines.push(line); process.stdout.write(`${line}\n`); };

    // Memory first, on a process that has served nothing but the setup calls.
    const memory = await rssGrowth(platform.rssMb, (amount) => request(platform.url, 16, { amount }));

    const summary = await compare(
      [
        { name: 'bare', run: (c, seconds) => request(bare.url, c, { duration: seconds }) },
        { name: 'platform', run: (c, seconds) => request(platform.url, c, { duration: seconds }) },
      ],
      [1, 16], ROUNDS, SECONDS,
    );
    bare.stop();

    say(`POST /prompt/template/get — medians of ${ROUNDS} alternating ${SECONDS}s runs per target`);
    say('| connections | target | req/s | p50 ms | p99 ms |');
    say('|---|---|---|---|---|');
    for (const c of [1, 16]) {
      say(tableRow(c, 'bare Express 5', summary('bare', c)));
      say(tableRow(c, 'platform (full stack)', summary('platform', c)));
    }
    const at = (c: number) => ({ bare: summary('bare', c), platform: summary('platform', c) });
    const one = at(1);
    const sixteen = at(16);
    const addedP50 = one.platform.p50 - one.bare.p50;
    const throughputRatio = sixteen.platform.rps / sixteen.bare.rps;
    say('');
    say(`added latency at 1 connection: p50 +${addedP50.toFixed(3)} ms, p99 +${(one.platform.p99 - one.bare.p99).toFixed(3)} ms (goal p50 ≤ 0.5 ms: ${addedP50 <= 0.5 ? 'met' : 'NOT met'})`);
    say(`throughput at 16 connections: ${(throughputRatio * 100).toFixed(0)}% of bare Express (goal ≥ 50%: ${throughputRatio >= 0.5 ? 'met' : 'NOT met'})`);
    say(`platform ${memory.line}`);
    return lines.join('\n');
  } finally {
    platform.stop();
  }
}
