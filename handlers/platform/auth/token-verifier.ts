// Verifies application access tokens on every request: signature (only RS256, so `alg: none` and
// HMAC tricks fail), issuer, expiry, token use, scope, and that the client is an active app.
// The same checks apply to Cognito access tokens on AWS; only the key set and issuer differ.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Request } from 'express';
import type { AppLimits, AppStore } from '../store/ports.ts';
import { ProblemError } from '../problems.ts';
import { SIGNING_ALGORITHM } from './signing-keys.ts';

export interface AppPrincipal {
  appId: string;
  clientId: string;
  scopes: string[];
  limits: AppLimits;
}

export interface TokenVerifierOptions {
  issuer: string;
  keys: JWTVerifyGetKey;
  apps: AppStore;
}

/** Clock skew allowed on exp, nbf and iat: both issuers run on NTP-synchronised clocks. */
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * The longest lifetime either issuer grants (TOKEN_TTL_SECONDS and Cognito both stop at a day).
 * Setting it makes jose check `iat` too: a token "issued" in the future, or long ago, is refused.
 */
const MAX_TOKEN_AGE_SECONDS = 86_400;
/** Verified tokens remembered, so a client reusing its token pays for the RSA check once. */
const MAX_CACHED_TOKENS = 10_000;

// The WWW-Authenticate challenges of these failures are HTTP's: http/problem.ts adds them.
const invalidToken = (detail: string) => new ProblemError('INVALID_TOKEN', detail);

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired.';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature is invalid.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The access token claim ${error.claim} is invalid.`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token algorithm is not allowed.';
  if (error instanceof errors.JWKSNoMatchingKey) return 'The access token was not signed by a known key.';
  return 'The access token is malformed.';
}

export function createTokenVerifier({ issuer, keys, apps }: TokenVerifierOptions) {
  // token → its verified claims. Only a byte-identical token hits, so skipping the signature
  // check is safe; expiry and the app's status are still checked on every request.
  const verified = new Map<string, JWTPayload & { exp: number }>();

  async function claimsOf(token: string): Promise<JWTPayload> {
    const cached = verified.get(token);
    if (cached) {
      if (Date.now() / 1000 <= cached.exp + CLOCK_TOLERANCE_SECONDS) return cached;
      verified.delete(token);
    }
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer,
        algorithms: [SIGNING_ALGORITHM],
        requiredClaims: ['exp', 'iat', 'client_id', 'token_use'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      }));
    } catch (error) {
      throw invalidToken(reason(error));
    }
    if (verified.size >= MAX_CACHED_TOKENS) verified.delete(verified.keys().next().value!);
    verified.set(token, claims as JWTPayload & { exp: number });
    return claims;
  }

  return async function verify(req: Request, requiredScopes: string[]): Promise<AppPrincipal> {
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer ([A-Za-z0-9._~+/-]+=*)$/i);
    if (!match) {
      throw new ProblemError('UNAUTHENTICATED', 'Send an access token as `Authorization: Bearer <token>`.');
    }
    const claims = await claimsOf(match[1]!);
    if (claims.token_use !== 'access') throw invalidToken('The token is not an access token.');
    if (typeof claims.client_id !== 'string') throw invalidToken('The access token claim client_id is invalid.');
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    const app = await apps.findByClientId(claims.client_id);
    if (!app) throw invalidToken('The application of this token no longer exists.');
    if (app.status !== 'active') {
      throw new ProblemError('APP_INACTIVE', 'This application is deactivated; ask an administrator to activate it.');
    }
    const lacking = requiredScopes.filter((scope) => !scopes.includes(scope));
    if (lacking.length) {
      throw new ProblemError('INSUFFICIENT_SCOPE', `This operation needs the scope ${lacking.join(' ')}.`);
    }
    req.res!.locals.appId = app.appId;
    return { appId: app.appId, clientId: app.clientId, scopes, limits: app.limits };
  };
}
