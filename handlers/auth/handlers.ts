import type { operations } from '../../generated/types/auth.ts';
import type { Handlers } from '../platform/http/handler-types.ts';
import type { SigningKeys } from '../platform/auth/signing-keys.ts';
import { clientCredentials } from './client-credentials.ts';
import { APP_SCOPES, OAuthError, type TokenIssuer } from './token-issuer.ts';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export const authHandlers = (tokens: TokenIssuer, keys: SigningKeys, issuer: string) =>
  ({
    issueAccessToken: async ({ body, headers }) => {
      try {
        if (!body.grant_type) throw new OAuthError('invalid_request', 'grant_type is required.');
        if (body.grant_type !== 'client_credentials') {
          throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported.');
        }
        const { clientId, clientSecret } = clientCredentials(headers.authorization, body);
        return { status: 200, body: await tokens.issue(clientId, clientSecret, body.scope), headers: NO_STORE };
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        const body = { error: error.error, error_description: error.description };
        return error.error === 'invalid_client'
          ? { status: 401, body, headers: { ...NO_STORE, 'www-authenticate': 'Basic realm="genai-foundations"' } }
          : { status: 400, body, headers: NO_STORE };
      }
    },
    getJsonWebKeySet: async () => ({ status: 200, body: { keys: [keys.publicJwk as { kty: string; kid: string }] } }),
    getOpenIdConfiguration: async () => ({
      status: 200,
      body: {
        issuer,
        token_endpoint: `${issuer}/oauth2/token`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: APP_SCOPES,
        id_token_signing_alg_values_supported: ['RS256'],
      },
    }),
  }) satisfies Handlers<operations>;
