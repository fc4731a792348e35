// RFC 9457 problems: the one error shape of the platform. Domain code throws a ProblemError with a
// code from the catalogue below; the error handler turns it into application/problem+json.
// The catalogue is keyed by the spec's ProblemCode enum, so a code missing here fails `tsc`.
// Every service's bundled spec carries the same shared Problem schema; any one of them will do.
import type { components } from '../../../generated/types/prompt.ts';

export type ProblemCode = components['schemas']['ProblemCode'];
export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['ProblemFieldError'];

const catalogue: Record<ProblemCode, { status: number; title: string }> = {
  VALIDATION_ERROR: { status: 400, title: 'Request validation failed' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  INVALID_TOKEN: { status: 401, title: 'Invalid access token' },
  INSUFFICIENT_SCOPE: { status: 403, title: 'Insufficient scope' },
  APP_INACTIVE: { status: 401, title: 'Application inactive' },
  SESSION_REQUIRED: { status: 401, title: 'Admin session required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid username or password' },
  LOGIN_THROTTLED: { status: 429, title: 'Too many failed sign-in attempts' },
  CSRF_REJECTED: { status: 403, title: 'Cross-site request rejected' },
  SIGNED_URL_INVALID: { status: 403, title: 'Invalid signed URL' },
  SIGNED_URL_EXPIRED: { status: 403, title: 'Signed URL expired' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Route not found' },
  BLOB_NOT_FOUND: { status: 404, title: 'Object not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  PROMPT_NOT_FOUND: { status: 404, title: 'Prompt template not found' },
  PROMPT_VERSION_NOT_FOUND: { status: 404, title: 'Prompt template version not found' },
  PROMPT_LABEL_NOT_FOUND: { status: 404, title: 'Prompt label not found' },
  MISSING_VARIABLES: { status: 400, title: 'Missing template variables' },
  RENDERED_PROMPT_TOO_LARGE: { status: 400, title: 'Rendered prompt too large' },
  APP_NOT_FOUND: { status: 404, title: 'Application not found' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  TOKEN_LIMIT_EXCEEDED: { status: 429, title: 'Tokens-per-minute limit reached' },
  TOKEN_BUDGET_EXHAUSTED: { status: 429, title: 'Monthly token budget exhausted' },
  UNKNOWN_MODEL: { status: 400, title: 'Unknown model' },
  WRONG_MODEL_KIND: { status: 400, title: 'Wrong kind of model' },
  CONTEXT_WINDOW_EXCEEDED: { status: 400, title: "Prompt larger than the model's context window" },
  INVOCATION_NOT_FOUND: { status: 404, title: 'Invocation not found' },
  UPSTREAM_REJECTED: { status: 422, title: 'Request rejected by the provider' },
  UPSTREAM_THROTTLED: { status: 429, title: 'Provider throttled the request' },
  UPSTREAM_ERROR: { status: 502, title: 'Upstream error' },
  PROVIDER_NOT_CONFIGURED: { status: 503, title: 'Provider not configured' },
  PROVIDER_UNAVAILABLE: { status: 503, title: 'Provider temporarily unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timeout' },
  CONFLICT: { status: 409, title: 'Concurrent change' },
  BACKEND_UNAVAILABLE: { status: 503, title: 'A platform backend is temporarily unavailable' },
};

export const problemType = (code: ProblemCode) => `/problems/${code.toLowerCase().replaceAll('_', '-')}`;

export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = catalogue[code].status;
  }
}

export function toProblem(error: ProblemError, requestId: string, instance: string): Problem {
  return {
    type: problemType(error.code),
    title: catalogue[error.code].title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    request_id: requestId,
    instance,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
  };
}

/** Every problem type, for the catalogue in the docs and the tests. */
export const problemCatalogue = Object.entries(catalogue).map(([code, entry]) => ({
  code: code as ProblemCode,
  type: problemType(code as ProblemCode),
  ...entry,
}));
