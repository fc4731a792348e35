// Admin sign-in through the Cognito admin pool: the portal sends the authorization code (and its
// PKCE verifier) it got from the pool's hosted sign-in; this exchanges it at the pool's token
// endpoint and verifies the ID token before the admin service opens its own session.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AdminCognitoConfig } from '../platform/config.ts';
import { ProblemError } from '../platform/problems.ts';

/** Longest wait for the token endpoint and for the pool's keys. */
const TIMEOUT_MS = 10_000;
/** Clock difference tolerated on `exp`, `iat` and `auth_time`. */
const CLOCK_TOLERANCE_SECONDS = 30;

const rejected = (detail: string) => new ProblemError('INVALID_CREDENTIALS', detail);
const unreachable = (what: string) => new ProblemError('BACKEND_UNAVAILABLE', `The admin user pool's ${what} could not be reached; retry.`, { retryAfterSeconds: 2 });

export interface CognitoCode {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

export class CognitoAdminSignIn {
  private readonly keys: JWTVerifyGetKey;

  constructor(readonly pool: AdminCognitoConfig) {
    this.keys = createRemoteJWKSet(new URL(`${pool.issuer}/.well-known/jwks.json`), { timeoutDuration: TIMEOUT_MS });
  }

  /** The signed-in administrator's e-mail, once the code is exchanged and its ID token verified. */
  async signIn({ code, codeVerifier, redirectUri }: CognitoCode): Promise<string> {
    const idToken = await this.exchange(new URLSearchParams({
      grant_type: 'authorization_code', client_id: this.pool.clientId, code, code_verifier: codeVerifier, redirect_uri: redirectUri,
    }));
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(idToken, this.keys, {
        issuer: this.pool.issuer,
        audience: this.pool.clientId,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      // jose's own errors say the token is bad; anything else (a failed fetch of the keys) is the pool's side.
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) throw unreachable('signing keys');
      throw rejected('The ID token from the admin user pool did not verify.');
    }
    // An access token is signed by the same keys: only an ID token says who signed in.
    if (claims.token_use !== 'id') throw rejected('The admin user pool did not return an ID token.');
    const email = claims.email;
    if (typeof email !== 'string' || !email) throw rejected('The ID token names no e-mail address.');
    return email;
  }

  private async exchange(form: URLSearchParams): Promise<string> {
    let res: Response;
    try {
      res = await fetch(this.pool.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw unreachable('token endpoint');
    }
    if (res.status >= 500) throw unreachable('token endpoint');
    const body = (await res.json().catch(() => ({}))) as { id_token?: unknown };
    if (!res.ok) throw rejected('The admin user pool did not accept the sign-in code (expired, already used, or issued for another redirect URI).');
    if (typeof body.id_token !== 'string') throw rejected('The admin user pool returned no ID token (the portal client must ask for the openid scope).');
    return body.id_token;
  }
}
