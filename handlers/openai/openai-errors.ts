// Errors in OpenAI's envelope, {"error":{"message","type","param","code"}}, which OpenAI's clients
// parse (and raise as their typed errors by status). Status and headers stay the problem
// catalogue's; `code` is the problem code in lower case, `type` OpenAI's class of error, `param`
// the request field at fault. A parameter the spec does not have is `unsupported_parameter`.
import type { ErrorBody } from '../platform/http/error-handler.ts';
import { problemStatus } from '../platform/http/problem.ts';
import type { ProblemError } from '../platform/problems.ts';

/** OpenAI's error types by status (what its API answers with each). */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** The validator's message for a field the schema does not have. */
const UNKNOWN_FIELD = 'must NOT have additional properties';

/** `body.messages.0.content` → `messages[0].content` (OpenAI's way of naming a parameter). */
const paramOf = (path: string) => path.replace(/^body\.?/, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]') || null;

export function openAiError(error: ProblemError): { message: string; type: string; param: string | null; code: string } {
  const type = errorType(problemStatus(error.code));
  const [first] = error.options.errors ?? [];
  if (first?.message === UNKNOWN_FIELD || first?.message.startsWith('Unsupported parameter')) {
    const param = paramOf(first.path);
    return { message: `Unsupported parameter: '${param}' is not supported by this platform.`, type, param, code: 'unsupported_parameter' };
  }
  return { message: error.detail, type, param: first ? paramOf(first.path) : null, code: error.code.toLowerCase() };
}

export const openAiErrorBody: ErrorBody = (error) => ({ contentType: 'application/json', body: { error: openAiError(error) } });
