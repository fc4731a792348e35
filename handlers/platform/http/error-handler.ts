// The one place errors become responses: application/problem+json (RFC 9457) for everything.
// Errors from body parsing and from express-openapi-validator are mapped to the catalogue;
// anything unexpected is logged and answered with a generic 500 that carries only the request id.
import type { NextFunction, Request, Response } from 'express';
import { contextOf } from './request-context.ts';
import { ProblemError, type FieldError, type ProblemCode } from '../problems.ts';
import { problemHeaders, problemStatus, toProblem } from './problem.ts';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
  errors?: { path?: string; message?: string }[];
}

/** Where the validator says a field is (`/body/name`, `.query.limit`) → `body.name`, `query.limit`. */
const fieldPath = (path = '') => path.replace(/^[./]+/, '').replaceAll('/', '.');

function toProblemError(error: unknown, fallbackAuthCode: ProblemCode): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  const e = (error ?? {}) as HttpLikeError;
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.parse.failed') return new ProblemError('MALFORMED_JSON', 'The request body is not valid JSON.');
  if (e.type === 'entity.too.large') return new ProblemError('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${(e as { limit?: number }).limit ?? 'the configured'} bytes.`);
  switch (status) {
    case 400: {
      const errors: FieldError[] = (e.errors ?? []).map((err) => ({ path: fieldPath(err.path), message: err.message ?? 'is invalid' }));
      const detail = errors.length ? errors.map((err) => `${err.path} ${err.message}`).join('; ') : 'The request is invalid.';
      return new ProblemError('VALIDATION_ERROR', detail, { errors });
    }
    case 401:
      return new ProblemError(fallbackAuthCode, fallbackAuthCode === 'SESSION_REQUIRED' ? 'Sign in first.' : 'Send an access token as `Authorization: Bearer <token>`.');
    case 404:
      return new ProblemError('ROUTE_NOT_FOUND', 'No such route.');
    case 405:
      return new ProblemError('METHOD_NOT_ALLOWED', 'This route does not accept that method.');
    case 413:
      return new ProblemError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 415:
      return new ProblemError('UNSUPPORTED_MEDIA_TYPE', 'Send the body with a content type this operation accepts (application/json).');
    default:
      return undefined;
  }
}

/** What a failed credentials check leaves for the error handler (the validator keeps only a status and a message). */
export interface AuthFailure {
  problem: ProblemError;
  /** The scopes of the operation the credentials were checked for. */
  requiredScopes: string[];
}

/**
 * How a service writes an error body when it is not problem+json (the OpenAI-compatible surface
 * answers in OpenAI's envelope, which its clients parse). Status and headers stay the catalogue's.
 */
export type ErrorBody = (error: ProblemError, context: { requestId: string; path: string }) => { contentType: string; body: unknown };

const problemBody: ErrorBody = (error, { requestId, path }) => ({ contentType: 'application/problem+json', body: toProblem(error, requestId, path) });

/**
 * Answers with the problem: its status and headers (Retry-After from the retry hint; a
 * WWW-Authenticate challenge when `challenge` says it comes from a credentials check) and its body.
 */
export function sendProblem(res: Response, error: ProblemError, challenge?: { requiredScopes: readonly string[] }, errorBody = problemBody): void {
  const { contentType, body } = errorBody(error, contextOf(res));
  res.status(problemStatus(error.code));
  for (const [name, value] of Object.entries(problemHeaders(error, challenge))) res.setHeader(name, value);
  res.setHeader('content-type', contentType);
  res.setHeader('cache-control', 'no-store');
  // Written directly, not through res.json: the response validator must not re-validate
  // (and possibly reject) the error it is reporting.
  res.end(JSON.stringify(body));
}

/**
 * @param fallbackAuthCode the code for a request that carried no credentials at all.
 * @param errorBody the body of every error (problem+json by default).
 */
export function problemErrorHandler(fallbackAuthCode: ProblemCode, errorBody = problemBody) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    // A client that went away gets no answer, and the abort it caused is no error of ours.
    if ((error as Error | undefined)?.name === 'AbortError' && req.socket.destroyed) return;
    const authFailure = res.locals.authFailure as AuthFailure | undefined;
    const status = (error as HttpLikeError)?.status;
    if (authFailure && (status === 401 || status === 403)) return sendProblem(res, authFailure.problem, authFailure, errorBody);
    const problem = toProblemError(error, fallbackAuthCode);
    // No credentials at all: the 401 challenges for them.
    if (problem) return sendProblem(res, problem, problem.code === fallbackAuthCode && status === 401 ? { requiredScopes: [] } : undefined, errorBody);
    contextOf(res).log.error({ err: error }, 'unhandled error');
    sendProblem(res, new ProblemError('INTERNAL_ERROR', 'An unexpected error occurred.'), undefined, errorBody);
  };
}
