// The BPE tokenizer behind `token_count` and the `token` strategy: cl100k_base through js-tiktoken,
// whose ranks ship inside the npm package (nothing is downloaded). Loaded on first use (~0.3 s).
// Special-token text such as "<|endoftext|>" in a document is ordinary text here, never an error.
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

let tokenizer: Tiktoken | undefined;

const encoder = () => (tokenizer ??= new Tiktoken(cl100k));

export const TOKENIZER_NAME = 'cl100k_base';

/** The tokenizer's own count for `text` (js-tiktoken's `encode(text).length`). */
export function countTokens(text: string): number {
  return text === '' ? 0 : encoder().encode(text, [], []).length;
}

/** The pre-tokenizer's pattern: BPE never merges across its matches, so they are where token chunks may end. */
export const pretokenizerPattern = () => new RegExp(cl100k.pat_str, 'gu');
