import type { operations } from '../../generated/types/admin.ts';
import type { Handlers } from '../platform/http/handler-types.ts';
import type { HealthCheck } from '../platform/module.ts';
import type { AdminAuth, AdminPrincipal } from './admin-auth.ts';
import type { AppClients } from './app-clients.ts';
import type { CognitoAdminSignIn } from './cognito-sign-in.ts';
import { ProblemError } from '../platform/problems.ts';
import type { UsageReports } from './usage-reports.ts';
import type { AppApiKeys } from './app-api-keys.ts';
import { circuitBreakers } from './circuit-breakers.ts';
import type { AdminJobs } from './admin-jobs.ts';
import type { AdminPrompts } from './admin-prompts.ts';
import type { PlaygroundTokens } from './playground-tokens.ts';


const sessionView = (session: AdminPrincipal) => ({
  message: 'You are authenticated',
  username: session.username,
  expires_at: new Date(session.expiresAt).toISOString(),
});

export interface AdminServices {
  auth: AdminAuth;
  apps: AppClients;
  services: HealthCheck[];
  usage: UsageReports;
  apiKeys: AppApiKeys;
  jobs: AdminJobs;
  prompts: AdminPrompts;
  playgroundTokens: PlaygroundTokens;
  /** Sign-in through the Cognito admin pool, where it is configured. */
  cognito?: CognitoAdminSignIn;
}

export const adminHandlers = ({ auth, apps, services, usage, apiKeys, jobs, prompts, playgroundTokens, cognito }: AdminServices) =>
  ({
    loginAdmin: async ({ body, context }) => {
      const { session, cookie } = await auth.login(body.username, body.password, context.clientAddress);
      return { status: 200, body: sessionView(session), headers: { 'set-cookie': cookie } };
    },
    signInAdminWithCognito: async ({ body }) => {
      if (!cognito) throw new ProblemError('SIGN_IN_NOT_CONFIGURED', 'Sign-in through the Cognito admin pool is not configured here; use /admin/auth/login.');
      const email = await cognito.signIn({ code: body.code, codeVerifier: body.code_verifier, redirectUri: body.redirect_uri });
      const { session, cookie } = await auth.openFederatedSession(email);
      return { status: 200, body: sessionView(session), headers: { 'set-cookie': cookie } };
    },
    getAdminSignInMethods: async () => ({
      status: 200,
      body: {
        password: true,
        ...(cognito && { cognito: { authorize_url: cognito.pool.authorizeUrl, client_id: cognito.pool.clientId, scope: 'openid email' } }),
      },
    }),
    logoutAdmin: async ({ principal }) => ({
      status: 200,
      body: { message: 'Signed out' },
      headers: { 'set-cookie': await auth.logout(principal) },
    }),
    getAdminSession: async ({ principal }) => ({ status: 200, body: sessionView(principal) }),
    createAppClient: async ({ body }) => ({ status: 200, body: await apps.create(body.app_name, body.description) }),
    listAppClients: async () => ({ status: 200, body: await apps.list() }),
    deactivateAppClient: async ({ body }) => ({ status: 200, body: await apps.setStatus(body.app_id, 'inactive') }),
    activateAppClient: async ({ body }) => ({ status: 200, body: await apps.setStatus(body.app_id, 'active') }),
    rotateAppClientSecret: async ({ body }) => ({ status: 200, body: await apps.rotateSecret(body.app_id) }),
    setAppClientLimits: async ({ body }) => ({
      status: 200,
      body: await apps.setLimits(body.app_id, {
        requestsPerMinute: body.requests_per_minute,
        tokensPerMinute: body.tokens_per_minute,
        monthlyTokenBudget: body.monthly_token_budget,
      }),
    }),
    deleteAppClient: async ({ body }) => ({ status: 200, body: await apps.delete(body.app_id) }),
    createAppApiKey: async ({ params, body }) => ({
      status: 200,
      body: await apiKeys.create(params.app_id, { name: body.name, models: body.models ?? null, expiresAt: body.expires_at ?? null }),
    }),
    listAppApiKeys: async ({ params }) => ({ status: 200, body: await apiKeys.list(params.app_id) }),
    revokeAppApiKey: async ({ params }) => ({ status: 200, body: await apiKeys.revoke(params.app_id, params.key_id) }),
    getServicesHealth: async () => ({
      status: 200,
      body: await Promise.all(
        services.map(async ({ serviceName, check }) => ({
          service_name: serviceName,
          status: await check().then(() => 'healthy' as const, () => 'unhealthy' as const),
        })),
      ),
    }),
    listCircuitBreakers: async () => ({ status: 200, body: { items: circuitBreakers(services) } }),
    listAdminJobs: async ({ query }) => ({ status: 200, body: await jobs.list(query) }),
    listAppPromptTemplates: async ({ params, query }) => ({ status: 200, body: await prompts.page(params.app_id, query) }),
    listAppPromptTemplateVersions: async ({ params }) => ({ status: 200, body: await prompts.versions(params.app_id, params.name) }),
    createPlaygroundToken: async ({ params, principal, context }) => ({
      status: 200,
      body: await playgroundTokens.mint(params.app_id, { admin: principal.username, requestId: context.requestId, log: context.log }),
    }),
    getUsageReport: async ({ query }) => ({ status: 200, body: await usage.report(query) }),
  }) satisfies Handlers<operations, AdminPrincipal>;
