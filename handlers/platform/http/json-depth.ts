// The nesting limit of JSON bodies, checked on the raw bytes before JSON.parse: every later
// recursive walk (the validator, JSON.stringify to a provider, the ledger) is then safe from
// stack overflows, however the body is built.
import { ProblemError } from '../problems.ts';

/** Deepest nesting of arrays and objects a JSON body may have (documented in openapi/README.md). */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22, BACKSLASH = 0x5c, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;

/** Throws a 400 VALIDATION_ERROR when the body nests deeper than MAX_JSON_DEPTH. */
export function assertJsonDepth(body: Buffer, encoding: string | null): void {
  // UTF-8 bytes of multi-byte characters never equal an ASCII delimiter, so bytes can be scanned as
  // they are; any other charset is re-encoded first.
  const bytes = !encoding || /^utf-?8$/i.test(encoding) ? body : Buffer.from(new TextDecoder(encoding).decode(body));
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new ProblemError('VALIDATION_ERROR', `The body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`, {
          errors: [{ path: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
        });
      }
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      depth--;
    }
  }
}
