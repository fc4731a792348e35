// Playground tokens: a short-lived access token of an active application, minted for an admin's
// playground through the auth module's `appTokens` capability (absent with Cognito identity).
// Each one is a ledger row of its app (service 'admin', operation 'playground_token') and a log
// line naming the admin, so calls made with it can be told from the application's own.
import { ProblemError } from '../platform/problems.ts';
import type { AppStore } from '../platform/store/ports.ts';
import type { AppTokens } from '../platform/capabilities/app-tokens.ts';
import type { UsageLedger } from '../platform/usage/usage-ledger.ts';
import type { Logger } from '../platform/logger.ts';
import { existingApp } from './existing-app.ts';

/** How long a playground token is valid: long enough for a pipeline run, short if it leaks. */
export const PLAYGROUND_TOKEN_SECONDS = 600;
export const PLAYGROUND_PURPOSE = 'playground';

export class PlaygroundTokens {
  constructor(
    private readonly apps: Pick<AppStore, 'findById'>,
    private readonly tokens: AppTokens | undefined,
    private readonly ledger: UsageLedger,
  ) {}

  async mint(appId: string, by: { admin: string; requestId: string; log: Logger }) {
    if (!this.tokens) {
      throw new ProblemError('TOKEN_MINTING_UNAVAILABLE', "This platform does not issue tokens itself (Cognito identity): use the application's client id and secret.");
    }
    const app = await existingApp(this.apps, appId);
    if (app.status !== 'active') throw new ProblemError('APP_NOT_ACTIVE', `The application ${app.appName} is deactivated: activate it first.`);
    const { accessToken, expiresInSeconds } = await this.tokens.mint(app.clientId, { ttlSeconds: PLAYGROUND_TOKEN_SECONDS, purpose: PLAYGROUND_PURPOSE });
    const now = new Date();
    this.ledger.record({
      appId, service: 'admin', operation: 'playground_token', resource: by.admin, provider: null, units: {},
      latencyMs: 0, status: 'SUCCESS', errorCode: null, requestId: by.requestId, costUsd: 0, createdAt: now.toISOString(),
    });
    by.log.info({ appId, admin: by.admin, expiresInSeconds }, 'playground token minted');
    return {
      access_token: accessToken,
      token_type: 'Bearer' as const,
      expires_in: expiresInSeconds,
      expires_at: new Date(now.getTime() + expiresInSeconds * 1000).toISOString(),
    };
  }
}
