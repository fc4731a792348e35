// Per-request plumbing shared by every service: a request id (taken from `x-request-id` when it
// is well formed), a `Server-Timing` header with the platform's own time, and one access-log line.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import onHeaders from 'on-headers';
import type { Logger } from '../logger.ts';
import type { RequestContext } from './handler-types.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const contextOf = (res: Response): RequestContext => res.locals.context as RequestContext;

export function requestContext(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const path = req.path;
    res.locals.context = { requestId, log: log.child({ request_id: requestId }), path } satisfies RequestContext;
    res.setHeader('x-request-id', requestId);
    onHeaders(res, () => {
      res.setHeader('server-timing', `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    });
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: req.method, path, status: res.statusCode, ms: Math.round(ms * 100) / 100, app_id: res.locals.appId };
      if (res.statusCode >= 500) contextOf(res).log.error(line, 'request failed');
      else contextOf(res).log.info(line, 'request');
    });
    next();
  };
}
