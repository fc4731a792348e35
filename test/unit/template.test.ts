import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RENDERED_LENGTH, placeholders, render } from '../../handlers/prompt/template.ts';
import { ProblemError } from '../../handlers/platform/problems.ts';

describe('placeholders', () => {
  it('finds names in order of first appearance, once each, with spaces allowed in the braces', () => {
    assert.deepEqual(placeholders('{{b}} {{ a }} {{b}} {{user.name}} {{x-y}}'), ['b', 'a', 'user.name', 'x-y']);
  });

  it('ignores single braces, empty braces and names that start with a digit', () => {
    assert.deepEqual(placeholders('{context} {{}} {{1st}} {{ }}'), []);
  });
});

describe('render', () => {
  it('replaces every occurrence, turning numbers and booleans into text', () => {
    assert.equal(render('{{n}} + {{n}} = {{sum}}? {{ok}}', { n: 1, sum: 2, ok: true }), '1 + 1 = 2? true');
  });

  it('does not re-expand placeholders that appear inside values', () => {
    assert.equal(render('{{a}}{{b}}', { a: '{{b}}', b: 'B' }), '{{b}}B');
  });

  it('keeps $ sequences in values literally (no replacement patterns)', () => {
    assert.equal(render('cost: {{v}}', { v: "$& $1 $$ $'" }), "cost: $& $1 $$ $'");
  });

  it('throws MISSING_VARIABLES naming every missing one', () => {
    assert.throws(() => render('{{a}} {{b}} {{c}}', { b: 'x' }), (error: ProblemError) => {
      assert.equal(error.code, 'MISSING_VARIABLES');
      assert.deepEqual(error.options.errors?.map((e) => e.path), ['body.variables.a', 'body.variables.c']);
      return true;
    });
  });

  it('refuses output over the limit before building it', () => {
    const big = 'x'.repeat(MAX_RENDERED_LENGTH / 4);
    assert.throws(() => render('{{v}}{{v}}{{v}}{{v}}{{v}}', { v: big }), (error: ProblemError) => error.code === 'RENDERED_PROMPT_TOO_LARGE');
    assert.equal(render('{{v}}{{v}}{{v}}{{v}}', { v: big }).length, MAX_RENDERED_LENGTH);
  });
});
