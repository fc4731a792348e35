// token_count is cl100k_base's own count: our counter against js-tiktoken's encode on generated
// texts (astral characters, whitespace runs, long words, special-token text).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { countTokens } from '../../handlers/document/chunking/tokenizer.ts';
import { generateProse, generateText } from './chunking-texts.ts';

describe('countTokens', () => {
  it("equals js-tiktoken's encode(text).length on every generated text", () => {
    const tiktoken = new Tiktoken(cl100k);
    for (let seed = 1; seed <= 80; seed++) {
      const text = `${generateText(seed, { astral: true, maxWords: 150 })}<|endoftext|>${generateProse(seed, 3)}  \n\n\t 123456 don't `;
      assert.equal(countTokens(text), tiktoken.encode(text, [], []).length, `seed ${seed}`);
    }
  });

  it('counts nothing in the empty text', () => {
    assert.equal(countTokens(''), 0);
  });
});
