// `token`: chunks of at most chunk_size cl100k_base tokens, overlapping by at most chunk_overlap
// tokens. Chunks end where the BPE pre-tokenizer splits (BPE never merges across those), so a
// chunk's text re-encodes to about the tokens it was cut from; each chunk is then counted for
// real and shortened if needed, so `token_count <= chunk_size` holds (except for one character
// that alone is more tokens than chunk_size).
import type { MergeSizes } from './langchain-merge.ts';
import { isBlank, Spans } from './spans.ts';
import { countPiece, countTokens, pretokenizerPattern } from './tokenizer.ts';

export function splitTokens(text: string, start: number, end: number, sizes: MergeSizes, out: Spans) {
  const pieces = pretokenize(text, start, end, sizes.chunkSize);
  const counts = pieces.starts.map((pieceStart, i) => countPiece(text.slice(pieceStart, pieces.ends[i])));
  const { chunkSize, chunkOverlap } = sizes;
  for (let head = 0; head < pieces.length; ) {
    let next = head;
    for (let total = 0; next < pieces.length && (next === head || total + counts[next]! <= chunkSize); next++) total += counts[next]!;
    while (next > head + 1 && countTokens(text.slice(pieces.starts[head], pieces.ends[next - 1])) > chunkSize) next--;
    const chunkStart = pieces.starts[head]!;
    const chunkEnd = pieces.ends[next - 1]!;
    if (!isBlank(text, chunkStart, chunkEnd)) out.push(chunkStart, chunkEnd);
    if (next >= pieces.length) break;
    let overlapHead = next;
    for (let overlap = 0; overlapHead > head + 1 && overlap + counts[overlapHead - 1]! <= chunkOverlap; overlapHead--) overlap += counts[overlapHead - 1]!;
    head = overlapHead;
  }
}

/** The pre-tokenizer's pieces; a piece of more UTF-8 bytes than chunkSize is cut at code points (a token is at least one byte). */
function pretokenize(text: string, start: number, end: number, chunkSize: number): Spans {
  const pieces = new Spans();
  for (const match of text.slice(start, end).matchAll(pretokenizerPattern())) {
    const pieceStart = start + match.index;
    if (utf8Length(match[0]) <= chunkSize) pieces.push(pieceStart, pieceStart + match[0].length);
    else cutByBytes(match[0], pieceStart, chunkSize, pieces);
  }
  return pieces;
}

function cutByBytes(piece: string, offset: number, maxBytes: number, out: Spans) {
  let cutStart = 0; // UTF-16 offset in piece
  let cutLength = 0;
  let bytes = 0;
  for (const char of piece) {
    const charBytes = utf8Length(char);
    if (bytes > 0 && bytes + charBytes > maxBytes) {
      out.push(offset + cutStart, offset + cutStart + cutLength);
      cutStart += cutLength;
      cutLength = 0;
      bytes = 0;
    }
    bytes += charBytes;
    cutLength += char.length;
  }
  if (cutLength) out.push(offset + cutStart, offset + cutStart + cutLength);
}

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');
