// Retrieval quality on a generated corpus with known answers: each chunk states one fact about an
// invented person (so only that chunk answers the question about them), facts of one kind are
// phrased alike (so meaning alone cannot tell them apart), and each question is worded
// differently from its fact (so words alone miss some). Embeddings from the offline local
// embedder (USE-lite, 512 dims); the embedded vector index answers; recall@5 per mode.
// Goal: hybrid ≥ the better of vector and text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue } from '../handlers/model/catalogue.ts';
import { LocalEmbedder } from '../handlers/model/providers/local-embedder.ts';
import { openEmbeddedVectorIndex } from '../handlers/vector/index/embedded/embedded-vector-index.ts';
import type { SearchMode } from '../handlers/vector/index/ports.ts';
import { report } from './lib/report.ts';

const FACTS = Number(process.env.BENCH_FACTS ?? 300);
const K = 5;

const SYLLABLES = ['ba', 'ro', 'ka', 'vel', 'in', 'tu', 'mar', 'el', 'so', 'dri', 'an', 'qui', 'lo', 'zen', 'ta', 'phi', 'gor', 'ne'];
const CITIES = ['Lisbon', 'Oslo', 'Kyoto', 'Lima', 'Cairo', 'Quebec', 'Tallinn', 'Perth', 'Bergen', 'Porto'];
const THINGS = ['violin', 'telescope', 'bicycle', 'typewriter', 'compass', 'lantern', 'clock', 'camera'];
const DISHES = ['lentil soup', 'grilled sardines', 'mushroom risotto', 'apple pie', 'fish tacos', 'dumplings'];

const KINDS: { fact: (p: string, i: number) => string; question: (p: string, i: number) => string }[] = [
  { fact: (p, i) => `${p} keeps an old ${THINGS[i % 8]} in a cabinet in ${CITIES[i % 10]}.`, question: (p, i) => `Where is the ${THINGS[i % 8]} that belongs to ${p} stored?` },
  { fact: (p, i) => `${p} was born in ${1900 + (i % 97)} in the town of ${CITIES[(i + 3) % 10]}.`, question: (p) => `What year did ${p} come into the world?` },
  { fact: (p, i) => `The favourite dish of ${p} is ${DISHES[i % 6]}.`, question: (p) => `What food does ${p} enjoy eating most?` },
];

/** A unique invented name per i: its syllables are the base-18 digits of i (and of a scramble of i). */
function person(i: number): string {
  const word = (n: number) => {
    const syllables = [0, 1, 2].map((d) => SYLLABLES[Math.floor(n / SYLLABLES.length ** d) % SYLLABLES.length]!).join('');
    return syllables[0]!.toUpperCase() + syllables.slice(1);
  };
  return `${word(i)} ${word((i * 7919 + 17) % SYLLABLES.length ** 3)}`;
}

export async function benchVectorRetrieval(): Promise<string> {
  const { lines, say } = report();
  const dir = mkdtempSync(join(tmpdir(), 'gaf-bench-retrieval-'));
  const embedder = new LocalEmbedder();
  const model = new Catalogue({ configured: new Set(['local']), openAiModels: [], openAiContextWindow: 0 }).resolve('LOCAL_USE_LITE_512', { kind: 'embed' });
  const embed = async (text: string) => (await embedder.embed(model, [text], {}, AbortSignal.timeout(60_000))).embeddings[0]!;
  const index = openEmbeddedVectorIndex({ dir });
  try {
    const facts = Array.from({ length: FACTS }, (_, i) => ({ id: `fact-${i}`, kind: KINDS[i % KINDS.length]!, who: person(i), i }));
    await index.createIndex({ indexId: 'facts', dimension: 512, space: 'cosine', embeddingModel: 'LOCAL_USE_LITE_512' });
    const records = [];
    for (const { id, kind, who, i } of facts) {
      const text = kind.fact(who, i);
      records.push({
        id, text, vector: await embed(text),
        metadata: { app_id: 'bench', store_id: 'bench', index_id: 'facts', file_name: 'facts.txt', generation: 'g1', page_start: 1, page_end: 1, start: 0, end: text.length, chunking_job_id: 'bench', content_hash: id },
      });
    }
    await index.upsert('facts', records);
    await index.publish('facts', 'facts.txt', 'g1');

    const found: Record<SearchMode, number> = { vector: 0, text: 0, hybrid: 0 };
    for (const { id, kind, who, i } of facts) {
      const text = kind.question(who, i);
      const vector = await embed(text);
      for (const mode of ['vector', 'text', 'hybrid'] as const) {
        const hits = await index.search('facts', { mode, vector, text, k: K });
        if (hits.some((hit) => hit.chunk_id === id)) found[mode]++;
      }
    }
    const recall = (mode: SearchMode) => found[mode] / FACTS;
    say(`${FACTS} facts about invented people (3 kinds phrased alike), one question each, local embedder (USE-lite 512), recall@${K}`);
    say('');
    say('| mode | recall@5 |');
    say('|---|---|');
    for (const mode of ['vector', 'text', 'hybrid'] as const) say(`| ${mode} | ${recall(mode).toFixed(3)} |`);
    say('');
    const best = Math.max(recall('vector'), recall('text'));
    say(`hybrid ${recall('hybrid').toFixed(3)} vs the better single mode ${best.toFixed(3)} (goal hybrid ≥ better: ${recall('hybrid') >= best ? 'met' : 'NOT met'})`);
    return lines.join('\n');
  } finally {
    await index.close();
    await embedder.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
