// The platform's own OAuth2 issuer as a module. It runs only with local identity: with Cognito,
// the user pool's domain serves /oauth2/token and the JWKS.
import type { ServiceModule } from '../platform/module.ts';
import { TokenIssuer } from './token-issuer.ts';
import { authHandlers } from './handlers.ts';

export const authModule: ServiceModule = {
  name: 'auth',

  async start({ apps, signingKeys, config }, run) {
    if (!signingKeys) return undefined;
    const issuer = new TokenIssuer(apps, signingKeys, config.publicUrl, config.tokenTtlSeconds);
    return {
      ...(run.service && { service: { handlers: authHandlers(issuer, signingKeys, config.publicUrl) } }),
      // In every process with local identity: the admin's playground mints tokens through it.
      provides: { appTokens: issuer },
    };
  },
};
