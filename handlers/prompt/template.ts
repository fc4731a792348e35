// `{{variable}}` placeholders: found with one regular expression and replaced as plain text.
// Nothing in a template or a value is ever evaluated, so rendering cannot run code.
import { ProblemError } from '../platform/problems.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The documented cap on rendered text. */
export const MAX_RENDERED_LENGTH = 1_000_000;

export type VariableValue = string | number | boolean;

/** Placeholder names in order of first appearance. */
export function placeholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (match) => match[1]!))];
}

export function render(template: string, variables: Record<string, VariableValue>): string {
  const missing = placeholders(template).filter((name) => !Object.hasOwn(variables, name));
  if (missing.length > 0) {
    throw new ProblemError('MISSING_VARIABLES', `Missing values for: ${missing.join(', ')}.`, {
      errors: missing.map((name) => ({ path: `body.variables.${name}`, message: 'is required by the template' })),
    });
  }
  // Measure before building: a short template that repeats a long value can be enormous.
  let length = template.length;
  for (const match of template.matchAll(PLACEHOLDER)) length += String(variables[match[1]!]).length - match[0].length;
  if (length > MAX_RENDERED_LENGTH) {
    throw new ProblemError('RENDERED_PROMPT_TOO_LARGE', `The rendered text would be ${length} characters; the limit is ${MAX_RENDERED_LENGTH}.`);
  }
  return template.replace(PLACEHOLDER, (_, name: string) => String(variables[name]));
}
