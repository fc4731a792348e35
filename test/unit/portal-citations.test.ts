// The playground's cited answer (admin-ui/src/lib/citations.ts).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { citedPrompt, sourceLabel } from '../../admin-ui/src/lib/citations.ts';

it('labels a source by file and pages', () => {
  assert.equal(sourceLabel({ file_name: 'a.pdf', page_start: 2, page_end: 3 }), 'a.pdf, p. 2–3');
  assert.equal(sourceLabel({ file_name: 'a.pdf', page_start: 2, page_end: 2 }), 'a.pdf, p. 2');
  assert.equal(sourceLabel({ file_name: 'notes.txt' }), 'notes.txt');
  assert.equal(sourceLabel({}), 'unnamed source');
});

it('numbers the hits as sources, in order, and asks for bracketed citations', () => {
  const prompt = citedPrompt('When are invoices due?', [
    { text: 'Invoices are due in 30 days.', score: 0.9, chunk_id: 'c1', file_name: 'terms.pdf', page_start: 1, page_end: 1 },
    { text: 'Late invoices accrue interest.', score: 0.7, chunk_id: 'c2', file_name: 'terms.pdf', page_start: 2, page_end: 2 },
  ]);
  assert.match(prompt, /\[1\] \(terms\.pdf, p\. 1\)\nInvoices are due in 30 days\.\n\n\[2\] \(terms\.pdf, p\. 2\)\nLate invoices accrue interest\./);
  assert.match(prompt, /like \[1\]/);
  assert.match(prompt, /Question: When are invoices due\?$/);
});
