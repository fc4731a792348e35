// Per-request plumbing shared by every service: a request id (taken from `x-request-id` when it
// is well formed), a `Server-Timing` header with the platform's own time, and one access-log line.
// It runs on the raw Node request, before any Express app, so every response gets it.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import type { Logger } from '../logger.ts';
import type { RequestContext } from './handler-types.ts';
import { clientAddress } from './client-address.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type ResponseWithLocals = ServerResponse & { locals?: Record<string, unknown> };

export const contextOf = (res: ServerResponse): RequestContext => (res as ResponseWithLocals).locals!.context as RequestContext;

export interface RequestContextOptions {
  /** Proxies in front of the platform whose X-Forwarded-For entries are believed. */
  trustProxyHops: number;
}

export function withRequestContext(log: Logger, next: (req: IncomingMessage, res: ServerResponse) => void, options: RequestContextOptions) {
  return (req: IncomingMessage, res: ResponseWithLocals) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const path = (req.url ?? '/').split('?', 1)[0]!;
    let child: Logger | undefined;
    const context: RequestContext = {
      requestId,
      path,
      // Created on first use: most requests never log beyond the access line.
      get log() {
        return (child ??= log.child({ request_id: requestId }));
      },
      get clientAddress() {
        return clientAddress(req, options.trustProxyHops);
      },
    };
    res.locals = { context };
    res.setHeader('x-request-id', requestId);
    onHeaders(res, () => {
      res.setHeader('server-timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    });
    res.on('finish', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const line = { request_id: requestId, method: req.method, path, status: res.statusCode, ms, app_id: res.locals?.appId };
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    });
    next(req, res);
  };
}
