// Gateway overhead: the same chat request sent three ways to one loopback upstream that answers
// at once — straight to it, through the platform (/model/invoke with a real token, validation,
// limits and the ledger on), and through the open-source Portkey gateway — at 1 and 16
// connections, alternating the targets. Then the platform's RSS after 10k and 100k requests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from './lib/load.ts';
import { compare, rssGrowth, tableRow } from './lib/compare.ts';
import { MODEL, QUESTION, ROUNDS, SECONDS, startUpstreamAndPortkey } from './lib/gateways.ts';
import { startPlatform } from './lib/platform.ts';


export async function benchModelInvoke(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-model-'));
  const gateways = await startUpstreamAndPortkey(dir);
  const { upstream, portkey, portkeyHeaders } = gateways;
  const platform = await startPlatform(dir, { OPENAI_BASE_URL: `${upstream.url}/v1`, OPENAI_MODELS: MODEL });
  const lines: string[] = [];
  const say = (line: string) => { lines.push(line); process.stdout.write(`${line}\n`); };

  try {
    const chat = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: QUESTION }] });
    const direct = (c: number, extra: { duration?: number; amount?: number }) =>
      load({ url: `${upstream.url}/v1/chat/completions`, method: 'POST', connections: c, headers: { 'content-type': 'application/json' }, body: chat, ...extra });
    const viaPortkey = (c: number, extra: { duration?: number }) =>
      load({
        url: `${portkey.url}/v1/chat/completions`, method: 'POST', connections: c, body: chat,
        headers: { 'content-type': 'application/json', ...portkeyHeaders },
        ...extra,
      });
    const viaPlatform = (c: number, extra: { duration?: number; amount?: number }) =>
      load({
        url: `${platform.url}/model/invoke`, method: 'POST', connections: c, body: JSON.stringify({ model_name: MODEL, prompt: QUESTION }),
        headers: { 'content-type': 'application/json', authorization: platform.authorization },
        ...extra,
      });

    // Each way must really answer before it is timed.
    for (const [name, response] of [['direct', await direct(1, { amount: 1 })], ['portkey', await viaPortkey(1, { duration: 1 })], ['platform', await viaPlatform(1, { amount: 1 })]] as const) {
      if (response.non2xx || response.errors) throw new Error(`${name} does not answer 2xx; see the logs in ${dir}`);
    }

    const memory = await rssGrowth(platform.rssMb, (amount) => viaPlatform(16, { amount }));
    const summary = await compare(
      [
        { name: 'direct', run: (c, seconds) => direct(c, { duration: seconds }) },
        { name: 'platform', run: (c, seconds) => viaPlatform(c, { duration: seconds }) },
        { name: 'portkey', run: (c, seconds) => viaPortkey(c, { duration: seconds }) },
      ],
      [1, 16], ROUNDS, SECONDS,
    );

    say(`Chat request through each gateway to an upstream that answers at once — medians of ${ROUNDS} alternating ${SECONDS}s runs`);
    say('| connections | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms |');
    say('|---|---|---|---|---|---|---|');
    for (const c of [1, 16]) {
      const base = summary('direct', c);
      for (const [name, label] of [['direct', 'direct to upstream'], ['platform', 'platform /model/invoke'], ['portkey', 'Portkey gateway 1.15.2']] as const) {
        const s = summary(name, c);
        say(tableRow(c, label, s, name === 'direct' ? ' – | – |' : ` ${(s.p50 - base.p50).toFixed(3)} | ${(s.p99 - base.p99).toFixed(3)} |`));
      }
    }
    const added = (name: string, c: number, p: 'p50' | 'p99') => summary(name, c)[p] - summary('direct', c)[p];
    const goal = (ok: boolean) => (ok ? 'met' : 'NOT met');
    say('');
    say(`1 connection, platform added: p50 ${added('platform', 1, 'p50').toFixed(3)} ms (goal ≤ 0.5: ${goal(added('platform', 1, 'p50') <= 0.5)}), p99 ${added('platform', 1, 'p99').toFixed(3)} ms (goal ≤ 1.5: ${goal(added('platform', 1, 'p99') <= 1.5)})`);
    const ratio = summary('platform', 16).rps / summary('portkey', 16).rps;
    const p99Ratio = added('platform', 16, 'p99') / added('portkey', 16, 'p99');
    say(`16 connections: platform throughput ${ratio.toFixed(2)}× Portkey's (goal ≥ 2: ${goal(ratio >= 2)}); added p99 ${(p99Ratio * 100).toFixed(0)}% of Portkey's (goal ≤ 50%: ${goal(p99Ratio <= 0.5)})`);
    say(`platform ${memory.line}`);
    return lines.join('\n');
  } finally {
    platform.stop();
    gateways.stop();
  }
}
