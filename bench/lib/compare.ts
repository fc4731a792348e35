// Runs several targets in alternation (so drift of the machine hits all of them alike) and
// reports the median of each figure over the rounds.
import { median, type LoadResult } from './load.ts';

export interface Target {
  name: string;
  run(connections: number, seconds: number): Promise<LoadResult>;
}

export interface Summary {
  rps: number;
  p50: number;
  p99: number;
}

export async function compare(targets: Target[], connections: number[], rounds: number, seconds: number) {
  const results = new Map<string, LoadResult[]>();
  for (const target of targets) await target.run(16, 2); // warm-up
  for (const c of connections) {
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const result = await target.run(c, seconds);
        if (result.errors || result.non2xx) throw new Error(`${target.name}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
        const key = `${target.name}@${c}`;
        results.set(key, [...(results.get(key) ?? []), result]);
      }
    }
  }
  return (name: string, c: number): Summary => {
    const runs = results.get(`${name}@${c}`)!;
    return { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
  };
}

export const tableRow = (c: number, label: string, s: Summary, extra = '') =>
  `| ${c} | ${label} | ${s.rps.toFixed(0)} | ${s.p50.toFixed(3)} | ${s.p99.toFixed(3)} |${extra}`;

/** RSS of a server after 10k and after 100k requests, and the growth between the two. */
export async function rssGrowth(rssMb: () => number, send: (amount: number) => Promise<unknown>) {
  await send(10_000);
  const rss10k = rssMb();
  await send(90_000);
  const rss100k = rssMb();
  const growth = (rss100k - rss10k) / rss10k;
  return {
    growth,
    line: `RSS: ${rss10k.toFixed(1)} MiB after 10k requests, ${rss100k.toFixed(1)} MiB after 100k: ${(growth * 100).toFixed(1)}% growth (goal ≤ 10%: ${growth <= 0.1 ? 'met' : 'NOT met'})`,
  };
}
