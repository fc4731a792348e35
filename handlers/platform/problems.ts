// Domain errors: what went wrong, in the platform's words, with no HTTP in it. Domain code throws a
// ProblemError with a code from the problem catalogue, a detail safe to show the client, optional
// field errors and an optional retry hint; handlers/platform/http/problem.ts alone maps it to a
// status, headers (Retry-After, WWW-Authenticate) and an application/problem+json body.
// The catalogue's one source is openapi/_shared/problems.yaml (`npm run generate`).
import type { ProblemCode, ProblemFieldError } from '../../generated/problems.ts';

export type { ProblemCode };
export type FieldError = ProblemFieldError;

export interface ProblemOptions {
  /** Which fields of the request are wrong, and how. */
  errors?: FieldError[];
  /** When trying again may succeed, in seconds (rounded up when it is told to the client). */
  retryAfterSeconds?: number;
}

export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    /** This occurrence, safe to show the client: never a stack trace or upstream error text. */
    readonly detail: string,
    readonly options: ProblemOptions = {},
  ) {
    super(detail);
  }
}
