// RFC 9457 problems: the one error shape of the platform on the wire. Domain code throws a
// ProblemError (../problems.ts: code, detail, field errors, retry hint); this file is the one place
// that maps it to HTTP — its status, its headers and its application/problem+json body — for the
// error handler and for the `error` event of a stream. Status, title and type per code come from
// generated/problems.ts, made by `npm run generate` from openapi/_shared/problems.yaml.
import { problems, type Problem } from '../../../generated/problems.ts';
import type { FieldError, ProblemCode, ProblemError } from '../problems.ts';

export type { ProblemCode, Problem, FieldError };

export const problemType = (code: ProblemCode) => problems[code].type;
export const problemStatus = (code: ProblemCode) => problems[code].status;

const REALM = 'Bearer realm="genai-foundations"';

/**
 * The RFC 6750 challenge of a bearer-token failure. `requiredScopes`: those of the operation the
 * token was checked for (an insufficient scope names them all).
 */
function bearerChallenge(error: ProblemError, requiredScopes: readonly string[]): string | undefined {
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return REALM;
    case 'INVALID_TOKEN':
      return `${REALM}, error="invalid_token", error_description="${error.detail}"`;
    case 'APP_INACTIVE':
      return `${REALM}, error="invalid_token", error_description="application inactive"`;
    case 'INSUFFICIENT_SCOPE':
      return `${REALM}, error="insufficient_scope", scope="${requiredScopes.join(' ')}"`;
    default:
      return undefined;
  }
}

/**
 * The headers a problem answer carries: Retry-After from the retry hint (whole seconds, rounded
 * up) and, for a token check that failed (`challenge`), the WWW-Authenticate challenge.
 */
export function problemHeaders(error: ProblemError, challenge?: { requiredScopes: readonly string[] }): Record<string, string> {
  const headers: Record<string, string> = {};
  const { retryAfterSeconds } = error.options;
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(retryAfterSeconds));
  const authenticate = challenge && bearerChallenge(error, challenge.requiredScopes);
  if (authenticate) headers['www-authenticate'] = authenticate;
  return headers;
}

export function toProblem(error: ProblemError, requestId: string, instance: string): Problem {
  return {
    type: problemType(error.code),
    title: problems[error.code].title,
    status: problemStatus(error.code),
    detail: error.detail,
    code: error.code,
    request_id: requestId,
    instance,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
  };
}

/** Every problem type, for the tests. */
export const problemCatalogue = (Object.keys(problems) as ProblemCode[]).map((code) => ({ code, ...problems[code] }));
