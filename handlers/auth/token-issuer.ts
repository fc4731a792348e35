// The local OAuth2 client-credentials issuer (RFC 6749 §4.4): checks an app's client id and
// secret and signs a short-lived JWT access token shaped like Cognito's (client_id, scope,
// token_use), so the same verifier serves both.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { AppStore } from '../platform/store/ports.ts';
import { verifyClientSecret } from '../platform/auth/secrets.ts';
import { SIGNING_ALGORITHM, type SigningKeys } from '../platform/auth/signing-keys.ts';
import type { AppTokens, MintedToken } from '../platform/capabilities/app-tokens.ts';

export const APP_SCOPES = ['genaifoundations/read'];

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

export class OAuthError extends Error {
  constructor(readonly error: OAuthErrorCode, readonly description: string) {
    super(description);
  }
}

export interface TokenGrant {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export class TokenIssuer implements AppTokens {
  constructor(
    private readonly apps: AppStore,
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(clientId: string, clientSecret: string, requestedScope: string | undefined): Promise<TokenGrant> {
    const app = await this.apps.findByClientId(clientId);
    // One answer for every credential failure, so the endpoint does not reveal which client ids exist.
    if (!app || !verifyClientSecret(clientSecret, app.secretHash) || app.status !== 'active') {
      throw new OAuthError('invalid_client', 'Client authentication failed (unknown client, wrong secret, or inactive application).');
    }
    const scopes = requestedScope === undefined ? APP_SCOPES : requestedScope.split(' ').filter(Boolean);
    const unknown = scopes.filter((scope) => !APP_SCOPES.includes(scope));
    if (unknown.length || scopes.length === 0) {
      throw new OAuthError('invalid_scope', `Unknown scope(s): ${unknown.join(' ') || '(empty)'}. Allowed: ${APP_SCOPES.join(' ')}.`);
    }
    const scope = scopes.join(' ');
    const accessToken = await this.sign(app.clientId, scope, this.ttlSeconds, {});
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.ttlSeconds, scope };
  }

  /** The `appTokens` capability: a token with every app scope, without the secret (the caller vouches). */
  async mint(clientId: string, { ttlSeconds, purpose }: { ttlSeconds: number; purpose: string }): Promise<MintedToken> {
    return { accessToken: await this.sign(clientId, APP_SCOPES.join(' '), ttlSeconds, { purpose }), expiresInSeconds: ttlSeconds };
  }

  private sign(clientId: string, scope: string, ttlSeconds: number, extra: Record<string, string>): Promise<string> {
    return new SignJWT({ ...extra, client_id: clientId, scope, token_use: 'access' })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.keys.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setSubject(clientId)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
  }
}
