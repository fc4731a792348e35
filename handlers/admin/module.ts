// The admin API as a module: sign-in (the first admin is made on first start), onboarding of
// applications (app clients in the local registry or the Cognito pool), the health overview and
// usage reports from the ledger.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Kernel, ServiceModule } from '../platform/module.ts';
import { sqliteAdminStore } from '../platform/store/sqlite/admin-store.ts';
import { dynamoAdminStore } from '../platform/store/dynamodb/admin-store.ts';
import { noStore } from '../platform/http/no-store.ts';
import { AdminAuth, SESSION_COOKIE, type AdminBootstrap } from './admin-auth.ts';
import { AppClients } from './app-clients.ts';
import { adminHandlers } from './handlers.ts';
import { UsageReports } from './usage-reports.ts';
import { AppApiKeys } from './app-api-keys.ts';
import { AdminJobs } from './admin-jobs.ts';
import { AdminPrompts } from './admin-prompts.ts';
import { PlaygroundTokens } from './playground-tokens.ts';
import { sameOriginOnly } from './same-origin.ts';
import { localClientRegistry, type ClientRegistry } from './client-registry.ts';
import { cognitoClientRegistry } from './cognito-client-registry.ts';
import { CognitoAdminSignIn } from './cognito-sign-in.ts';

export const adminModule: ServiceModule = {
  name: 'admin',
  // The portal calls this service's API: its tasks serve it, and the spec list it reads.
  edgeRoutes: ['/portal/*', '/openapi/*'],
  aws: { service: { tables: { apps: 'readWrite', admin: 'readWrite', usage: 'readWrite', jobs: 'readWrite', 'api-keys': 'readWrite', prompts: 'read' }, capabilities: ['cognito:manage-app-clients'] } },

  async start(kernel, run) {
    if (!run.service) return undefined;
    const { config, store, log } = kernel;
    const auth = new AdminAuth(store.kind === 'sqlite' ? sqliteAdminStore(store.db) : dynamoAdminStore(store.dynamo), {
      sessionTtlSeconds: config.adminSessionTtlSeconds,
      secureCookies: config.secureCookies,
      // PUBLIC_URL's path is the prefix a gateway stage adds (e.g. /prod), so the cookie still matches.
      cookiePath: `${new URL(config.publicUrl).pathname.replace(/\/+$/, '')}/admin`,
    });
    const bootstrap = await auth.bootstrap(config.adminUsername, config.adminPassword);
    return {
      service: {
        handlers: adminHandlers({
          auth,
          apps: new AppClients(kernel.apps, registry(kernel), log, kernel.jobStore),
          services: kernel.health,
          usage: new UsageReports(kernel.apps, kernel.ledger),
          apiKeys: new AppApiKeys(kernel.apps, kernel.apiKeys),
          jobs: new AdminJobs(kernel.apps, kernel.jobStore),
          // Optional: a platform without the prompt service has no prompts to show.
          prompts: new AdminPrompts(kernel.apps, kernel.capabilities.prompts),
          playgroundTokens: new PlaygroundTokens(kernel.apps, kernel.capabilities.appTokens, kernel.ledger),
          cognito: config.adminCognito && new CognitoAdminSignIn(config.adminCognito),
        }),
        authenticators: { AdminSession: (req) => auth.authenticate(req.cookies[SESSION_COOKIE]) },
        unauthenticatedCode: 'SESSION_REQUIRED',
        before: [noStore, sameOriginOnly(config.publicUrl)],
      },
      ...startMessages(bootstrap, config.dataDir),
    };
  },
};

/** Where app clients live: the platform's own registry, or the Cognito applications' pool. */
function registry({ config }: Kernel): ClientRegistry {
  const { identity } = config.aws;
  if (identity.kind === 'local') return localClientRegistry;
  return cognitoClientRegistry(new CognitoIdentityProviderClient({ region: identity.region }), identity.userPoolId);
}

function startMessages(bootstrap: AdminBootstrap, dataDir: string): { terminal?: string[]; warnings?: string[] } {
  if (bootstrap.created && bootstrap.generatedPassword) {
    // On the terminal only (not in the JSON logs): it is not stored anywhere in clear.
    return {
      terminal: [
        `Created the first admin user "${bootstrap.username}" with password: ${bootstrap.generatedPassword}`,
        'It is shown only this once. Set ADMIN_USERNAME / ADMIN_PASSWORD before the first start to choose them.',
      ],
    };
  }
  if (!bootstrap.created && bootstrap.passwordIgnored) {
    return {
      warnings: [
        `ADMIN_PASSWORD is ignored: an admin already exists in ${dataDir} with another password. ` +
          'Sign in with the password it was created with, or start with a new DATA_DIR.',
      ],
    };
  }
  return {};
}
