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
// leftmost on a tie) until no pair is a token; the parts left are the tokens.
function bytePairCount(bytes: string, ranks: Map<string, number>): number {
  if (bytes.length === 1 || ranks.has(bytes)) return 1;
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
