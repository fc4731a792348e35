// An application's API keys for the OpenAI-compatible routes: created (the key shown once), listed
// (prefix only) and revoked by the admin API. The kernel issues and checks them (platform/api-keys).
import { ProblemError } from '../platform/problems.ts';
import type { AppStore } from '../platform/store/ports.ts';
import type { ApiKeyRecord, ApiKeyStore } from '../platform/api-keys/ports.ts';
import { issueApiKey, type NewApiKey } from '../platform/api-keys/api-keys.ts';
import { existingApp } from './existing-app.ts';

const view = (key: ApiKeyRecord) => ({
  key_id: key.keyId,
  app_id: key.appId,
  name: key.name,
  prefix: key.prefix,
  models: key.models,
  created_at: key.createdAt,
  expires_at: key.expiresAt,
  revoked_at: key.revokedAt,
});

export class AppApiKeys {
  constructor(private readonly apps: Pick<AppStore, 'findById'>, private readonly keys: ApiKeyStore) {}

  async create(appId: string, request: NewApiKey) {
    if (request.expiresAt !== null && Date.parse(request.expiresAt) <= Date.now()) {
      throw new ProblemError('VALIDATION_ERROR', 'expires_at must be in the future.', { errors: [{ path: 'body.expires_at', message: 'must be in the future' }] });
    }
    const { record, key } = await issueApiKey(this.keys, await this.app(appId), request);
    return { ...view(record), api_key: key };
  }

  async list(appId: string) {
    await this.app(appId);
    return { items: (await this.keys.listByApp(appId)).map(view) };
  }

  async revoke(appId: string, keyId: string) {
    await this.app(appId);
    const revoked = await this.keys.revoke(appId, keyId, new Date().toISOString());
    if (!revoked) throw new ProblemError('API_KEY_NOT_FOUND', `The application has no API key ${keyId}.`);
    return view(revoked);
  }

  private app(appId: string) {
    return existingApp(this.apps, appId);
  }
}
