// CSRF protection for the admin API, on top of the SameSite=Strict cookie and the JSON-only
// bodies (which a cross-site form cannot send): a state-changing request whose browser says it
// came from another site (Sec-Fetch-Site) or another origin (Origin) is refused.
import type { NextFunction, Request, Response } from 'express';
import { ProblemError } from '../platform/problems.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOriginOnly(publicUrl: string) {
  const trusted = new URL(publicUrl).origin;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const ownOrigin = `${req.protocol}://${req.headers.host}`;
    const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none';
    const foreignOrigin = origin !== undefined && origin !== trusted && origin !== ownOrigin;
    if (crossSite || foreignOrigin) {
      return next(new ProblemError('CSRF_REJECTED', 'State-changing admin requests must come from the admin portal\'s own origin.'));
    }
    next();
  };
}
