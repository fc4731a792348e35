// `Cache-Control: no-store` for every answer of a service: for the admin API, whose answers carry
// client secrets, session cookies and tenant data that no browser or proxy cache should keep.
// Set before the handler runs, so problem answers and validation failures get it too.
import type { RequestHandler } from 'express';

export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};
