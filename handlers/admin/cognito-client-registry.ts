// ClientRegistry on Cognito: each application is an app client of the applications' user pool
// (client credentials grant, the platform scope, a generated secret). Deactivation turns the
// client's OAuth flows off, so Cognito issues it no new tokens; the verifier rejects the tokens
// it already holds because it checks the app's status on every request.
import {
  AddUserPoolClientSecretCommand, CreateUserPoolClientCommand, DeleteUserPoolClientCommand, DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand, ResourceNotFoundException, UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient, type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { APP_SCOPES } from '../auth/token-issuer.ts';
import { ProblemError } from '../platform/problems.ts';
import type { ClientRegistry } from './client-registry.ts';

/** Cognito's quota errors become a 503 with Retry-After; AWS text never reaches the client. */
async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TooManyRequestsException' || name === 'LimitExceededException' || name === 'InternalErrorException') {
      throw new ProblemError('BACKEND_UNAVAILABLE', 'The identity provider is busy; retry shortly.', { retryAfterSeconds: 2 });
    }
    throw error;
  }
}

/** Stored instead of a hash: Cognito checks the secret, the platform never sees it again. */
export const COGNITO_SECRET_MARKER = 'cognito';

const settings = (userPoolId: string, appName: string, active: boolean) => ({
  UserPoolId: userPoolId,
  ClientName: appName.slice(0, 128),
  AllowedOAuthFlows: ['client_credentials'],
  AllowedOAuthScopes: APP_SCOPES,
  AllowedOAuthFlowsUserPoolClient: active,
  ExplicitAuthFlows: [],
  SupportedIdentityProviders: [],
  AccessTokenValidity: 60,
  TokenValidityUnits: { AccessToken: 'minutes' },
  EnableTokenRevocation: true,
  PreventUserExistenceErrors: 'ENABLED',
}) satisfies Omit<CreateUserPoolClientCommandInput, 'GenerateSecret'>;

export function cognitoClientRegistry(cognito: CognitoIdentityProviderClient, userPoolId: string): ClientRegistry {
  return {
    async register(appName) {
      const out = await call(() => cognito.send(new CreateUserPoolClientCommand({ ...settings(userPoolId, appName, true), GenerateSecret: true })));
      const client = out.UserPoolClient!;
      return { clientId: client.ClientId!, clientSecret: client.ClientSecret!, secretHash: COGNITO_SECRET_MARKER };
    },
    async rotateSecret(clientId) {
      // Cognito keeps at most two secrets: make room, add the new one, then drop every other.
      const listed = await call(() => cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: userPoolId, ClientId: clientId })));
      const old = (listed.ClientSecrets ?? []).map((s) => s.ClientSecretId!);
      if (old.length >= 2) await call(() => cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: old.shift()! })));
      const added = await call(() => cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId })));
      for (const id of old) await call(() => cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: id })));
      return { clientSecret: added.ClientSecretDescriptor!.ClientSecretValue!, secretHash: COGNITO_SECRET_MARKER };
    },
    async setActive(clientId, appName, active) {
      // UpdateUserPoolClient resets what it is not given, so it always gets the full settings.
      await call(() => cognito.send(new UpdateUserPoolClientCommand({ ...settings(userPoolId, appName, active), ClientId: clientId })));
    },
    async remove(clientId) {
      try {
        await call(() => cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId })));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    },
  };
}
