// The BPE tokenizer behind `token_count` and the `token` strategy: cl100k_base, whose ranks ship in
// the js-tiktoken npm package (nothing is downloaded). Counting runs js-tiktoken's own algorithm —
// its pre-tokenizer pattern, then byte-pair merges by lowest rank, leftmost first, per piece — on
// ranks keyed by byte strings, with counts of repeated pieces (words) remembered: js-tiktoken's
// `encode` runs at about 0.5 MB/s, far too slow to count every chunk of a 10 MB file.
// `countTokens(text) === encode(text, [], []).length` is checked in the tests against js-tiktoken.
// Special-token text such as "<|endoftext|>" in a document is ordinary text, as with those options.
import cl100k from 'js-tiktoken/ranks/cl100k_base';

export const TOKENIZER_NAME = 'cl100k_base';

let ranks: Map<string, number> | undefined;

/** Token bytes (as a latin1 string) → rank; built on first use (~0.2 s). */
function rankOf(): Map<string, number> {
  if (ranks) return ranks;
  ranks = new Map();
  for (const line of cl100k.bpe_ranks.split('\n')) {
    if (!line) continue;
    const [, offset, ...tokens] = line.split(' ');
    tokens.forEach((token, i) => ranks!.set(Buffer.from(token, 'base64').toString('latin1'), Number(offset) + i));
  }
  return ranks;
}

/** The pre-tokenizer: BPE never merges across its matches, so they are where token chunks may end. */
export const pretokenizerPattern = () => new RegExp(cl100k.pat_str, 'gu');

const CACHED_PIECE_LENGTH = 64;
const CACHED_PIECES = 200_000;
const pieceCounts = new Map<string, number>();

/** The tokenizer's own count for `text`. */
export function countTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(pretokenizerPattern())) count += countPiece(match[0]);
  return count;
}

/** Tokens of one pre-tokenizer piece. */
export function countPiece(piece: string): number {
  let count = pieceCounts.get(piece);
  if (count === undefined) {
    count = bytePairCount(Buffer.from(piece, 'utf8').toString('latin1'), rankOf());
    if (piece.length <= CACHED_PIECE_LENGTH && pieceCounts.size < CACHED_PIECES) pieceCounts.set(piece, count);
  }
  return count;
}

// js-tiktoken's bytePairMerge: merge the adjacent pair whose merge has the lowest rank (the
// leftmost on a tie) until no pair is a token; the parts left are the tokens. Its linear scan per
// merge is quadratic, which a long piece (a base64 blob, a run of letters) turns into minutes, so
// pieces past a few dozen bytes take the same merges from a heap of (rank, position) instead.
function bytePairCount(bytes: string, ranks: Map<string, number>): number {
  if (bytes.length === 1 || ranks.has(bytes)) return 1;
  return bytes.length <= LINEAR_MERGE_BYTES ? linearMergeCount(bytes, ranks) : heapMergeCount(bytes, ranks);
}

const LINEAR_MERGE_BYTES = 48;

function linearMergeCount(bytes: string, ranks: Map<string, number>): number {
  const bounds: number[] = []; // part i is bytes[bounds[i], bounds[i + 1])
  for (let i = 0; i <= bytes.length; i++) bounds.push(i);
  while (bounds.length > 2) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 2 < bounds.length; i++) {
      const rank = ranks.get(bytes.slice(bounds[i], bounds[i + 2]));
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best === -1) break;
    bounds.splice(best + 1, 1);
  }
  return bounds.length - 1;
}

/** The same merges in the same order: a part is named by its start; the heap orders (rank, start). */
function heapMergeCount(bytes: string, ranks: Map<string, number>): number {
  const n = bytes.length;
  const next = new Int32Array(n); // start of the following part, n past the last
  const prev = new Int32Array(n); // start of the preceding part, -1 before the first
  const pairRank = new Float64Array(n); // rank of merging the part with its successor, Infinity if none
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const heap = new MergeHeap();
  const rankAt = (start: number) => {
    const end = next[start]! < n ? next[next[start]!]! : -1;
    return end === -1 ? Infinity : (ranks.get(bytes.slice(start, end)) ?? Infinity);
  };
  for (let i = 0; i + 1 < n; i++) {
    pairRank[i] = rankAt(i);
    if (pairRank[i] !== Infinity) heap.push(pairRank[i]!, i);
  }
  pairRank[n - 1] = Infinity;
  let parts = n;
  const alive = new Uint8Array(n).fill(1);
  while (heap.size) {
    const [rank, start] = heap.pop();
    if (!alive[start] || pairRank[start] !== rank) continue; // stale entry
    const merged = next[start]!;
    alive[merged] = 0;
    next[start] = next[merged]!;
    if (next[start]! < n) prev[next[start]!] = start;
    parts--;
    pairRank[start] = rankAt(start);
    if (pairRank[start] !== Infinity) heap.push(pairRank[start]!, start);
    const before = prev[start]!;
    if (before >= 0) {
      pairRank[before] = rankAt(before);
      if (pairRank[before] !== Infinity) heap.push(pairRank[before]!, before);
    }
  }
  return parts;
}

/** A binary min-heap of (rank, start) pairs, ordered by rank then start. */
class MergeHeap {
  private readonly ranks: number[] = [];
  private readonly starts: number[] = [];

  get size() {
    return this.ranks.length;
  }

  push(rank: number, start: number) {
    this.ranks.push(rank);
    this.starts.push(start);
    for (let i = this.ranks.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.ranks[0]!, this.starts[0]!];
    const lastRank = this.ranks.pop()!;
    const lastStart = this.starts.pop()!;
    if (this.ranks.length) {
      this.ranks[0] = lastRank;
      this.starts[0] = lastStart;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.ranks.length && this.less(left, smallest)) smallest = left;
        if (right < this.ranks.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  private less(a: number, b: number) {
    return this.ranks[a]! < this.ranks[b]! || (this.ranks[a] === this.ranks[b] && this.starts[a]! < this.starts[b]!);
  }

  private swap(a: number, b: number) {
    [this.ranks[a], this.ranks[b]] = [this.ranks[b]!, this.ranks[a]!];
    [this.starts[a], this.starts[b]] = [this.starts[b]!, this.starts[a]!];
  }
}
