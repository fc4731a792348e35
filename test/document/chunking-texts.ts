// Generated texts for the chunking tests: prose, long words, runs of separators and whitespace,
// BMP and astral unicode, from a seeded generator so a failure names the seed that reproduces it.

export function random(seed: number) {
  let state = (Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995) >>> 0 || 1;
  const next = () => {
    // xorshift32: deterministic, good enough to vary texts
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  for (let i = 0; i < 8; i++) next(); // small seeds start with small states
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick };
}

const WORDS = ['the', 'chunk', 'offset', 'page', 'a', 'I', 'extraction', 'naïve', 'café', 'Straße', '東京', '数据', 'données', 'résumé', 'x', 'ok.', 'end.', 'Why?', 'yes!', '—', '«quote»', 'e\u0301', 'tab\there', 'nbsp\u00a0word'];
const SEPARATORS = [' ', ' ', ' ', ' ', '  ', '\n', '\n\n', '\n\n\n', '\n\n\n\n', '\n \n', ' \n', '\t', '\r\n', '\u3000', '   \n\n  '];

export interface TextOptions {
  /** Astral characters (emoji) as words of their own. */
  astral?: boolean;
  maxWords?: number;
}

/** A text of words and separators, now and then a very long word. */
export function generateText(seed: number, options: TextOptions = {}): string {
  const r = random(seed);
  const words = r.int(0, options.maxWords ?? 300);
  const parts: string[] = [];
  if (r.next() < 0.2) parts.push(r.pick(SEPARATORS));
  for (let i = 0; i < words; i++) {
    const roll = r.next();
    if (roll < 0.04) parts.push('x'.repeat(r.int(10, 400)));
    else if (options.astral && roll < 0.1) parts.push(r.pick(['😀', '👍🏽', '𝔘𝔫𝔦', '🇫🇷']));
    else parts.push(r.pick(WORDS));
    parts.push(r.next() < 0.25 ? r.pick(SEPARATORS) : ' ');
  }
  return parts.join('');
}

/** Prose with paragraphs, sentences and headings-like lines. */
export function generateProse(seed: number, paragraphs: number): string {
  const r = random(seed);
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const sentences: string[] = [];
    for (let s = r.int(1, 6); s > 0; s--) {
      const words: string[] = [];
      for (let w = r.int(3, 18); w > 0; w--) words.push(r.pick(WORDS.slice(0, 16)));
      sentences.push(`${words.join(' ').replace(/^./, (c) => c.toUpperCase())}${r.pick(['.', '.', '?', '!'])}`);
    }
    out.push(sentences.join(r.next() < 0.2 ? '\n' : ' '));
  }
  return out.join('\n\n');
}

/** The text as pages joined with PAGE_SEPARATOR, with their offsets, as the chunker receives a file. */
export function asPages(pageTexts: string[]): { text: string; pages: { page_number: number; start: number; end: number }[] } {
  const pages: { page_number: number; start: number; end: number }[] = [];
  let offset = 0;
  pageTexts.forEach((pageText, i) => {
    pages.push({ page_number: i + 1, start: offset, end: offset + pageText.length });
    offset += pageText.length + 2;
  });
  return { text: pageTexts.join('\n\n'), pages };
}
