// The playground shows every request and response it makes: an openapi-fetch middleware that
// records each exchange (method, path, body sent, status, body received, time taken). The bearer
// token is shown shortened: the full token is a credential.
import type { Middleware } from 'openapi-fetch';

export interface Exchange {
  id: number;
  method: string;
  path: string;
  authorization?: string;
  requestBody?: string;
  status?: number;
  responseBody?: string;
  ms?: number;
}

/** At most this many characters of a body are kept for display. */
export const MAX_SHOWN = 20_000;

const shown = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)` : text);

/** Pretty-prints JSON; other text as is. */
export function readable(text: string): string {
  try {
    return shown(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    return shown(text);
  }
}

export const shortToken = (header: string | null) => (header ? header.replace(/^(Bearer \S{12})\S+$/, '$1…') : undefined);

export function exchangeRecorder(onChange: (exchange: Exchange) => void, now: () => number = () => performance.now()): Middleware {
  let next = 1;
  const open = new Map<Request, { exchange: Exchange; started: number }>();
  return {
    async onRequest({ request }) {
      const body = request.body ? await request.clone().text() : undefined;
      const exchange: Exchange = {
        id: next++,
        method: request.method,
        path: new URL(request.url).pathname,
        authorization: shortToken(request.headers.get('authorization')),
        ...(body && { requestBody: readable(body) }),
      };
      open.set(request, { exchange, started: now() });
      onChange(exchange);
      return request;
    },
    async onResponse({ request, response }) {
      const entry = open.get(request);
      if (!entry) return response;
      open.delete(request);
      onChange({ ...entry.exchange, status: response.status, responseBody: readable(await response.clone().text()), ms: Math.round(now() - entry.started) });
      return response;
    },
  };
}
