// A line diff between two versions of a prompt template (jsdiff's Myers diff), as rows with the
// line numbers of each side. Very different texts are not compared line by line: past
// MAX_EDIT_LENGTH edits the diff gives up (undefined), so a huge template never freezes the page.
import { diffLines } from 'diff';

export const MAX_EDIT_LENGTH = 2_000;

export interface DiffRow {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** Line number in the older version (absent for added lines). */
  oldLine?: number;
  /** Line number in the newer version (absent for removed lines). */
  newLine?: number;
}

export function lineDiff(older: string, newer: string): DiffRow[] | undefined {
  const changes = diffLines(older, newer, { maxEditLength: MAX_EDIT_LENGTH, ignoreNewlineAtEof: true });
  if (!changes) return undefined;
  const rows: DiffRow[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const change of changes) {
    const lines = change.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (change.added) rows.push({ kind: 'added', text, newLine: newLine++ });
      else if (change.removed) rows.push({ kind: 'removed', text, oldLine: oldLine++ });
      else rows.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return rows;
}
