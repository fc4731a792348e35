// RFC 9457 problems: the one error shape of the platform. Domain code throws a ProblemError with a
// code from the catalogue; the error handler turns it into application/problem+json.
// The catalogue's one source is openapi/_shared/problems.yaml; `npm run generate` turns it into the
// ProblemCode enum of every spec and into generated/problems.ts (status, title and type per code),
// which this file reads, so the kernel needs no service's types.
import { problems, type ProblemCode, type Problem, type ProblemFieldError } from '../../../generated/problems.ts';

export type { ProblemCode, Problem };
export type FieldError = ProblemFieldError;

export const problemType = (code: ProblemCode) => problems[code].type;

export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = problems[code].status;
  }
}

export function toProblem(error: ProblemError, requestId: string, instance: string): Problem {
  return {
    type: problemType(error.code),
    title: problems[error.code].title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    request_id: requestId,
    instance,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
  };
}

/** Every problem type, for the tests. */
export const problemCatalogue = (Object.keys(problems) as ProblemCode[]).map((code) => ({ code, ...problems[code] }));
