// The OpenAI-compatible surface's overhead: the same chat request through /v1/chat/completions
// (API key, OpenAI's shapes), through /model/invoke (token, the platform's shapes) and through the
// Portkey gateway, to one loopback upstream that answers at once, at 1 and 16 connections,
// alternating the targets in the same run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from './lib/load.ts';
import { compare, tableRow } from './lib/compare.ts';
import { MODEL, QUESTION, ROUNDS, SECONDS, startUpstreamAndPortkey } from './lib/gateways.ts';
import { startPlatform } from './lib/platform.ts';


export async function benchOpenAiChat(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-openai-'));
  const gateways = await startUpstreamAndPortkey(dir);
  const { upstream, portkey, portkeyHeaders } = gateways;
  const platform = await startPlatform(dir, { OPENAI_BASE_URL: `${upstream.url}/v1`, OPENAI_MODELS: MODEL });
  const lines: string[] = [];
  const say = (line: string) => { lines.push(line); process.stdout.write(`${line}\n`); };

  try {
    const chat = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: QUESTION }] });
    const post = (url: string, body: string, headers: Record<string, string>) => (c: number, extra: { duration?: number; amount?: number }) =>
      load({ url, method: 'POST', connections: c, body, headers: { 'content-type': 'application/json', ...headers }, ...extra });
    const targets = {
      openai: post(`${platform.url}/v1/chat/completions`, chat, { authorization: platform.apiKeyAuthorization }),
      invoke: post(`${platform.url}/model/invoke`, JSON.stringify({ model_name: MODEL, prompt: QUESTION }), { authorization: platform.authorization }),
      portkey: post(`${portkey.url}/v1/chat/completions`, chat, portkeyHeaders),
    };
    // Each way must really answer before it is timed.
    for (const [name, run] of Object.entries(targets)) {
      const response = await run(1, { amount: 1 });
      if (response.non2xx || response.errors) throw new Error(`${name} does not answer 2xx; see the logs in ${dir}`);
    }

    const summary = await compare(
      Object.entries(targets).map(([name, run]) => ({ name, run: (c: number, seconds: number) => run(c, { duration: seconds }) })),
      [1, 16], ROUNDS, SECONDS,
    );
    say(`The same chat request three ways to an upstream that answers at once — medians of ${ROUNDS} alternating ${SECONDS}s runs`);
    say('| connections | target | req/s | p50 ms | p99 ms | p50 over /model/invoke ms | p99 over /model/invoke ms |');
    say('|---|---|---|---|---|---|---|');
    for (const c of [1, 16]) {
      const base = summary('invoke', c);
      for (const [name, label] of [['invoke', 'platform /model/invoke'], ['openai', 'platform /v1/chat/completions'], ['portkey', 'Portkey gateway 1.15.2']] as const) {
        const s = summary(name, c);
        say(tableRow(c, label, s, name === 'invoke' ? ' – | – |' : ` ${(s.p50 - base.p50).toFixed(3)} | ${(s.p99 - base.p99).toFixed(3)} |`));
      }
    }
    const goal = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const added = summary('openai', 1).p50 - summary('invoke', 1).p50;
    const ratio = summary('openai', 16).rps / summary('portkey', 16).rps;
    say('');
    say(`1 connection: /v1/chat/completions adds p50 ${added.toFixed(3)} ms over /model/invoke (goal ≤ 0.1: ${goal(added <= 0.1)})`);
    say(`16 connections: /v1/chat/completions throughput ${ratio.toFixed(2)}× Portkey's (goal ≥ 2: ${goal(ratio >= 2)})`);
    return lines.join('\n');
  } finally {
    platform.stop();
    gateways.stop();
  }
}
