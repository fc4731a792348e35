// How close an extracted text is to the ground truth, in reading order: 1 − word-level edit
// distance / the longer text's word count (1 is identical, order and all). Case and punctuation
// around words are ignored, so the measure is about words and their order, not typography.

const wordsOf = (text: string) => text.toLowerCase().split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean);

export function textSimilarity(truth: string, extracted: string): number {
  const a = wordsOf(truth);
  const b = wordsOf(extracted);
  if (a.length === 0 && b.length === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return 1 - previous[b.length]! / Math.max(a.length, b.length);
}
