// The prompts page's line diff (admin-ui/src/lib/prompt-diff.ts).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { lineDiff, MAX_EDIT_LENGTH } from '../../admin-ui/src/lib/prompt-diff.ts';

it('marks removed, added and unchanged lines with the line numbers of each side', () => {
  assert.deepEqual(lineDiff('Hello {{who}}\nBe brief.\nThanks', 'Hello {{who}}\nBe thorough.\nThanks\nBye'), [
    { kind: 'same', text: 'Hello {{who}}', oldLine: 1, newLine: 1 },
    { kind: 'removed', text: 'Be brief.', oldLine: 2 },
    { kind: 'added', text: 'Be thorough.', newLine: 2 },
    { kind: 'same', text: 'Thanks', oldLine: 3, newLine: 3 },
    { kind: 'added', text: 'Bye', newLine: 4 },
  ]);
});

it('shows identical versions as unchanged lines, empty lines included', () => {
  assert.deepEqual(lineDiff('a\n\nb', 'a\n\nb')?.map((r) => r.kind), ['same', 'same', 'same']);
});

it('gives up, rather than freezing the page, on texts too different to compare', () => {
  const lines = (prefix: string) => Array.from({ length: MAX_EDIT_LENGTH + 10 }, (_, i) => `${prefix}${i}`).join('\n');
  assert.equal(lineDiff(lines('a'), lines('b')), undefined);
});
