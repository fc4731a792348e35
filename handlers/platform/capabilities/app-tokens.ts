// The `appTokens` capability: access tokens minted for an application without its secret, for the
// admin's playground. The auth module provides it, and only where the platform issues tokens
// itself (local identity): with Cognito the pool issues them and nothing here can.

export interface MintedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface AppTokens {
  /** A token of the app's client, valid `ttlSeconds`, carrying `purpose` as a claim (e.g. 'playground'). */
  mint(clientId: string, options: { ttlSeconds: number; purpose: string }): Promise<MintedToken>;
}
