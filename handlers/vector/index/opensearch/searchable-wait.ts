// OpenSearch Serverless makes written documents searchable only after its refresh interval (it
// has no _refresh API), so a generation published at once could go live with chunks missing.
// Before publishing, the adapter counts the generation's documents until all are searchable:
// polls back off from `firstPollMs` (×2) to `maxPollMs`, and give up after `timeoutMs`.
import { VectorIndexError } from '../ports.ts';

export interface SearchableWait {
  timeoutMs: number;
  firstPollMs: number;
  maxPollMs: number;
}

/** AOSS documents its refresh in seconds; two minutes covers a busy collection with room to spare. */
export const DEFAULT_SEARCHABLE_WAIT: SearchableWait = { timeoutMs: 120_000, firstPollMs: 500, maxPollMs: 5_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `count()` equals `expected`. More than expected (an earlier copy of a rewritten
 * record whose delete is not yet visible) is waited out like fewer; still unequal at the deadline:
 * BACKEND_UNAVAILABLE, so the caller retries (or discards the generation) and nothing goes live.
 */
export async function waitUntilSearchable(what: string, expected: number, count: () => Promise<number>, wait: SearchableWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  let pause = wait.firstPollMs;
  for (;;) {
    const found = await count();
    if (found === expected) return;
    if (Date.now() + pause > deadline) {
      throw new VectorIndexError('BACKEND_UNAVAILABLE', `${what}: ${found} of ${expected} documents searchable after ${Math.round(wait.timeoutMs / 1000)} s; not published`);
    }
    await sleep(pause);
    pause = Math.min(wait.maxPollMs, pause * 2);
  }
}
